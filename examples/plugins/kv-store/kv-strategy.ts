import { z } from 'zod';
import { defineStrategy, numberOption, type StrategyEntry, type TreeNode } from 'stepwise-agents';

/** Best-first search: always expand the open node with the best value, wherever it is in the tree. */
export const bestFirstStrategy: StrategyEntry = {
  name: 'best-first',
  describe: 'expand the best-valued open node anywhere in the tree (a priority queue)',
  options: z.object({ k: numberOption({ whole: true, min: 1, all: true }).optional() }).strict(),
  create: ({ k = Infinity }) =>
    defineStrategy({
      name: 'best-first',
      config: { k: Number.isFinite(k) ? k : 'all' },
      async search(tree) {
        const open: TreeNode<any, any>[] = [tree.root];
        while (open.length > 0) {
          // Stops the search (by throwing) when a budget is spent; the runner records why.
          tree.checkBudget();
          open.sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
          const node = open.shift()!;
          if (!tree.expandable(node)) continue;
          for (const child of await tree.expandAll(node, k)) {
            if (child.success) return;
            if (child.check.valid && child.duplicateOf === null) open.push(child);
          }
        }
      },
    }),
};
