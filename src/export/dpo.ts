import type { NodeCredit } from '../credit/compute.ts';
import { childrenIndex } from '../credit/mc-value.ts';
import type { NodeRecord } from '../store/records.ts';
import { defineExportFormat } from './format.ts';

/** The value a step is ranked by: MCTS's Q when search visited the edge, else its Monte Carlo value. */
export function stepValue(credit: NodeCredit | undefined): number | null {
  return credit?.q?.value ?? credit?.mcValue ?? null;
}

/**
 * Step-level preference pairs, as in the step-level Q-value models paper: walk the best path from the root;
 * at each depth pair the best- and worst-valued sibling actions (ties skipped, and gaps below --min-gap), then
 * follow the best one. Written in TRL's conversational preference format: `prompt` messages up to the step,
 * `chosen` and `rejected` assistant turns.
 */
export const dpoFormat = defineExportFormat({
  name: 'dpo',
  describe: 'step-level preference pairs along the best path (TRL conversational preference: prompt, chosen, rejected)',
  reads: ['minGap'],
  async *records(source, options) {
    for await (const { tree, credit, prompts } of source.tasks()) {
      const children = childrenIndex(tree.nodes);
      const byId = new Map(tree.nodes.map((n) => [n.id, n]));
      let at: NodeRecord | undefined = tree.nodes.find((n) => n.parentId === null);
      const seen = new Set<string>();
      while (at && !seen.has(at.id)) {
        seen.add(at.id);
        const valued = (children.get(at.id) ?? [])
          .map((node) => ({ node, value: stepValue(credit.nodes.get(node.id)) }))
          .filter((entry): entry is { node: NodeRecord; value: number } => entry.value !== null);
        if (valued.length < 2) break;
        let best = valued[0];
        let worst = valued[0];
        for (const entry of valued) {
          if (entry.value > best.value) best = entry;
          if (entry.value < worst.value) worst = entry;
        }
        const gap = best.value - worst.value;
        if (gap > 0 && gap >= options.minGap) {
          yield {
            prompt: await prompts.messagesAt(at),
            chosen: [{ role: 'assistant', content: prompts.actionWords(best.node) }],
            rejected: [{ role: 'assistant', content: prompts.actionWords(worst.node) }],
            meta: {
              runId: source.run.id, taskId: tree.task.taskId, nodeId: at.id, depth: at.depth,
              chosenNodeId: best.node.id, rejectedNodeId: worst.node.id, chosenValue: best.value, rejectedValue: worst.value,
            },
          };
        }
        // A transposition stands for the node it duplicates: the path goes on from there.
        at = best.node.duplicateOf !== null ? byId.get(best.node.duplicateOf) : best.node;
      }
    }
  },
});
