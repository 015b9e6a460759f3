import type { Task } from '../core/environment.ts';
import { UsageError } from '../core/errors.ts';
import { guards, LEARNED_PREFIX, proposers, scorerOf, scorers } from '../recipe/components.ts';
import { runRecipe } from '../recipe/run-recipe.ts';
import { loadValueModel } from '../learn/value-model.ts';
import { getEnvironment } from '../envs/registry.ts';
import { createModelClient } from '../models/client.ts';
import { parseModelSpec } from '../models/spec.ts';
import { createStrategy } from '../search/strategies/index.ts';
import type { AnnotationRecord, RecipeModel, RunRecipe, RunSummary } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import type { QueueAddress } from '../queue/address.ts';
import type { RunEvent } from '../search/run.ts';
import { evaluateRun, type TaskEvaluation } from './evaluate-run.ts';
import { planKeyNodes } from './key-node-plan.ts';
import type { ResolvedKeyNode } from './key-node.ts';
import type { SemanticJudge } from './match.ts';
import { modelSemanticJudge } from './semantic-judge.ts';
import { epochSeed, type Suite, type SuiteConfig, type SuiteTaskSet } from './suite.ts';

/** The annotation kind on each run of an eval: which suite, configuration and epoch it is. */
export const EVAL_RUN_KIND = 'eval.run';

/** What the `eval.run` annotation of each run holds: enough to rebuild the eval's summary from the store. */
export interface EvalRunAnnotation {
  evalId: string;
  suite: { name: string; description: string | null; seed: number; epochs: number; reducers: string[] };
  /** The configuration's position in the suite, so reports list configurations in suite order. */
  configIndex: number;
  config: SuiteConfig;
  taskSet: string;
  epoch: number;
  seed: number;
}

/** One run of an eval: a configuration on a task set in one epoch. */
export interface EvalJob {
  config: SuiteConfig;
  taskSet: SuiteTaskSet;
  epoch: number;
  seed: number;
  tags: Record<string, string>;
}

/** One (configuration, epoch, task) result. */
export interface EvalSample {
  config: string;
  epoch: number;
  taskSet: string;
  taskId: string;
  runId: string;
  evaluation: TaskEvaluation;
}

export type EvalEvent =
  | { type: 'plan'; jobs: number; done: number; tasks: number; tasksDone: number }
  | { type: 'task_end'; job: EvalJob; solved: boolean }
  | { type: 'run_end'; job: EvalJob; runId: string; status: string };

export interface EvalOptions {
  suite: Suite;
  evalId: string;
  store: Store;
  signal?: AbortSignal;
  onEvent?: (event: EvalEvent) => void;
  /** A judge for semantic key nodes; otherwise built from `suite.judge`. */
  judge?: SemanticJudge;
  /** What `checkSuite(suite)` returned, when the caller already checked it (so task sets load once). */
  checked?: CheckedSuite;
  /**
   * Put every run's tasks on this queue for `stepwise worker`s (sharing `store`) instead of searching here. All
   * runs are enqueued at once: the workers, not `suite.parallelRuns`, bound how much is searched in parallel.
   */
  queue?: QueueAddress;
  /** With `queue`: attempts per task before it is recorded as failed. */
  attempts?: number;
}

export interface EvalRun {
  evalId: string;
  samples: EvalSample[];
  /** Runs started now, and runs found complete from an earlier invocation. */
  ran: number;
  reused: number;
  interrupted: boolean;
}

/** A configuration's model in the recipe's words; the spec is checked now, so a typo fails before any run. */
function recipeModel(config: SuiteConfig): RecipeModel | null {
  if (!config.model) return null;
  const { spec, timeout, ...rest } = config.model as { spec: string; timeout?: number } & Omit<RecipeModel, 'spec'>;
  parseModelSpec(spec, `config ${config.name} model`);
  return JSON.parse(JSON.stringify({ ...rest, spec, timeoutMs: timeout })) as RecipeModel;
}

/** The run recipe of one eval job: the same vocabulary, provenance and components as \`stepwise run\`. */
export function recipeOfJob(job: EvalJob, suite: Suite): RunRecipe {
  const model = recipeModel(job.config);
  const { budget } = job.config;
  return JSON.parse(JSON.stringify({
    env: job.taskSet.env,
    tasks: job.taskSet.tasks,
    domain: job.taskSet.domain,
    strategy: job.config.strategy,
    strategyOptions: job.config.options,
    budget: { expansions: budget.expansions, wallMs: budget.timeLimit, modelCalls: budget.modelCalls, tokens: budget.tokens },
    maxDepth: job.config.maxDepth,
    seed: job.seed,
    scorers: job.config.scorers ?? (model ? ['none'] : ['heuristic']),
    scorerOptions: job.config.scorerOptions,
    proposer: job.config.proposer,
    guards: job.config.guards,
    model,
    concurrency: suite.concurrency,
    taskConcurrency: suite.parallelTasks,
  })) as RunRecipe;
}

/** Every (configuration, epoch, task set) of the suite, in a fixed order. */
export function planJobs(suite: Suite, evalId: string): EvalJob[] {
  const jobs: EvalJob[] = [];
  for (let epoch = 1; epoch <= suite.epochs; epoch++) {
    for (const config of suite.configs) {
      for (const taskSet of suite.tasks) {
        jobs.push({ config, taskSet, epoch, seed: epochSeed(suite.seed, epoch), tags: { suite: suite.name, config: config.name, epoch: String(epoch), eval: evalId, taskSet: taskSet.name } });
      }
    }
  }
  return jobs;
}

const jobKey = (tags: Record<string, string | undefined>) => `${tags.config}\u0000${tags.epoch}\u0000${tags.taskSet}`;

/** Each task set's tasks and their key nodes, by task set name. */
export type CheckedSuite = Map<string, { tasks: Task[]; keyNodes: Map<string, ResolvedKeyNode[]> }>;

/**
 * Loads every task set and checks every configuration (strategy options, value model files and their
 * environment) without touching a store, so a mistake in a suite fails before anything is recorded.
 */
export function checkSuite(suite: Suite): CheckedSuite {
  const taskSets: CheckedSuite = new Map();
  for (const taskSet of suite.tasks) {
    const entry = getEnvironment(taskSet.env);
    const tasks = entry.loadTasks(taskSet.tasks, { domain: taskSet.domain }).slice(0, taskSet.limit);
    if (tasks.length === 0) throw new UsageError(`task set "${taskSet.name}" names no tasks ("${taskSet.tasks}")`, { hint: `e.g. tasks: ${entry.taskSpecs[0]}` });
    taskSets.set(taskSet.name, { tasks, keyNodes: planKeyNodes(taskSet, tasks) });
  }
  // Check every configuration before running any, so a typo (or a value model of another environment) fails at once.
  for (const config of suite.configs) {
    try {
      createStrategy(config.strategy, config.options);
    } catch (error) {
      // The strategy reads options as `stepwise run` flags; say which configuration they came from.
      if (!(error instanceof UsageError)) throw error;
      throw new UsageError(`configuration "${config.name}": ${error.message}`, { hint: `${error.hint ? `${error.hint}; ` : ''}a configuration's options are those flags without the dashes` });
    }
    const named = [...(config.proposer ? [{ registry: proposers, ref: config.proposer }] : []), ...(config.guards ?? []).map((ref) => ({ registry: guards, ref }))];
    for (const { registry, ref } of named) {
      try {
        registry.parseOptions(ref.name, ref.options);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        throw new UsageError(`configuration "${config.name}": ${error.message}`, { hint: error.hint });
      }
    }
    for (const scorer of config.scorers ?? []) {
      const { name, options } = scorerOf(scorer);
      if (!scorers.has(name)) throw new UsageError(`configuration "${config.name}": unknown scorer "${scorer}"`, { hint: `scorers: ${scorers.names().join(', ')}, ${LEARNED_PREFIX}<value.json>; a plug-in adds more (--plugin <file>)` });
      try {
        scorers.parseOptions(name, { ...options, ...config.scorerOptions?.[scorer] });
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        throw new UsageError(`configuration "${config.name}": ${error.message}`, { hint: error.hint });
      }
      if (!scorer.startsWith(LEARNED_PREFIX)) continue;
      const trainedOn = loadValueModel(scorer.slice(LEARNED_PREFIX.length)).file.env;
      const foreign = suite.tasks.find((set) => set.env !== trainedOn);
      if (foreign) {
        throw new UsageError(`configuration "${config.name}": the value model ${scorer.slice(LEARNED_PREFIX.length)} was trained on ${trainedOn} runs and cannot score the ${foreign.env} steps of task set "${foreign.name}"`, {
          hint: `train one on ${foreign.env} runs with \`stepwise train-value\`, or give each environment its own configuration in its own suite`,
        });
      }
    }
  }
  return taskSets;
}

/**
 * Runs every combination of the suite that has no completed run in the store yet (so an interrupted
 * eval continues where it stopped), then checks every run's tasks against their key nodes.
 */
export async function runEval(options: EvalOptions): Promise<EvalRun> {
  const { suite, evalId, store } = options;
  const taskSets = options.checked ?? checkSuite(suite);
  const needsJudge = [...taskSets.values()].some((set) => [...set.keyNodes.values()].some((nodes) => nodes.some((n) => n.type === 'semantic')));
  let judge = options.judge;
  if (needsJudge && !judge) {
    if (!suite.judge) throw new UsageError('the suite has semantic key nodes but no judge model', { hint: 'add `judge: { model: openai:gpt-4o-mini }` (any model spec) to the suite' });
    judge = modelSemanticJudge(createModelClient({ spec: suite.judge.model, store }), { signal: options.signal });
  }

  const jobs = planJobs(suite, evalId);
  const complete = new Map<string, RunSummary>();
  for (const summary of await store.listRuns()) {
    const tags = summary.run.tags ?? {};
    if (tags.eval !== evalId || summary.end?.status !== 'completed') continue;
    const expected = taskSets.get(tags.taskSet ?? '')?.tasks.length;
    if (summary.results.length === expected && !complete.has(jobKey(tags))) complete.set(jobKey(tags), summary);
  }
  const pending = jobs.filter((job) => !complete.has(jobKey(job.tags)));
  const tasksOf = (job: EvalJob) => taskSets.get(job.taskSet.name)!.tasks.length;
  options.onEvent?.({
    type: 'plan',
    jobs: jobs.length,
    done: jobs.length - pending.length,
    tasks: jobs.reduce((n, job) => n + tasksOf(job), 0),
    tasksDone: jobs.filter((job) => complete.has(jobKey(job.tags))).reduce((n, job) => n + tasksOf(job), 0),
  });

  // Each completed run is checked against its key nodes at once and the results stored, so an eval killed
  // later still has them for `stepwise eval --report`.
  const samplesOf = new Map<string, EvalSample[]>();
  const evaluate = async (job: EvalJob, runId: string) => {
    const set = taskSets.get(job.taskSet.name)!;
    const evaluations = await evaluateRun(store, runId, (taskId) => set.keyNodes.get(taskId) ?? [], { evalId, envName: job.taskSet.env, judge });
    const samples: EvalSample[] = [];
    for (const task of set.tasks) {
      const evaluation = evaluations.get(task.id);
      if (evaluation) samples.push({ config: job.config.name, epoch: job.epoch, taskSet: job.taskSet.name, taskId: task.id, runId, evaluation });
    }
    samplesOf.set(jobKey(job.tags), samples);
    await store.flush();
  };
  let interrupted = false;
  let next = 0;
  const worker = async () => {
    while (next < pending.length && !options.signal?.aborted) {
      const job = pending[next++];
      const result = await runJob(job, taskSets.get(job.taskSet.name)!.tasks, options);
      options.onEvent?.({ type: 'run_end', job, runId: result.runId, status: result.status });
      if (result.status === 'completed') await evaluate(job, result.runId);
      else interrupted = true;
    }
  };
  await Promise.all(Array.from({ length: options.queue ? pending.length : Math.min(suite.parallelRuns, pending.length) }, worker));
  if (options.signal?.aborted) interrupted = true;
  for (const job of jobs) {
    const reused = complete.get(jobKey(job.tags));
    if (reused) await evaluate(job, reused.run.id);
  }
  const samples = jobs.flatMap((job) => samplesOf.get(jobKey(job.tags)) ?? []);
  return { evalId, samples, ran: pending.length, reused: complete.size, interrupted };
}

async function runJob(job: EvalJob, tasks: Task[], options: EvalOptions) {
  const { store, suite, queue } = options;
  const recipe = recipeOfJob(job, suite);
  const common = {
    store,
    tasks,
    tags: job.tags,
    signal: options.signal,
    onEvent(event: RunEvent) {
      if (event.type === 'task_end') options.onEvent?.({ type: 'task_end', job, solved: event.result.outcome === 'solved' });
    },
  };
  // Loaded only for a queued eval: BullMQ and its Redis client are not needed otherwise.
  const result = queue
    ? await (await import('../queue/queued-run.ts')).runRecipeOnQueue(recipe, { ...common, queue, attempts: options.attempts })
    : await runRecipe(recipe, common);
  const annotation: AnnotationRecord = {
    type: 'annotation',
    runId: result.runId,
    taskId: null,
    nodeId: null,
    kind: EVAL_RUN_KIND,
    key: '',
    data: {
      evalId: options.evalId,
      suite: { name: suite.name, description: suite.description ?? null, seed: suite.seed, epochs: suite.epochs, reducers: suite.reducers },
      configIndex: suite.configs.indexOf(job.config),
      config: job.config,
      taskSet: job.taskSet.name,
      epoch: job.epoch,
      seed: job.seed,
    } satisfies EvalRunAnnotation,
    createdAt: Date.now(),
  };
  store.append(annotation);
  return result;
}
