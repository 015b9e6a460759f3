import { byValue, defineStrategy, freshChildren, type Strategy } from '../strategy.ts';
import type { TreeNode } from '../tree.ts';

export interface DfsConfig {
  /** Children valued below this are pruned (ToT DFS's value threshold); 0 prunes nothing. */
  threshold?: number;
  k?: number;
}

/** Depth-first search, best-valued child first, backtracking on dead ends (Tree of Thoughts DFS). */
export function dfs(config: DfsConfig = {}): Strategy {
  const threshold = config.threshold ?? 0;
  const k = config.k ?? Infinity;
  return defineStrategy({
    name: 'dfs',
    config: { threshold, k: Number.isFinite(k) ? k : 'all' },
    async search(tree) {
      // An explicit stack keeps deep searches (1,000-step plans) off the call stack.
      const stack: TreeNode<any, any>[] = [tree.root];
      while (stack.length > 0) {
        const node = stack.pop()!;
        node.selected = true;
        if (!tree.expandable(node)) continue;
        const children = await tree.expandAll(node, k);
        if (tree.solution()) return;
        const ranked = byValue(freshChildren(children));
        for (const child of ranked) {
          if (child.value !== null && child.value < threshold) child.pruned = `value ${child.value.toFixed(3)} below threshold ${threshold}`;
        }
        // Push worst first so the best-valued child is visited next.
        for (const child of ranked.reverse()) if (!child.pruned) stack.push(child);
      }
    },
  });
}
