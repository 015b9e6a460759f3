import { UsageError } from '../core/errors.ts';
import type { Proposer, Scorer } from '../core/step.ts';
import { createModelClient } from '../models/client.ts';
import type { ModelSpec } from '../models/spec.ts';
import type { ModelClient } from '../models/types.ts';
import { enumerateProposer } from '../propose/enumerate.ts';
import { llmProposer } from '../propose/llm.ts';
import { heuristicScorer } from '../score/heuristic.ts';
import { learnedScorer } from '../score/learned.ts';
import { toolProposer } from '../tools/tool-proposer.ts';
import { pickJudge, valueJudge } from '../score/llm-judge.ts';
import type { RecipeModel } from '../store/records.ts';
import type { Store } from '../store/store.ts';

/** Model settings from the command line, as a run's recipe records them but with the spec parsed; absent when no model is configured. */
export interface ModelSettings extends Omit<RecipeModel, 'spec'> {
  spec: ModelSpec;
}

export const SCORER_NAMES = ['heuristic', 'value', 'pick', 'none'] as const;
/** `learned:<value.json>`: a value model from `stepwise train-value`. */
export const LEARNED_PREFIX = 'learned:';

/** Builds the proposer and scorers a run asks for: the model's when one is configured, else the enumerator. */
export function buildComponents(
  model: ModelSettings | null,
  scorerNames: readonly string[],
  store: Pick<Store, 'append' | 'findModelCall'>,
  /** `offline`: never send a request (replay serves every reply from the record). */
  clientOptions: { offline?: boolean } = {},
): { proposer: Proposer<any, any>; scorers: Scorer<any, any>[]; client: ModelClient | null } {
  const client = model
    ? createModelClient({ spec: model.spec, store, concurrency: model.concurrency, timeoutMs: model.timeoutMs, offline: clientOptions.offline })
    : null;
  const proposer = !client
    ? enumerateProposer()
    : model?.mode === 'tools'
      ? toolProposer({ client, temperature: model.temperature })
      : llmProposer({ client, template: model?.prompt, mode: model?.mode, temperature: model?.temperature });
  const scorers = scorerNames
    .filter((name) => name !== 'none')
    .map((name): Scorer<any, any> => {
      if (name === 'heuristic') return heuristicScorer();
      if (name.startsWith(LEARNED_PREFIX)) return learnedScorer(name.slice(LEARNED_PREFIX.length));
      if (!client) {
        throw new UsageError(`--scorer ${name} is a model judge, but no model is configured`, {
          hint: 'pass --model <spec> (or set STEPWISE_MODEL), or use --scorer heuristic',
        });
      }
      return name === 'value'
        ? valueJudge({ client, template: model?.judgePrompt, samples: model?.judgeSamples })
        : pickJudge({ client, template: model?.judgePrompt });
    });
  return { proposer, scorers, client };
}

/** Reads `--scorer heuristic,value`: a comma list of SCORER_NAMES. */
export function parseScorerList(text: string): string[] {
  const names = text.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(SCORER_NAMES as readonly string[]).includes(name) && !(name.startsWith(LEARNED_PREFIX) && name.length > LEARNED_PREFIX.length));
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(`--scorer must be a comma list of ${SCORER_NAMES.join(', ')}, ${LEARNED_PREFIX}<value.json>; got "${text}"`, {
      hint: 'e.g. --scorer heuristic, or --scorer value with --model',
    });
  }
  if (names.includes('none') && names.length > 1) throw new UsageError('--scorer none cannot be combined with other scorers');
  return names;
}
