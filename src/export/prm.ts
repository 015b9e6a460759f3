import { finishedTrajectories } from '../credit/trajectories.ts';
import { defineExportFormat } from './format.ts';

/**
 * Step-labelled trajectories in TRL's stepwise supervision format: `prompt` (the problem in words),
 * `completions` (one per step, in the prompt's words) and `labels` (one boolean per step). A step is
 * labelled good when the environment accepted it and a success lies below it (Monte Carlo value > 0),
 * as Math-Shepherd labels steps by whether any completion from them reaches the answer.
 */
export const prmFormat = defineExportFormat({
  name: 'prm',
  describe: 'every finished trajectory with per-step labels (TRL stepwise supervision: prompt, completions, labels)',
  async *records(source) {
    for await (const { tree, credit, prompts } of source.tasks()) {
      for (const trajectory of finishedTrajectories(tree.nodes)) {
        const steps = trajectory.nodes.slice(1);
        if (steps.length === 0) continue;
        yield {
          prompt: prompts.problemText,
          completions: steps.map((node) => prompts.actionWords(node)),
          labels: steps.map((node) => node.check.valid && (credit.nodes.get(node.id)?.mcValue ?? 0) > 0),
          meta: { runId: source.run.id, taskId: tree.task.taskId, leafNodeId: steps[steps.length - 1].id, outcome: trajectory.outcome },
        };
      }
    }
  },
});
