import type { Environment, Problem } from '../core/environment.ts';
import { blocksworldActionText, blocksworldStateText } from '../envs/strips/blocksworld-language.ts';
import type { StripsAction } from '../envs/strips/action-text.ts';
import type { PromptFamily } from './load.ts';

/** How states and actions read in prompts: PlanBench's words for Blocksworld, ToT's bare numbers for Game of 24. */
export interface PromptView<S = unknown, A = unknown> {
  readonly family: PromptFamily;
  state(state: S): string;
  action(action: A): string;
}

function isBlocksworldProblem(problem: Problem<any, any>): boolean {
  return (problem as { isBlocksworld?: unknown }).isBlocksworld === true;
}

/** The prompt family and wording for a loaded task. */
export function promptViewFor<S, A>(env: Environment<S, A>, problem: Problem<S, A>): PromptView<S, A> {
  if (isBlocksworldProblem(problem)) {
    return {
      family: 'blocksworld',
      state: (state) => blocksworldStateText((state as { facts: string[] }).facts),
      action: (action) => blocksworldActionText(action as StripsAction),
    };
  }
  if (env.name === 'game24') {
    return {
      family: 'game24',
      state: (state) => (state as { numbers: string[] }).numbers.join(' '),
      action: (action) => env.formatAction(action),
    };
  }
  return { family: 'generic', state: (state) => problem.render(state), action: (action) => env.formatAction(action) };
}
