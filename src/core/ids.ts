import { randomBytes } from 'node:crypto';

/** Run ids sort by start time and stay short enough to type: `r` + base36 ms + 4 random base36 chars. */
export function newRunId(now: number = Date.now()): string {
  const random = randomBytes(4).readUInt32BE(0).toString(36).padStart(7, '0').slice(-4);
  return `r${now.toString(36)}${random}`;
}

export function nodeId(runId: string, seq: number): string {
  return `${runId}.${seq}`;
}

export function candidateId(nodeIdValue: string, index: number): string {
  return `${nodeIdValue}/${index}`;
}
