import { UsageError } from '../core/errors.ts';
import type { Candidate, ProposalBatch, ProposeContext, Proposer } from '../core/step.ts';
import type { ModelClient, ModelRequest } from '../models/types.ts';
import { chooseTemplate } from '../prompts/choose.ts';
import type { Template } from '../prompts/template.ts';
import { renderPrompt } from '../prompts/variables.ts';
import { promptViewFor } from '../prompts/view.ts';
import { askModel } from './ask-model.ts';
import { mergeAllowedActions } from './merge-candidates.ts';
import { actionReaderFor } from './read-action.ts';
import { readActionList, readOneAction, type AllowedAction } from './reply-actions.ts';

export interface LlmProposerOptions {
  client: ModelClient;
  /** A Template, a built-in name or a file path; by default the built-in template for the task's environment. */
  template?: Template | string;
  /** Candidates per step; by default the strategy's k, or 3 when the strategy asks for all there are. */
  k?: number;
  /** Sampling temperature (default 0.7, as Tree of Thoughts samples). */
  temperature?: number;
  /** `samples`: k requests (sample 0..k-1), one action each. `list`: one request for a list, one action per line. */
  mode?: 'samples' | 'list';
  maxOutputTokens?: number;
}

/** Candidates per step when neither the strategy nor the options bound them. */
export const DEFAULT_LLM_K = 3;

function positiveWhole(value: number | undefined, what: string): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) {
    throw new UsageError(`${what} must be a whole number ≥ 1, got ${value}`);
  }
}

/**
 * Asks a model for the next action, parsed into the environment's typed actions. A reply that does
 * not read as an allowed action, and a failed model call, become invalid candidates carrying the raw
 * text and the reason; nothing throws. Repeated actions merge into one candidate whose `prior` is the
 * share of samples (or list lines) that proposed it, which PUCT uses.
 */
export function llmProposer<S, A>(options: LlmProposerOptions): Proposer<S, A> & { readonly config: Record<string, unknown> } {
  const { client, mode = 'samples', temperature = 0.7, maxOutputTokens } = options;
  positiveWhole(options.k, 'the llm proposer\'s k');
  if (mode !== 'samples' && mode !== 'list') throw new UsageError(`unknown llm proposer mode "${mode}"; expected samples or list`);
  const templates = chooseTemplate(options.template, mode === 'list' ? 'propose-list' : 'propose');
  const name = `llm:${client.spec}`;

  const request = (messages: ModelRequest['messages'], sample: number): ModelRequest => ({
    messages,
    temperature,
    sample,
    ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
  });
  const invalid = (text: string, reason: string): Candidate<A> => ({ action: null, text, proposer: name, invalidReason: reason });

  const merge = (found: (AllowedAction<A> | Candidate<A>)[], total: number, limit: number) => mergeAllowedActions(found, total, limit, name);

  return {
    name,
    config: { model: client.spec, mode, k: options.k ?? null, temperature, ...templates.record, ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }) },
    async propose(ctx: ProposeContext<S, A>): Promise<ProposalBatch<A>> {
      const k = Math.max(1, Math.min(ctx.k, options.k ?? (Number.isFinite(ctx.k) ? ctx.k : DEFAULT_LLM_K)));
      const view = promptViewFor(ctx.env, ctx.problem);
      const messages = await renderPrompt(templates.templateFor(view.family), ctx, view, { k: String(k) });
      const read = actionReaderFor(ctx);
      if (mode === 'samples') {
        const answers = await Promise.all(Array.from({ length: k }, (_, sample) => askModel(client, request(messages, sample), ctx)));
        const found = await Promise.all(
          answers.map(async (answer): Promise<AllowedAction<A> | Candidate<A>> => {
            if (!answer.ok) return invalid('', answer.reason);
            const reading = await readOneAction(answer.reply.text, read);
            return reading.ok ? reading : invalid(answer.reply.text, reading.reason);
          }),
        );
        return { candidates: merge(found, k, k) };
      }
      const answer = await askModel(client, request(messages, 0), ctx);
      if (!answer.ok) return { candidates: [invalid('', answer.reason)] };
      const entries = await readActionList(answer.reply.text, read);
      if (!Array.isArray(entries)) return { candidates: [invalid(answer.reply.text, entries.reason)] };
      const found = entries.map((entry) => (entry.ok ? entry : invalid(entry.line, entry.reason)));
      return { candidates: merge(found, entries.length, k) };
    },
  };
}
