import type { Rng } from '../../core/rng.ts';
import { byValue, defineStrategy, freshChildren, type Strategy } from '../strategy.ts';
import { pathTo, type TreeNode } from '../tree.ts';

/** How a path's step values combine into the value a beam ranks by. */
export type Aggregate = 'last' | 'mean' | 'min' | 'sum';

export interface BeamConfig {
  /** Nodes kept per level. */
  width?: number;
  /** Candidates asked for per expansion. */
  k?: number;
  aggregate?: Aggregate;
}

export interface BfsConfig {
  /** Nodes kept per level (ToT's b); Infinity keeps every node, which makes the search exhaustive. */
  width?: number;
  k?: number;
  /** `greedy` keeps the best-valued; `sample` draws in proportion to value, as ToT's sample selection. */
  select?: 'greedy' | 'sample';
}

/** Beam search: expand the whole beam, keep the `width` best children by aggregated path value. */
export function beam(config: BeamConfig = {}): Strategy {
  const width = config.width ?? 5;
  const aggregate = config.aggregate ?? 'mean';
  return levelByLevel('beam', { width, k: config.k ?? Infinity, aggregate }, (nodes) =>
    byValue(nodes, (n) => aggregatePath(n, aggregate)).slice(0, width),
  );
}

/** Breadth-first search with a kept-per-level width (Tree of Thoughts BFS). */
export function bfs(config: BfsConfig = {}): Strategy {
  const width = config.width ?? 5;
  const select = config.select ?? 'greedy';
  return levelByLevel('bfs', { width: Number.isFinite(width) ? width : 'all', k: config.k ?? Infinity, select }, (nodes, rng) =>
    select === 'sample' ? sampleByValue(nodes, width, rng) : byValue(nodes).slice(0, width),
  );
}

function levelByLevel(
  name: string,
  config: Record<string, unknown> & { k: number },
  keep: (nodes: TreeNode<any, any>[], rng: Rng) => TreeNode<any, any>[],
): Strategy {
  return defineStrategy({
    name,
    config: { ...config, k: Number.isFinite(config.k) ? config.k : 'all' },
    async search(tree) {
      let frontier: TreeNode<any, any>[] = [tree.root];
      tree.root.selected = true;
      while (frontier.length > 0 && !tree.solution()) {
        const expandable = frontier.filter((n) => tree.expandable(n));
        // Expand the level concurrently, but create children in frontier order, so which of two equal
        // states counts as the transposition never depends on which model reply lands first.
        await Promise.all(expandable.map((n) => tree.expand(n, config.k)));
        const children: TreeNode<any, any>[] = [];
        for (const n of expandable) children.push(...(await tree.expandAll(n, config.k)));
        if (tree.solution()) return;
        const fresh = freshChildren(children);
        const kept = new Set(keep(fresh, tree.rng));
        for (const child of fresh) {
          if (kept.has(child)) child.selected = true;
          else child.pruned = `not among the ${kept.size} kept at depth ${child.depth}`;
        }
        frontier = fresh.filter((child) => kept.has(child));
      }
    },
  });
}

export function aggregatePath(node: TreeNode<any, any>, aggregate: Aggregate): number {
  if (aggregate === 'last') return node.value ?? 0;
  const values = pathTo(node)
    .slice(1)
    .map((n) => n.value ?? 0);
  if (values.length === 0) return 0;
  if (aggregate === 'min') return Math.min(...values);
  const sum = values.reduce((a, b) => a + b, 0);
  return aggregate === 'sum' ? sum : sum / values.length;
}

function sampleByValue(nodes: TreeNode<any, any>[], width: number, rng: Rng): TreeNode<any, any>[] {
  const pool = nodes.map((node) => ({ node, weight: Math.max(node.value ?? 0, 1e-6) }));
  const picked: TreeNode<any, any>[] = [];
  while (picked.length < width && pool.length > 0) {
    const total = pool.reduce((sum, entry) => sum + entry.weight, 0);
    let r = rng.next() * total;
    let i = 0;
    while (i < pool.length - 1 && r >= pool[i].weight) r -= pool[i++].weight;
    picked.push(pool.splice(i, 1)[0].node);
  }
  return picked;
}
