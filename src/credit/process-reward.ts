import type { NodeRecord } from '../store/records.ts';
import { childrenIndex } from './mc-value.ts';

/** The environment's verdict on one step, as a dense reward, and where a trajectory first went wrong. */
export interface ProcessReward {
  /** 1 for a step the environment accepted, 0 for an invalid one (VPR's verifiable per-step reward). */
  reward: number;
  /** This step is invalid and every step above it was valid: the first invalid step of every trajectory through it. */
  firstInvalid: boolean;
}

/**
 * Verifiable process rewards: r(step) = 1 if `check.valid`, else 0. A step is the first invalid step of its
 * trajectories when it is invalid and no ancestor is. The root is not a step and gets no entry.
 */
export function processRewards(nodes: readonly NodeRecord[]): Map<string, ProcessReward> {
  const children = childrenIndex(nodes);
  const result = new Map<string, ProcessReward>();
  const root = nodes.find((node) => node.parentId === null);
  if (!root) return result;
  // Iterative walk carrying "an ancestor was already invalid", so deep trees cannot overflow the stack.
  const stack: { node: NodeRecord; invalidAbove: boolean }[] = (children.get(root.id) ?? []).map((node) => ({ node, invalidAbove: false }));
  while (stack.length > 0) {
    const { node, invalidAbove } = stack.pop()!;
    const valid = node.check.valid;
    result.set(node.id, { reward: valid ? 1 : 0, firstInvalid: !valid && !invalidAbove });
    for (const child of children.get(node.id) ?? []) stack.push({ node: child, invalidAbove: invalidAbove || !valid });
  }
  return result;
}
