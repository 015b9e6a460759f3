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
import { cutText } from '../core/quote-text.ts';

/** An unreadable reply (or line) kept in its candidate up to this many characters. */
const UNREAD_TEXT_CHARS = 2000;

export interface LlmProposerOptions {
  client: ModelClient;
  /** A Template, a built-in name or a file path; by default the built-in template for the task's environment. */
  template?: Template | string;
  /**
   * Candidates per step; by default the strategy's k. When the strategy asks for all there are, list mode
   * asks for every next step with no cap (as ToT's propose prompt does), and samples mode sends DEFAULT_LLM_K.
   */
  k?: number;
  /** Sampling temperature (default 0.7, as Tree of Thoughts samples). */
  temperature?: number;
  /** `samples`: k requests (sample 0..k-1), one action each. `list`: one request for a list, one action per line. */
  mode?: 'samples' | 'list';
  maxOutputTokens?: number;
}

/** Samples per step in samples mode when neither the strategy nor the options bound them (list mode then has no cap). */
export const DEFAULT_LLM_K = 3;

/**
 * How many candidates one expansion keeps from the model: `k` (a number) or none (`Infinity`, list mode asked for
 * everything). Recorded in the proposer's config as `cap`, so `show` and the run summary can say when a cap applied.
 */
export function llmCandidateCap(mode: 'samples' | 'list', strategyK: number, ownK: number | undefined): number {
  if (ownK !== undefined) return Math.max(1, Math.min(strategyK, ownK));
  if (Number.isFinite(strategyK)) return Math.max(1, strategyK);
  return mode === 'list' ? Infinity : DEFAULT_LLM_K;
}

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
  // The reply is recorded whole with its model call; an unreadable one is not stored again whole in its candidate.
  const invalid = (text: string, reason: string): Candidate<A> => ({
    action: null,
    text: cutText(text, UNREAD_TEXT_CHARS, 'the whole reply is in the model call'),
    proposer: name,
    invalidReason: cutText(reason, UNREAD_TEXT_CHARS, 'see the model call'),
  });

  const merge = (found: (AllowedAction<A> | Candidate<A>)[], total: number, limit: number) => mergeAllowedActions(found, total, limit, name);

  return {
    name,
    config: { model: client.spec, mode, k: options.k ?? null, capWhenAll: mode === 'list' ? null : DEFAULT_LLM_K, temperature, ...templates.record, ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }) },
    async propose(ctx: ProposeContext<S, A>): Promise<ProposalBatch<A>> {
      const k = llmCandidateCap(mode, ctx.k, options.k);
      const view = promptViewFor(ctx.env, ctx.problem);
      // No cap: the k placeholder is empty, and the templates then ask for every possible next step.
      const messages = await renderPrompt(templates.templateFor(view.family), ctx, view, { k: Number.isFinite(k) ? String(k) : '' });
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
