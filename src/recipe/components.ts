import { z } from 'zod';
import { UsageError } from '../core/errors.ts';
import type { Guard, Proposer, Scorer } from '../core/step.ts';
import { createModelClient } from '../models/client.ts';
import type { ModelSpec } from '../models/spec.ts';
import type { ModelClient } from '../models/types.ts';
import { flowGuard, policyGuard } from '../guards/builtin.ts';
import { judgedGuard } from '../guards/judged.ts';
import { compilePolicy, DEFAULT_POLICY, loadPolicy, type CompiledPolicy, type PolicyFile } from '../guards/policy.ts';
import { enumerateProposer } from '../propose/enumerate.ts';
import { llmProposer } from '../propose/llm.ts';
import { toolProposer } from '../tools/tool-proposer.ts';
import { createRegistry, NO_OPTIONS, type RegistryEntry } from '../registry/registry.ts';
import { heuristicScorer } from '../score/heuristic.ts';
import { learnedScorer } from '../score/learned.ts';
import { pickJudge, valueJudge } from '../score/llm-judge.ts';
import type { RecipeModel } from '../store/records.ts';
import type { Store } from '../store/store.ts';

/** Model settings as a run's recipe records them but with the spec parsed; absent when no model is configured. */
export interface ModelSettings extends Omit<RecipeModel, 'spec'> {
  spec: ModelSpec;
}

/** What proposers, scorers and guards are built with: the run's model client (null without a model) and its settings. */
export interface ComponentContext {
  client: ModelClient | null;
  model: ModelSettings | null;
}

export type ProposerEntry = RegistryEntry<Proposer<any, any>, ComponentContext>;
export type ScorerEntry = RegistryEntry<Scorer<any, any>, ComponentContext>;
export type GuardEntry = RegistryEntry<Guard<any, any>, ComponentContext>;

/** The proposers, scorers and guards by name: the built-ins, and those plug-ins register. */
export const proposers = createRegistry<Proposer<any, any>, ComponentContext>('proposer');
export const scorers = createRegistry<Scorer<any, any>, ComponentContext>('scorer');
export const guards = createRegistry<Guard<any, any>, ComponentContext>('guard');

function clientFor(kind: string, name: string, context: ComponentContext): ModelClient {
  if (context.client) return context.client;
  throw new UsageError(`${kind} ${name} is a model judge, but no model is configured`, { hint: `configure a model for the run (a model spec such as openai:gpt-4o-mini), or ${kind === 'guard' ? 'use the policy and flow guards, which need none' : 'use the heuristic scorer'}` });
}

proposers.register({ name: 'enumerate', describe: "the environment's legal actions (all, or a seeded sample of k)", options: NO_OPTIONS, create: () => enumerateProposer() });
proposers.register({
  name: 'llm',
  describe: 'a model proposes the next action (k samples, or one reply listing candidates)',
  options: NO_OPTIONS,
  create: (_options, context) => {
    const client = context.client;
    if (!client) throw new UsageError('proposer llm needs a model, but no model is configured', { hint: 'configure a model for the run (a model spec such as openai:gpt-4o-mini)' });
    const mode = context.model?.mode;
    if (mode === 'tools') throw new UsageError('proposer llm reads text replies; model mode tools is the tools proposer', { hint: 'leave the proposer to its default, or name the tools proposer' });
    return llmProposer({ client, template: context.model?.prompt, mode, temperature: context.model?.temperature });
  },
});

proposers.register({
  name: 'tools',
  describe: "the environment's actions offered to the model as tools (native tool calling; model mode tools)",
  options: NO_OPTIONS,
  create: (_options, context) => {
    const client = context.client;
    if (!client) throw new UsageError('proposer tools needs a model, but no model is configured', { hint: 'configure a model for the run (a model spec such as openai:gpt-4o-mini)' });
    return toolProposer({ client, temperature: context.model?.temperature });
  },
});

scorers.register({ name: 'heuristic', describe: "the environment's heuristic of the state a step leads to", options: NO_OPTIONS, create: () => heuristicScorer() });
scorers.register({
  name: 'value',
  describe: 'a model judges how promising the state a step leads to is (sure / likely / impossible)',
  options: NO_OPTIONS,
  create: (_options, context) => valueJudge({ client: clientFor('scorer', 'value', context), template: context.model?.judgePrompt, samples: context.model?.judgeSamples }),
});
scorers.register({
  name: 'pick',
  describe: 'a model votes for the best candidate',
  options: NO_OPTIONS,
  create: (_options, context) => pickJudge({ client: clientFor('scorer', 'pick', context), template: context.model?.judgePrompt }),
});
scorers.register({
  name: 'learned',
  describe: 'a value model from `stepwise train-value` (written learned:<value.json>)',
  options: z.object({ path: z.string().min(1) }).strict(),
  create: (options) => learnedScorer(options.path),
});

/**
 * Where a policy guard's policy comes from: `rules` (a policy file's fields inline, as `stepwise run --policy`
 * records them, so a resume needs no file), a `policy` file, or the built-in default; `workspace` overrides
 * the policy's (the CLI records the working folder, so a default policy means the same in a resume).
 */
const policyOptions = z
  .object({ policy: z.string().min(1).optional(), rules: z.record(z.string(), z.unknown()).optional(), workspace: z.string().min(1).optional() })
  .strict()
  .refine((options) => !(options.policy && options.rules), { message: 'give the policy as a file (policy) or inline (rules), not both' });

function policyOf(options: z.infer<typeof policyOptions>): CompiledPolicy {
  const workspace = options.workspace === undefined ? {} : { workspace: options.workspace };
  if (options.policy !== undefined) return loadPolicy(options.policy, workspace);
  if (options.rules !== undefined) return compilePolicy({ ...(options.rules as PolicyFile), ...workspace }, "the guard policy in the run's recipe");
  return compilePolicy({ ...DEFAULT_POLICY, ...workspace });
}

guards.register({
  name: 'policy',
  describe: 'denies what the policy forbids: protected or outside paths, denied commands and system changes, hosts (docs/guards.md)',
  options: policyOptions,
  create: (options) => policyGuard(policyOf(options)),
});
guards.register({
  name: 'flow',
  describe: 'information flow: stops secret data at a sink, however many steps lie between the read and the send',
  options: policyOptions,
  create: (options) => flowGuard(policyOf(options)),
});
guards.register({
  name: 'judged',
  describe: "the run's model reads the whole path and the next action and answers ALLOW, DENY: reason or ASK: question",
  options: z.object({ template: z.string().min(1).optional(), onUnclear: z.enum(['allow', 'deny']).optional() }).strict(),
  create: (options, context) => judgedGuard({ client: clientFor('guard', 'judged', context), template: options.template, onUnclear: options.onUnclear }),
});

/** `learned:<value.json>`: a value model from `stepwise train-value`. */
export const LEARNED_PREFIX = 'learned:';

/** A scorer as a recipe names it: a registry name, or `learned:<file>` (the `learned` scorer with that path). */
export function scorerOf(text: string): { name: string; options: Record<string, unknown> } {
  if (text.startsWith(LEARNED_PREFIX)) return { name: 'learned', options: { path: text.slice(LEARNED_PREFIX.length) } };
  return { name: text, options: {} };
}

/** A recipe's component reference: a registry name and its options. */
export interface ComponentRef {
  name: string;
  options?: Record<string, unknown>;
}

/** What a run's proposer, scorers and guards are built from. */
export interface ComponentRequest {
  model: ModelSettings | null;
  /** `none`, or scorer names (`learned:<file>` included). */
  scorers: readonly string[];
  /** Options of named scorers, by scorer name. */
  scorerOptions?: Record<string, Record<string, unknown>>;
  /** The proposer; by default `llm` with a model, else `enumerate`. */
  proposer?: ComponentRef;
  guards?: readonly ComponentRef[];
}

/** Builds the proposer, scorers and guards a run asks for, through the registries. */
export function buildComponents(
  request: ComponentRequest,
  store: Pick<Store, 'append' | 'findModelCall'>,
  /** `offline`: never send a request (replay serves every reply from the record). */
  clientOptions: { offline?: boolean } = {},
): { proposer: Proposer<any, any>; proposerName: string; scorers: Scorer<any, any>[]; guards: Guard<any, any>[]; client: ModelClient | null } {
  const { model } = request;
  const client = model
    ? createModelClient({ spec: model.spec, store, concurrency: model.concurrency, timeoutMs: model.timeoutMs, offline: clientOptions.offline })
    : null;
  const context: ComponentContext = { client, model };
  const proposerRef = request.proposer ?? { name: !client ? 'enumerate' : model?.mode === 'tools' ? 'tools' : 'llm' };
  const proposer = proposers.create(proposerRef.name, proposerRef.options, context);
  const built = request.scorers
    .filter((name) => name !== 'none')
    .map((text) => {
      const { name, options } = scorerOf(text);
      return scorers.create(name, { ...options, ...request.scorerOptions?.[text] }, context);
    });
  const guardList = (request.guards ?? []).map((ref) => guards.create(ref.name, ref.options, context));
  return { proposer, proposerName: proposerRef.name, scorers: built, guards: guardList, client };
}
