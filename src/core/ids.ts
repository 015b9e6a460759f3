import { randomBytes } from 'node:crypto';

/** Random base36 characters in a run id: 36^10 ≈ 2^51.7, so runs started in the same millisecond on many machines do not collide. */
const RUN_ID_RANDOM_CHARS = 10;

/**
 * Run ids sort by start time and need no central counter: `r` + base36 ms + 10 random base36 chars. Processes and
 * machines writing to one store draw them independently (the store still refuses a second run with the same id).
 */
export function newRunId(now: number = Date.now()): string {
  const random = randomBytes(8).readBigUInt64BE(0).toString(36).padStart(RUN_ID_RANDOM_CHARS, '0').slice(-RUN_ID_RANDOM_CHARS);
  return `r${now.toString(36)}${random}`;
}

/** `<runId>.<n>`; a task searched apart from its run (a queue job) numbers its own: `<runId>.<taskIndex>.<n>`. */
export function nodeId(runId: string, seq: number, taskIndex?: number): string {
  return taskIndex === undefined ? `${runId}.${seq}` : `${runId}.${taskIndex}.${seq}`;
}

export function candidateId(nodeIdValue: string, index: number): string {
  return `${nodeIdValue}/${index}`;
}

/** The run a node id belongs to: node ids are `<runId>.<n>` and run ids hold no dot. */
export function runOfNode(nodeIdValue: string): string {
  const dot = nodeIdValue.indexOf('.');
  return dot < 0 ? nodeIdValue : nodeIdValue.slice(0, dot);
}

/**
 * The id prefix for records a run attaches to a node: the node's own id when the run made the node, else
 * `<runId>~<nodeId>` (a fork expanding the node it branched from), so the ids never collide with the origin run's.
 */
export function attachmentId(runId: string, nodeIdValue: string): string {
  return runOfNode(nodeIdValue) === runId ? nodeIdValue : `${runId}~${nodeIdValue}`;
}
