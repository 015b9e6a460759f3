import type { ModelClient } from '../models/types.ts';
import type { PreferenceRecord } from '../feedback/records.ts';
import { offTreeContext, picksIn } from './model-context.ts';
import type { PredictionContext, SelectionPredictor } from './predictors.ts';
import type { PreferenceTurn } from './turns.ts';

export type JudgeContext = 'none' | 'profile' | 'history';

const SYSTEM = `You predict which of the actions proposed to a user of a deep-research agent the user will select.
The agent writes a report for the user's query and proposes edits; the user selects any number of them.
Reply with one line: "Picks:" followed by the numbers of the actions the user will select, comma-separated, or "Picks: none".`;

/** The user's past turns as the judge reads them: each shown action marked as selected or not. */
export function historyText(history: readonly PreferenceRecord[], limit = 60): string {
  const recent = history.filter((r) => !r.custom).slice(-limit);
  return recent.map((r) => `${r.picked ? '[selected]' : '[skipped] '} ${r.text}  (query: ${r.query})`).join('\n');
}

/**
 * An LLM judge that predicts selections with (a) no user context, (b) the user's self-described
 * profile, or (c) their full selection history (DRACULA's three settings).
 */
export function llmSelectionJudge(options: { client: ModelClient; context: JudgeContext; historyLimit?: number }): SelectionPredictor {
  const { client, context } = options;
  let calls = 0;
  return {
    name: `llm-${context}`,
    binary: true,
    fit() {},
    async predict(turn: PreferenceTurn, ctx: PredictionContext) {
      const parts = [`Query: ${turn.query}`];
      if (context === 'profile') parts.push(`The user describes themselves: ${ctx.profile(turn.userId) ?? '(no description)'}`);
      if (context === 'history') {
        const past = ctx.history(turn);
        parts.push(past.length ? `The user's earlier selections:\n${historyText(past, options.historyLimit)}` : 'The user has no earlier selections.');
      }
      parts.push(`Proposed actions:\n${turn.actions.map((a) => `${a.position}. ${a.text}`).join('\n')}`);
      const reply = await client.generate(
        { messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: parts.join('\n\n') }], temperature: 0 },
        offTreeContext(`predict-${context}`, `${turn.key}#${++calls}`),
      );
      const picks = new Set(picksIn(reply.text, turn.actions.length));
      return turn.actions.map((a) => (picks.has(a.position) ? 1 : 0));
    },
  };
}
