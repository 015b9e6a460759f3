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
 * so it stands for the subtree of the node it duplicates: the same state has the same future. Where transpositions
 * close a loop, every node on it reaches the same futures, so the loop's nodes (a strongly connected component) share
 * one value: the futures its edges out of the loop lead to, each edge counted once. Unfinished leaves (the search stopped
 * there) carry no outcome.
 */
export function monteCarloValues(tree: Pick<StoredTree, 'nodes'>, options: MonteCarloOptions = {}): Map<string, MonteCarloValue> {
  const unfinishedFails = options.unfinished === 'failure';
  const children = childrenIndex(tree.nodes);
  const index = new Map(tree.nodes.map((node, i) => [node.id, i]));
  // Each node's own outcome (a finished leaf) and where its future continues (children, or the node it duplicates).
  const own: { leaves: number; successes: number }[] = [];
  const next: number[][] = [];
  for (const node of tree.nodes) {
    let leaf = { leaves: 0, successes: 0 };
    let edges: number[] = [];
    if (node.duplicateOf !== null) {
      const original = index.get(node.duplicateOf);
      if (original !== undefined) edges = [original];
    } else if (node.terminal || node.success) {
      leaf = { leaves: 1, successes: node.success ? 1 : 0 };
    } else if (unfinishedFails && !children.has(node.id)) {
      leaf = { leaves: 1, successes: 0 };
    } else {
      edges = (children.get(node.id) ?? []).map((child) => index.get(child.id)!);
    }
    own.push(leaf);
    next.push(edges);
  }
  const values = new Map<string, MonteCarloValue>();
  // Tarjan emits each component after every component it reaches, so their totals are known when it is summed.
  for (const component of stronglyConnectedComponents(next)) {
    const members = new Set(component);
    let leaves = 0;
    let successes = 0;
    for (const i of component) {
      leaves += own[i].leaves;
      successes += own[i].successes;
      for (const j of next[i]) {
        if (members.has(j)) continue;
        const reached = values.get(tree.nodes[j].id)!;
        leaves += reached.leaves;
        successes += reached.successes;
      }
    }
    const value: MonteCarloValue = { value: leaves > 0 ? successes / leaves : null, leaves, successes };
    for (const i of component) values.set(tree.nodes[i].id, value);
  }
  return values;
}

/** Tarjan's strongly connected components, iteratively (trees can be deep); each component after those it reaches. */
function stronglyConnectedComponents(next: readonly number[][]): number[][] {
  const count = next.length;
  const order = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (let start = 0; start < count; start++) {
    if (order[start] !== -1) continue;
    const frames: [node: number, edge: number][] = [[start, 0]];
    order[start] = low[start] = counter++;
    stack.push(start);
    onStack[start] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const [v, e] = frame;
      if (e < next[v].length) {
        frame[1]++;
        const w = next[v][e];
        if (order[w] === -1) {
          order[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          frames.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v], order[w]);
        }
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1][0];
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] === order[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component.push(w);
        } while (w !== v);
        components.push(component);
      }
    }
  }
  return components;
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
