import type { NodeRecord } from '../store/records.ts';
import { childrenIndex, type MonteCarloValue } from './mc-value.ts';

/** A state where the learning signal is: its sampled actions disagree, and on average they fail. */
export interface Pivot {
  /** Mean Monte Carlo value of the state's valued actions. */
  mean: number;
  /** Population variance of those values. */
  variance: number;
  /** How many valued actions the statistics are over. */
  actions: number;
}

export const DEFAULT_PIVOT_THRESHOLD = 0.5;

/**
 * PivotRL pivots: for a state s whose sampled actions a_1..a_n (n ≥ 2) have Monte Carlo values v_i,
 * mean μ = Σ v_i / n and variance σ² = Σ (v_i − μ)² / n; s is a pivot when σ² > 0 and μ < threshold.
 */
export function findPivots(
  nodes: readonly NodeRecord[],
  values: ReadonlyMap<string, MonteCarloValue>,
  threshold = DEFAULT_PIVOT_THRESHOLD,
): Map<string, Pivot> {
  const children = childrenIndex(nodes);
  const result = new Map<string, Pivot>();
  for (const node of nodes) {
    if (node.duplicateOf !== null) continue;
    const valued = (children.get(node.id) ?? []).map((child) => values.get(child.id)?.value ?? null).filter((v): v is number => v !== null);
    if (valued.length < 2) continue;
    const mean = valued.reduce((sum, v) => sum + v, 0) / valued.length;
    const variance = valued.reduce((sum, v) => sum + (v - mean) ** 2, 0) / valued.length;
    // Values are means of 0/1 outcomes; a variance below rounding noise is no variance.
    if (variance > 1e-12 && mean < threshold) result.set(node.id, { mean, variance, actions: valued.length });
  }
  return result;
}
