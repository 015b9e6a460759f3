import type { Environment, Task } from '../core/environment.ts';
import { UsageError } from '../core/errors.ts';
import { buildComponents, type ModelSettings } from '../search/components.ts';
import { getEnvironment } from '../envs/registry.ts';
import type { ModelClient } from '../models/types.ts';
import { parseModelSpec } from '../models/spec.ts';
import { runSearch, type RunOptions, type RunResult } from '../search/run.ts';
import { createStrategy } from '../search/strategies/index.ts';
import type { RecipeModel, RunRecipe } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { collectProvenance } from './provenance.ts';

export interface RecipeRunOptions
  extends Pick<RunOptions<any, any>, 'runId' | 'origin' | 'resume' | 'start' | 'signal' | 'onEvent' | 'approvals' | 'guards' | 'recordedSteps' | 'maxWorlds' | 'delegate' | 'part'> {
  /** Where the run is recorded. */
  store: Store;
  /** Where model calls are recorded and looked up; `store` by default. */
  modelStore?: Pick<Store, 'append' | 'findModelCall'>;
  /** Never send a model request: every reply must come from `modelStore` (replay). */
  offline?: boolean;
  /** The tasks, when not loaded from the recipe's task spec (replay, resume and fork use the recorded ones). */
  tasks?: Task[];
  /** Used instead of the registry's environment of that name (tests replay under changed dynamics with it). */
  environment?: Environment<any, any, any>;
  /** The command line recorded in the provenance; this process's by default. */
  argv?: string[];
  /** Called once the run is built and checked, just before the search starts (a CLI prints its notices then). */
  onReady?: () => void;
}

/** Builds a run from its recipe (strategy, proposer, scorers, model, budget, seed) and runs it, recording provenance. */
export async function runRecipe(recipe: RunRecipe, options: RecipeRunOptions): Promise<RunResult> {
  const strategy = createStrategy(recipe.strategy, recipe.strategyOptions);
  const tasks = options.tasks ?? getEnvironment(recipe.env).loadTasks(recipe.tasks, { domain: recipe.domain });
  if (tasks.length === 0) throw new UsageError(`the task spec "${recipe.tasks}" names no tasks`, { hint: `e.g. --tasks ${getEnvironment(recipe.env).taskSpecs[0]}` });
  const { proposer, scorers, client } = buildComponents(modelSettingsOf(recipe.model), recipe.scorers, options.modelStore ?? options.store, {
    offline: options.offline,
  });
  // Environments whose steps a model carries out (report edits) take the run's model.
  const env = options.environment ?? modelEnvironment(recipe.env, client);
  // A scorer fitted to one environment (a learned value model) says so before any search starts.
  const foreign = scorers.find((s) => typeof s.config?.env === 'string' && s.config.env !== env.name);
  if (foreign) {
    throw new UsageError(`the ${foreign.name} scorer was trained on ${String(foreign.config!.env)} runs and cannot score ${env.name} steps`, { hint: `train one on ${env.name} runs with \`stepwise train-value\`` });
  }
  options.onReady?.();
  return runSearch({
    env,
    tasks,
    proposer,
    scorers,
    strategy,
    budget: recipe.budget,
    maxDepth: recipe.maxDepth,
    seed: recipe.seed,
    store: options.store,
    concurrency: recipe.concurrency,
    taskConcurrency: recipe.taskConcurrency,
    taskSpec: recipe.tasks,
    runId: options.runId,
    provenance: collectProvenance({ recipe, proposer, scorers, argv: options.argv }),
    origin: options.origin,
    resume: options.resume,
    start: options.start,
    recordedSteps: options.recordedSteps,
    maxWorlds: options.maxWorlds,
    guards: options.guards,
    approvals: options.approvals,
    signal: options.signal,
    onEvent: options.onEvent,
    delegate: options.delegate,
    part: options.part,
  });
}

export function modelSettingsOf(model: RecipeModel | null): ModelSettings | null {
  return model ? { ...model, spec: parseModelSpec(model.spec) } : null;
}

export function recipeModelOf(model: ModelSettings | null | undefined): RecipeModel | null {
  if (!model) return null;
  const { spec, ...rest } = model;
  return JSON.parse(JSON.stringify({ spec: spec.text, ...rest })) as RecipeModel;
}

/** The registry's environment, or the one it builds around the run's model (report edits a model carries out). */
function modelEnvironment(name: string, client: ModelClient | null): Environment<any, any, any> {
  const entry = getEnvironment(name);
  return client && entry.withModel ? entry.withModel(client) : entry.env;
}
