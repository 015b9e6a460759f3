import type { NodeRecord } from '../store/records.ts';
import type { StoredTree } from '../store/store.ts';

/** A node's Monte Carlo value: the mean outcome of the finished leaves below it (itself included when it is one). */
export interface MonteCarloValue {
  /** Mean outcome in [0, 1]; null when no finished leaf lies below the node. */
  value: number | null;
  /** Finished leaves below the node (the sample size behind `value`). */
  leaves: number;
  /** How many of them succeeded. */
  successes: number;
}

export interface MonteCarloOptions {
  /**
   * How a leaf where the search stopped counts: `ignore` (no outcome, the default) or `failure` (outcome 0).
   * Domains without failing terminals (Blocksworld never dead-ends) have no outcome 0 otherwise; training a value model needs one.
   */
  unfinished?: 'ignore' | 'failure';
}

/**
 * Monte Carlo step values (TreePS-RAG): every finished leaf (a terminal node, or a node the environment marked
 * successful) has outcome 1 when it succeeded and 0 when not; a node's value is the mean outcome of the finished
 * leaves in its subtree. A transposition (a node whose state was first reached elsewhere) was not expanded again,
 * so it stands for the subtree of the node it duplicates: the same state has the same future. Where states loop
 * back to an ancestor, the loop adds nothing. Unfinished leaves (the search stopped there) carry no outcome.
 */
export function monteCarloValues(tree: Pick<StoredTree, 'nodes'>, options: MonteCarloOptions = {}): Map<string, MonteCarloValue> {
  const unfinishedFails = options.unfinished === 'failure';
  const children = childrenIndex(tree.nodes);
  const byId = new Map(tree.nodes.map((node) => [node.id, node]));
  const values = new Map<string, MonteCarloValue>();
  const inProgress = new Set<string>();
  const none: MonteCarloValue = { value: null, leaves: 0, successes: 0 };

  const valueOf = (node: NodeRecord): MonteCarloValue => {
    const known = values.get(node.id);
    if (known) return known;
    if (inProgress.has(node.id)) return none;
    inProgress.add(node.id);
    let result: MonteCarloValue;
    if (node.duplicateOf !== null) {
      const original = byId.get(node.duplicateOf);
      result = original ? valueOf(original) : none;
    } else if (node.terminal || node.success) {
      result = { value: node.success ? 1 : 0, leaves: 1, successes: node.success ? 1 : 0 };
    } else if (unfinishedFails && !children.has(node.id)) {
      result = { value: 0, leaves: 1, successes: 0 };
    } else {
      let leaves = 0;
      let successes = 0;
      for (const child of children.get(node.id) ?? []) {
        const childValue = valueOf(child);
        leaves += childValue.leaves;
        successes += childValue.successes;
      }
      result = { value: leaves > 0 ? successes / leaves : null, leaves, successes };
    }
    inProgress.delete(node.id);
    values.set(node.id, result);
    return result;
  };
  // Deepest first, so the recursion stays shallow however deep the tree is.
  for (let i = tree.nodes.length - 1; i >= 0; i--) valueOf(tree.nodes[i]);
  return values;
}

/** Advantage of each non-root node: value(node) − value(parent); null when either is unknown. */
export function advantages(tree: Pick<StoredTree, 'nodes'>, values: Map<string, MonteCarloValue>): Map<string, number | null> {
  const result = new Map<string, number | null>();
  for (const node of tree.nodes) {
    if (node.parentId === null) continue;
    const own = values.get(node.id)?.value ?? null;
    const parent = values.get(node.parentId)?.value ?? null;
    result.set(node.id, own === null || parent === null ? null : own - parent);
  }
  return result;
}

/** Children of every node id, in record order. */
export function childrenIndex(nodes: readonly NodeRecord[]): Map<string, NodeRecord[]> {
  const index = new Map<string, NodeRecord[]>();
  for (const node of nodes) {
    if (node.parentId === null) continue;
    const list = index.get(node.parentId);
    if (list) list.push(node);
    else index.set(node.parentId, [node]);
  }
  return index;
}
