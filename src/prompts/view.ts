import type { Environment, Problem } from '../core/environment.ts';
import { environments } from '../envs/registry.ts';
import type { PromptFamily } from './load.ts';

/** How states and actions read in prompts: PlanBench's words for Blocksworld, ToT's bare numbers for Game of 24. */
export interface PromptView<S = unknown, A = unknown> {
  /** Which built-in templates fit (`<family>/propose` …); `generic` when the environment has none of its own. */
  readonly family: PromptFamily;
  state(state: S): string;
  action(action: A): string;
  /** How plain-text prompts introduce the initial state (`Input` in Tree of Thoughts); `Initial state` by default. */
  readonly initialLabel?: string;
}

/** The prompt family and wording for a loaded task: its environment plug-in's, else the problem's own rendering. */
export function promptViewFor<S, A>(env: Environment<S, A>, problem: Problem<S, A>): PromptView<S, A> {
  const own = environments.find(env.name)?.promptView?.(problem);
  return own ?? { family: 'generic', state: (state) => problem.render(state), action: (action) => env.formatAction(action) };
}
