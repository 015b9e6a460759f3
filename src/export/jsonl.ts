import { defineExportFormat } from './format.ts';

/** Every node with its action, the environment's verdict, its candidate's scores, search statistics and credit. */
export const jsonlFormat = defineExportFormat({
  name: 'jsonl',
  describe: 'every node: action, verdicts, scores, search statistics and credit values',
  async *records(source) {
    for await (const { tree, credit } of source.tasks()) {
      const candidates = new Map(tree.candidates.map((c) => [c.id, c]));
      for (const node of tree.nodes) {
        const candidate = node.candidateId ? candidates.get(node.candidateId) : undefined;
        const stats = tree.stats.get(node.id);
        yield {
          runId: source.run.id,
          env: source.run.env.name,
          taskId: tree.task.taskId,
          nodeId: node.id,
          parentId: node.parentId,
          depth: node.depth,
          action: node.action,
          actionText: node.actionText,
          check: node.check,
          terminal: node.terminal,
          success: node.success,
          duplicateOf: node.duplicateOf,
          observation: node.observation,
          candidate: candidate ? { value: candidate.value, scores: candidate.scores, prior: candidate.prior, proposer: candidate.proposer } : null,
          stats: stats ? { visits: stats.visits, value: stats.value, selected: stats.selected, pruned: stats.pruned } : null,
          credit: credit.nodes.get(node.id) ?? null,
        };
      }
    }
  },
});
