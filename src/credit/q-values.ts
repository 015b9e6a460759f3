import type { NodeStatsRecord } from '../store/records.ts';

/** Step-level Q of the edge into a node: how often search took it and the mean return it backed up. */
export interface StepQ {
  visits: number;
  /** Mean backed-up return over those visits (MCTS's Q(s, a)). */
  value: number;
}

/**
 * Q(s, a) for every edge MCTS visited: the statistics of the child node the edge leads to
 * (N(s, a) = visits, Q(s, a) = valueSum / visits, as recorded in node_stats). Edges search never
 * visited, and runs of strategies that keep no visit counts, have no Q.
 */
export function stepQValues(stats: ReadonlyMap<string, NodeStatsRecord>): Map<string, StepQ> {
  const result = new Map<string, StepQ>();
  for (const [nodeId, record] of stats) {
    if (record.visits > 0 && record.value !== null) result.set(nodeId, { visits: record.visits, value: record.value });
  }
  return result;
}
