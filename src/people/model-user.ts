import { definePerson, type Person, type Verdict } from '../feedback/types.ts';
import type { ModelClient } from '../models/types.ts';
import { offTreeContext, picksIn } from './model-context.ts';
import type { SimulatedUserSpec } from './goals.ts';

function describeGoal(user: SimulatedUserSpec): string {
  const top = (weights: Record<string, number>) => Object.entries(weights).sort((a, b) => b[1] - a[1]).map(([name]) => name).join(', ');
  return `You care most about: ${top(user.goal.topics)}. The kinds of edits you like best: ${top(user.goal.types).replaceAll('_', ' ')}.`;
}

/**
 * A simulated user played by a model: the hidden goal goes into its prompt, and it answers with the
 * numbers it picks and with a verdict on each execution.
 */
export function modelSimulatedUser(user: SimulatedUserSpec, options: { client: ModelClient }): Person {
  const { client } = options;
  let calls = 0;
  const ask = async (content: string, key: string) =>
    (await client.generate(
      {
        messages: [
          { role: 'system', content: `You are a researcher using a deep-research agent that writes reports. ${describeGoal(user)} Never state these preferences; act on them.` },
          { role: 'user', content },
        ],
        temperature: 0,
      },
      offTreeContext(`simulated-${user.id}`, `${key}#${++calls}`),
    )).text;
  return definePerson({
    id: user.id,
    profile: user.profile,
    async choose(view) {
      const reply = await ask(
        `Report so far:\n${view.stateText}\n\nProposed actions:\n${view.shown.map((a) => `${a.position}. ${a.text}`).join('\n')}\n\nWhich do you select? Reply "Picks:" and the numbers, or "Picks: none".`,
        `${view.taskId}.t${view.turn}`,
      );
      return { picked: picksIn(reply, view.shown.length), custom: [] };
    },
    async judge(view) {
      const reply = await ask(
        `You asked for: ${view.actionText}\nThe agent reports: ${view.observation}\n\nReport before:\n${view.before}\n\nReport after:\n${view.after}\n\nWas your request applied? Reply with one word: applied, partly or not, then an optional comment.`,
        `${view.taskId}.t${view.turn}.judge`,
      );
      const word = reply.trim().toLowerCase();
      const verdict: Verdict = word.startsWith('applied') ? 'applied' : word.startsWith('partly') ? 'partly' : 'not_applied';
      const comment = reply.trim().split(/\s+/).slice(1).join(' ');
      return comment ? { verdict, comment } : { verdict };
    },
  });
}
