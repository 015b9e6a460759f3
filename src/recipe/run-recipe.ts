import type { Environment, Task } from '../core/environment.ts';
import { UsageError } from '../core/errors.ts';
import { environments, getEnvironment } from '../envs/registry.ts';
import { parseModelSpec } from '../models/spec.ts';
import { ensurePlugins } from '../registry/load.ts';
import type { PluginRef } from '../registry/registry.ts';
import { collectProvenance } from '../replay/provenance.ts';
import { runSearch, type RunOptions, type RunResult } from '../search/run.ts';
import { strategies } from '../search/strategies/index.ts';
import type { RecipeModel, RecipePlugin, RunRecipe } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { buildComponents, guards, proposers, scorerOf, scorers, type ModelSettings } from './components.ts';

export interface RecipeRunOptions
  extends Pick<RunOptions<any, any>, 'runId' | 'origin' | 'resume' | 'start' | 'signal' | 'onEvent' | 'tags' | 'approvals' | 'recordedSteps' | 'maxWorlds' | 'delegate' | 'part' | 'lease'> {
  /** Guards given in code, checked after those the recipe names (`recipe.guards`). */
  guards?: RunOptions<any, any>['guards'];
  /** Where the run is recorded. */
  store: Store;
  /** Where model calls are recorded and looked up; `store` by default. */
  modelStore?: Pick<Store, 'append' | 'findModelCall'>;
  /** Never send a model request: every reply must come from `modelStore` (replay). */
  offline?: boolean;
  /** The tasks, when not loaded from the recipe's task spec (replay, resume and fork use the recorded ones; eval its checked task sets). */
  tasks?: Task[];
  /** Used instead of the registry's environment of that name (tests replay under changed dynamics with it). */
  environment?: Environment<any, any, any>;
  /** The command line recorded in the provenance; this process's by default. */
  argv?: string[];
  /** Called once the run is built and checked, just before the search starts (a CLI prints its notices then). */
  onReady?: () => void;
}

/** The built run: every component a recipe names, from the registries, and the plug-ins they came from. */
export interface BuiltRun {
  env: Environment<any, any, any>;
  tasks: Task[];
  components: ReturnType<typeof buildComponents>;
  strategy: ReturnType<typeof strategies.create>;
  /** The plug-ins the components came from, as the recipe records them. */
  plugins: RecipePlugin[];
}

/** Turns a recipe into components (environment, tasks, strategy, proposer, scorers, guards, model client) through the registries. */
export async function buildRun(recipe: RunRecipe, options: Pick<RecipeRunOptions, 'store' | 'modelStore' | 'offline' | 'tasks' | 'environment'>): Promise<BuiltRun> {
  // A recorded run names the plug-ins it was built with; they are loaded again from where it loaded them.
  await ensurePlugins(recipe.plugins, `the recipe of ${recipe.env} ${recipe.strategy}`);
  // An environment given in code (a test's changed dynamics) with its tasks needs no registry entry.
  const environment = options.environment && options.tasks ? environments.find(recipe.env) : getEnvironment(recipe.env);
  const strategy = strategies.create(recipe.strategy, recipe.strategyOptions, undefined);
  const tasks = options.tasks ?? environment!.loadTasks(recipe.tasks, { domain: recipe.domain });
  if (tasks.length === 0) throw new UsageError(`the task spec "${recipe.tasks}" names no tasks`, { hint: `e.g. ${environment?.taskSpecs[0] ?? 'another task spec'}` });
  const components = buildComponents(
    { model: modelSettingsOf(recipe.model), scorers: recipe.scorers, scorerOptions: recipe.scorerOptions, proposer: recipe.proposer, guards: recipe.guards },
    options.modelStore ?? options.store,
    { offline: options.offline },
  );
  // Environments whose steps a model carries out (report edits) take the run's model.
  const env = options.environment ?? environment!.create(environment!.options.parse({}), { client: components.client });
  // A scorer fitted to one environment (a learned value model) says so before any search starts.
  const foreign = components.scorers.find((s) => typeof s.config?.env === 'string' && s.config.env !== env.name);
  if (foreign) {
    throw new UsageError(`the ${foreign.name} scorer was trained on ${String(foreign.config!.env)} runs and cannot score ${env.name} steps`, { hint: `train one on ${env.name} runs with \`stepwise train-value\`` });
  }
  const used: (PluginRef | undefined)[] = [
    environment?.plugin,
    strategies.find(recipe.strategy)?.plugin,
    proposers.find(components.proposerName)?.plugin,
    ...recipe.scorers.map((text) => scorers.find(scorerOf(text).name)?.plugin),
    ...(recipe.guards ?? []).map((ref) => guards.find(ref.name)?.plugin),
  ];
  const plugins = [...new Map(used.filter((ref): ref is PluginRef => ref !== undefined).map((ref) => [ref.name, ref])).values()];
  return { env, tasks, components, strategy, plugins };
}

/** Builds a run from its recipe (strategy, proposer, scorers, model, budget, seed) and runs it, recording provenance. */
export async function runRecipe(recipe: RunRecipe, options: RecipeRunOptions): Promise<RunResult> {
  const { env, tasks, components, strategy, plugins } = await buildRun(recipe, options);
  const recorded: RunRecipe = plugins.length > 0 ? { ...recipe, plugins } : recipe;
  options.onReady?.();
  return runSearch({
    env,
    tasks,
    proposer: components.proposer,
    scorers: components.scorers,
    guards: [...components.guards, ...(options.guards ?? [])],
    approvals: options.approvals,
    recordedSteps: options.recordedSteps,
    maxWorlds: options.maxWorlds ?? recipe.maxWorlds,
    delegate: options.delegate,
    part: options.part,
    lease: options.lease,
    strategy,
    budget: recipe.budget,
    maxDepth: recipe.maxDepth,
    seed: recipe.seed,
    store: options.store,
    concurrency: recipe.concurrency,
    taskConcurrency: recipe.taskConcurrency,
    taskSpec: recipe.tasks,
    runId: options.runId,
    tags: options.tags,
    // A part of a run (a queue job) records no run of its own; its provenance (a `git` call) would be thrown away.
    provenance: options.part ? undefined : collectProvenance({ recipe: recorded, proposer: components.proposer, scorers: components.scorers, argv: options.argv }),
    origin: options.origin,
    resume: options.resume,
    start: options.start,
    signal: options.signal,
    onEvent: options.onEvent,
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
