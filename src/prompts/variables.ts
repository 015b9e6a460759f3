import type { StepContext } from '../core/step.ts';
import type { ChatMessage } from '../models/types.ts';
import { renderTemplate, type Template } from './template.ts';
import type { PromptView } from './view.ts';

/** How many allowed actions `{{legal_actions}}` lists before saying how many more there are. */
const LEGAL_ACTIONS_SHOWN = 20;

/** Values a caller supplies on top of the context's: `k`, `candidates`, or a lookahead's `state`. */
export type PromptValues = Partial<Record<string, string>>;

/**
 * Fills a template from a step context. Only the placeholders the template uses are computed
 * (listing legal actions may be costly); `overrides` win over the context's values.
 */
export async function renderPrompt<S, A>(
  template: Template,
  ctx: StepContext<S, A>,
  view: PromptView<S, A>,
  overrides: PromptValues = {},
): Promise<ChatMessage[]> {
  const values: Record<string, string> = {};
  for (const name of template.placeholders) {
    const override = overrides[name];
    values[name] = override !== undefined ? override : await contextValue(name, ctx, view);
  }
  return renderTemplate(template, values);
}

/** The actions from the root to the context's node, one per line, in the view's words. */
export function historyText<S, A>(ctx: StepContext<S, A>, view: PromptView<S, A>): string {
  return ctx.trajectory.map((step) => view.action(step.action)).join('\n');
}

/** `1. first\n2. second`. */
export function numberedLines(items: readonly string[]): string {
  return items.map((item, i) => `${i + 1}. ${item}`).join('\n');
}

async function contextValue<S, A>(name: string, ctx: StepContext<S, A>, view: PromptView<S, A>): Promise<string> {
  switch (name) {
    case 'goal':
      return ctx.problem.goalText;
    case 'state':
      return view.state(ctx.state);
    case 'initial_state':
      return view.state(ctx.problem.initialState);
    case 'history':
      return historyText(ctx, view);
    case 'observation':
      return ctx.trajectory.at(-1)?.observation ?? '';
    case 'depth':
      return String(ctx.depth);
    case 'legal_actions':
      return legalActionsText(ctx, view);
    default:
      // `k`, `candidates`, `count` and `action` only exist where the caller supplies them.
      throw new Error(`no value for {{${name}}} in this prompt`);
  }
}

async function legalActionsText<S, A>(ctx: StepContext<S, A>, view: PromptView<S, A>): Promise<string> {
  if (!ctx.problem.legalActions) return '';
  const actions = await ctx.problem.legalActions(ctx.state);
  const shown = actions.slice(0, LEGAL_ACTIONS_SHOWN).map((a) => view.action(a));
  const more = actions.length - shown.length;
  return more > 0 ? `${shown.join('\n')}\n(and ${more} more)` : shown.join('\n');
}
