import { defineStrategy, type Strategy } from '../strategy.ts';
import type { TreeNode } from '../tree.ts';

export interface GreedyConfig {
  /** Candidates asked for per step; Infinity asks the proposer for all it has. */
  k?: number;
}

/**
 * One branch, no backtracking: at each step take the best-valued candidate whose step is valid and
 * leads to a state not seen before. A ReAct-style agent is this strategy with a model proposer.
 */
export function greedy(config: GreedyConfig = {}): Strategy {
  return stepByStep('greedy', config.k ?? Infinity);
}

/** Best-of-k per step: sample k candidates at each step, score them, execute the best. */
export function bestOfK(config: GreedyConfig = {}): Strategy {
  return stepByStep('best-of-k', config.k ?? 5);
}

function stepByStep(name: string, k: number): Strategy {
  return defineStrategy({
    name,
    config: { k: Number.isFinite(k) ? k : 'all' },
    async search(tree) {
      let node: TreeNode<any, any> = tree.root;
      node.selected = true;
      while (tree.expandable(node)) {
        const candidates = await tree.expand(node, k);
        const ranked = candidates
          .filter((c) => c.action !== null && !c.invalidReason)
          .map((c, order) => ({ c, order }))
          .sort((a, b) => (b.c.value ?? 0) - (a.c.value ?? 0) || a.order - b.order);
        let next: TreeNode<any, any> | null = null;
        for (const { c } of ranked) {
          const child = await tree.execute(node, c);
          if (child.check.valid && child.duplicateOf === null) {
            next = child;
            break;
          }
        }
        if (!next) return;
        next.selected = true;
        node = next;
      }
    },
  });
}
