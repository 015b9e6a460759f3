import type { NodeRecord, NodeStatsRecord } from '../../src/store/records.ts';

/** A node record for hand-built trees: valid, not terminal, unless the flags say otherwise. */
export function node(id: string, parentId: string | null, flags: { terminal?: boolean; success?: boolean; invalid?: boolean; duplicateOf?: string; depth?: number } = {}): NodeRecord {
  return {
    type: 'node', runId: 'r', taskId: 't', id, parentId, depth: flags.depth ?? 0, action: null, actionText: id, candidateId: null, state: null,
    stateKey: id, observation: '', reward: 0, check: flags.invalid ? { valid: false, reason: 'wrong' } : { valid: true },
    terminal: flags.terminal ?? flags.success ?? false, success: flags.success ?? false, duplicateOf: flags.duplicateOf ?? null, createdAt: 0,
  };
}

export function stats(nodeId: string, visits: number, value: number | null): NodeStatsRecord {
  return { type: 'node_stats', runId: 'r', nodeId, visits, value, selected: false, pruned: null };
}
