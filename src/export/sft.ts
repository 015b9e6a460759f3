import { finishedTrajectories } from '../credit/trajectories.ts';
import type { ChatMessage } from '../models/types.ts';
import { defineExportFormat } from './format.ts';

/**
 * Successful trajectories as chat transcripts of an agent loop: the propose prompt at the root, then for each
 * step the assistant's action and the environment's observation as the next user turn (none after the last step).
 */
export const sftFormat = defineExportFormat({
  name: 'sft',
  describe: 'successful trajectories as chat messages (prompt, then action / observation turns)',
  async *records(source) {
    for await (const { tree, prompts } of source.tasks()) {
      for (const trajectory of finishedTrajectories(tree.nodes)) {
        if (trajectory.outcome !== 1) continue;
        const [root, ...steps] = trajectory.nodes;
        if (steps.length === 0) continue;
        const messages: ChatMessage[] = [...(await prompts.messagesAt(root))];
        steps.forEach((node, i) => {
          messages.push({ role: 'assistant', content: prompts.actionWords(node) });
          if (i < steps.length - 1) messages.push({ role: 'user', content: node.observation });
        });
        yield { messages, meta: { runId: source.run.id, taskId: tree.task.taskId, leafNodeId: steps[steps.length - 1].id } };
      }
    }
  },
});
