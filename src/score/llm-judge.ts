import { UsageError } from '../core/errors.ts';
import type { Transition } from '../core/environment.ts';
import type { Candidate, ScoreContext, Scorer } from '../core/step.ts';
import type { ModelClient, ModelRequest } from '../models/types.ts';
import { chooseTemplate } from '../prompts/choose.ts';
import type { Template } from '../prompts/template.ts';
import { historyText, numberedLines, renderPrompt } from '../prompts/variables.ts';
import { promptViewFor } from '../prompts/view.ts';
import { askModel } from '../propose/ask-model.ts';
import { parsePickedIndex, parseValueVerdict, type ValueVerdict } from './judge-replies.ts';

/** A scorer backed by a model, with what a run should record about it. */
export type LlmScorer<S, A> = Scorer<S, A> & { readonly config: Record<string, unknown> };

/**
 * ToT's value weights (sure 20, likely 1, impossible 0.001) divided by 20: the mean over samples is
 * then ToT's summed value scaled into [0, 1], so candidates rank exactly as in ToT's BFS.
 */
export const TOT_VALUE_WEIGHTS: Readonly<Record<ValueVerdict, number>> = { sure: 1, likely: 0.05, impossible: 0.00005 };

/** Evenly spaced weights, easier to mix with other scorers. */
export const LINEAR_VALUE_WEIGHTS: Readonly<Record<ValueVerdict, number>> = { sure: 1, likely: 0.5, impossible: 0 };

export interface ValueJudgeOptions {
  client: ModelClient;
  /** A Template, a built-in name or a file path; by default the built-in value template for the task's environment. */
  template?: Template | string;
  /** Judge replies averaged per state (default 3, as ToT). */
  samples?: number;
  /** Default 0.7, so samples differ. */
  temperature?: number;
  /** What each verdict is worth; default TOT_VALUE_WEIGHTS. */
  weights?: Readonly<Record<ValueVerdict, number>>;
  maxOutputTokens?: number;
}

/** What the value judge shows for a step not executed yet (environments with side effects never look ahead). */
function unexecuted<S>(state: S): Transition<S> {
  return { state, observation: '(not executed yet: this step has side effects, so judge the action itself)', reward: 0, done: false, success: false, check: { valid: true } };
}

function requestFor(messages: ModelRequest['messages'], temperature: number, sample: number, maxOutputTokens: number | undefined): ModelRequest {
  return { messages, temperature, sample, ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }) };
}

/**
 * Pointwise judge, ToT-style: the value of the state a candidate leads to is the mean weight of the
 * verdicts (sure/likely/impossible) in `samples` judge replies. A reply with no verdict, or a failed
 * call, counts as no sample; with none left the value is null. States the environment already
 * decides are not sent: an invalid step or a dead end scores 0, a reached goal 1.
 */
export function valueJudge<S, A>(options: ValueJudgeOptions): LlmScorer<S, A> {
  const { client, samples = 3, temperature = 0.7, weights = TOT_VALUE_WEIGHTS, maxOutputTokens } = options;
  if (!(Number.isInteger(samples) && samples >= 1)) throw new UsageError(`the value judge's samples must be a whole number ≥ 1, got ${samples}`);
  const templates = chooseTemplate(options.template, 'value');

  return {
    name: `llm-value:${client.spec}`,
    config: { model: client.spec, samples, temperature, weights, ...templates.record },
    async score(ctx: ScoreContext<S, A>, candidates: readonly Candidate<A>[]) {
      const view = promptViewFor(ctx.env, ctx.problem);
      const template = templates.templateFor(view.family);
      const history = historyText(ctx, view);
      const byState = new Map<string, Promise<number | null>>();

      // The prompt describes the node the candidate would create: its state, observation, depth and path.
      const judge = async (candidate: Candidate<A> & { action: A }, transition: Transition<S>): Promise<number | null> => {
        const action = view.action(candidate.action);
        const messages = await renderPrompt(template, ctx, view, {
          state: view.state(transition.state),
          observation: transition.observation,
          depth: String(ctx.depth + 1),
          action,
          history: history === '' ? action : `${history}\n${action}`,
        });
        const answers = await Promise.all(Array.from({ length: samples }, (_, sample) => askModel(client, requestFor(messages, temperature, sample, maxOutputTokens), ctx)));
        const values = answers.flatMap((answer) => {
          const verdict = answer.ok ? parseValueVerdict(answer.reply.text) : null;
          return verdict === null ? [] : [weights[verdict]];
        });
        return values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length;
      };

      return Promise.all(
        candidates.map(async (candidate) => {
          if (candidate.action === null) return null;
          // A side-effecting step is judged before it runs: the prompt shows the state it starts from and the action.
          if (ctx.problem.sideEffects) return judge(candidate as Candidate<A> & { action: A }, unexecuted(ctx.state));
          const transition = await ctx.lookahead(candidate);
          if (!transition.check.valid) return 0;
          if (transition.success) return 1;
          if (transition.done) return 0;
          // A state's value does not depend on the move that reached it; judge each state once per step.
          const key = ctx.problem.stateKey(transition.state);
          let value = byState.get(key);
          if (!value) {
            value = judge(candidate as Candidate<A> & { action: A }, transition);
            byState.set(key, value);
          }
          return value;
        }),
      );
    },
  };
}

export interface PickJudgeOptions {
  client: ModelClient;
  /** A Template, a built-in name or a file path; by default the built-in pick template for the task's environment. */
  template?: Template | string;
  /** Default 0: one considered choice. */
  temperature?: number;
  maxOutputTokens?: number;
}

/**
 * Pick-one-of-k judge, GTA1-style: the judge sees the task, the history and all candidates numbered
 * from 1, and names the best. That candidate scores 1 and the others 0. A reply without a usable
 * number, or a failed call, gives null for all (no opinion); the reply stays in the recorded model call.
 * A lone candidate scores 1 without a call.
 */
export function pickJudge<S, A>(options: PickJudgeOptions): LlmScorer<S, A> {
  const { client, temperature = 0, maxOutputTokens } = options;
  const templates = chooseTemplate(options.template, 'pick');
  return {
    name: `llm-pick:${client.spec}`,
    config: { model: client.spec, temperature, ...templates.record },
    async score(ctx: ScoreContext<S, A>, candidates: readonly Candidate<A>[]) {
      if (candidates.length <= 1) return candidates.map(() => 1);
      const view = promptViewFor(ctx.env, ctx.problem);
      const listed = candidates.map((c) => (c.action === null ? c.text : view.action(c.action)));
      const messages = await renderPrompt(templates.templateFor(view.family), ctx, view, {
        candidates: numberedLines(listed),
        count: String(candidates.length),
      });
      const answer = await askModel(client, requestFor(messages, temperature, 0, maxOutputTokens), ctx);
      const picked = answer.ok ? parsePickedIndex(answer.reply.text, candidates.length) : null;
      if (picked === null || !('index' in picked)) return candidates.map(() => null);
      return candidates.map((_, i) => (i === picked.index ? 1 : 0));
    },
  };
}
