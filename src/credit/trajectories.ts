import type { NodeRecord } from '../store/records.ts';

/** A finished trajectory: the nodes from the root to a finished leaf, and the leaf's outcome. */
export interface Trajectory {
  /** Root first; the root itself is not a step. */
  nodes: NodeRecord[];
  /** 1 when the leaf succeeded, else 0. */
  outcome: number;
}

/**
 * A leaf with an outcome: the environment ended the episode there (terminal or successful). A transposition that
 * is terminal counts too: it has no future to share, and the path to it is a trajectory of its own.
 */
export function isFinishedLeaf(node: NodeRecord): boolean {
  return node.terminal || node.success;
}

/** Every root-to-finished-leaf path, in record order of the leaves. */
export function finishedTrajectories(nodes: readonly NodeRecord[]): Trajectory[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const result: Trajectory[] = [];
  for (const leaf of nodes) {
    if (!isFinishedLeaf(leaf)) continue;
    result.push({ nodes: pathFromRoot(leaf, byId), outcome: leaf.success ? 1 : 0 });
  }
  return result;
}

/** The nodes from the root to `node`, inclusive. */
export function pathFromRoot(node: NodeRecord, byId: ReadonlyMap<string, NodeRecord>): NodeRecord[] {
  const path: NodeRecord[] = [];
  for (let n: NodeRecord | undefined = node; n; n = n.parentId === null ? undefined : byId.get(n.parentId)) path.push(n);
  return path.reverse();
}
