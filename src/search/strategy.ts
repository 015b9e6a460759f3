import type { SearchTree, TreeNode } from './tree.ts';

/**
 * A search strategy decides which nodes to expand and which candidates to execute. It only
 * talks to the tree; the runner turns the tree into the one result shape every strategy shares.
 */
export interface Strategy {
  readonly name: string;
  readonly config: Record<string, unknown>;
  search<S, A>(tree: SearchTree<S, A>): Promise<void>;
}

export function defineStrategy(strategy: Strategy): Strategy {
  return strategy;
}

/** Usable children of a node: valid steps to states not reached before. */
export function freshChildren<S, A>(children: readonly TreeNode<S, A>[]): TreeNode<S, A>[] {
  return children.filter((child) => child.check.valid && child.duplicateOf === null);
}

/** Sorts by value, best first; nodes without a value rank as 0; ties keep creation order. */
export function byValue<S, A>(nodes: TreeNode<S, A>[], value: (node: TreeNode<S, A>) => number | null = (n) => n.value): TreeNode<S, A>[] {
  return nodes
    .map((node, order) => ({ node, order, v: value(node) ?? 0 }))
    .sort((a, b) => b.v - a.v || a.order - b.order)
    .map((entry) => entry.node);
}
