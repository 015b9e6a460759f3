import { UsageError } from '../core/errors.ts';
import { environments, getEnvironment } from '../envs/registry.ts';
import { MODEL_ENV_VARIABLE, resolveModelSpec, type ModelSpec } from '../models/spec.ts';
import type { BudgetLimits } from '../search/budget.ts';
import type { RunResult } from '../search/run.ts';
import { createStrategy, strategies } from '../search/strategies/index.ts';
import { DEFAULT_STORE_PATH, openStore } from '../store/index.ts';
import { dbFlag, defaultStore, intOption, isPersistent, parseCommandArgs, QUOTE_ADVICE, rejectExtraPositionals, type Command } from './args.ts';
import { parseDuration } from '../core/duration.ts';
import { BENCHMARK_DATA_NOTE, duration, fixed, table } from './format.ts';
import { guards, LEARNED_PREFIX, type ModelSettings } from '../recipe/components.ts';
import { parseGuardList, parseScorerList } from './component-flags.ts';
import { withRunProgress } from './run-progress.ts';
import { recipeModelOf, runRecipe } from '../recipe/run-recipe.ts';
import type { RecipeComponent, RunRecipe } from '../store/records.ts';
import { describeProposalCap } from '../propose/proposal-cap.ts';
import { modelCallHealth, reportModelCallFailures, type ModelCallHealth } from './model-call-report.ts';
import type { Task } from '../core/environment.ts';
import { describeQueueProgress, parseQueueAddress, runRecipeOnQueue, type QueueProgress } from '../queue/index.ts';
import { createProgress } from './progress.ts';
import { withLiveOtelExport } from '../otel/index.ts';
import { DEFAULT_MAX_WORLDS } from '../worlds/pool.ts';

export interface RunRequest {
  env: string;
  tasks: string;
  domain?: string;
  strategy: string;
  strategyOptions: Record<string, string | undefined>;
  budget: BudgetLimits;
  maxDepth?: number;
  seed: number;
  db: string;
  /** Scorer names (heuristic, value, pick) or ['none']. */
  scorers: string[];
  /** The model, when one is configured; the enumerator proposes otherwise. */
  model?: ModelSettings | null;
  concurrency?: number;
  taskConcurrency?: number;
  /** Suppress the progress bar (e.g. for --json). */
  quiet?: boolean;
  /** Printed on stderr once the run is set up and about to search. */
  notice?: string;
  /** `redis://…[#name]`: put one job per task on this queue for `stepwise worker`s instead of searching here. */
  queue?: string;
  /** With `queue`: attempts per task before it is recorded as failed. */
  attempts?: number;
  /** An OTLP/HTTP collector that receives each task's spans as it finishes. */
  otelEndpoint?: string;
  /** Guards checked on every candidate before it runs, by registry name (`--guard`, `--policy`). */
  guards?: RecipeComponent[];
  /** Worlds (sandboxed copies) open at once per task, for environments with side effects. */
  maxWorlds?: number;
}

/** The recipe a request stands for: what the run records so replay, resume and fork can build it again. */
export function recipeOf(request: RunRequest): RunRecipe {
  return JSON.parse(JSON.stringify({
    env: request.env,
    tasks: request.tasks,
    domain: request.domain,
    strategy: request.strategy,
    strategyOptions: request.strategyOptions,
    budget: request.budget,
    maxDepth: request.maxDepth,
    seed: request.seed,
    scorers: request.scorers,
    model: recipeModelOf(request.model),
    concurrency: request.concurrency,
    taskConcurrency: request.taskConcurrency,
    guards: request.guards,
    maxWorlds: request.maxWorlds,
  })) as RunRecipe;
}

/** Loads tasks, runs the search with a progress bar, records it, and returns the result with how its model calls went. */
export async function executeRun(request: RunRequest): Promise<RunResult & { modelCalls: ModelCallHealth; proposalCap: string | null }> {
  const entry = getEnvironment(request.env);
  const strategy = createStrategy(request.strategy, request.strategyOptions);
  const tasks = entry.loadTasks(request.tasks, { domain: request.domain });
  if (tasks.length === 0) throw new UsageError(`the task spec "${request.tasks}" names no tasks`, { hint: `e.g. --tasks ${entry.taskSpecs[0]}` });
  if (request.queue !== undefined) return executeQueuedRun(request, tasks);
  const opened = openStore(request.db);
  const store = request.otelEndpoint ? withLiveOtelExport(opened, request.otelEndpoint) : opened;
  try {
    const onReady = () => request.notice && console.error(request.notice);
    const result = await withRunProgress(`${request.env} ${strategy.name}`, tasks.length, request.quiet ?? false, (hooks) =>
      runRecipe(recipeOf(request), { store, tasks, onReady, ...hooks }),
    );
    const { run } = await store.getRun(result.runId);
    return { ...result, modelCalls: await modelCallHealth(store, result.runId), proposalCap: describeProposalCap(run) };
  } finally {
    await store.close();
  }
}

/** The run recorded here, its tasks searched by workers: progress per job state and per worker on stderr, Ctrl-C withdraws queued jobs. */
async function executeQueuedRun(request: RunRequest, tasks: Task[]): Promise<RunResult & { modelCalls: ModelCallHealth; proposalCap: string | null }> {
  const queue = parseQueueAddress(request.queue!);
  if (request.otelEndpoint) throw new UsageError('with --queue the workers search the tasks: pass --otel-endpoint to each `stepwise worker` instead');
  if (!isPersistent(request.db)) {
    throw new UsageError(`--queue needs a store the workers share, not --db ${request.db}`, { hint: 'pass --db <file on a shared disk> or --db postgres://…, and the same --db to each `stepwise worker`' });
  }
  const store = openStore(request.db);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const progress = request.quiet ? null : createProgress(`${request.env} ${request.strategy} on queue ${queue.name}`, tasks.length);
  const report = (message: string) => console.error(message);
  let last: QueueProgress | null = null;
  try {
    const result = await runRecipeOnQueue(recipeOf(request), {
      store,
      queue,
      tasks,
      attempts: request.attempts,
      signal: controller.signal,
      onReady: () => {
        if (request.notice) report(request.notice);
        if (!request.quiet) report(`enqueued ${tasks.length} task job(s) on ${queue.redisUrl} (queue ${queue.name}); start workers with \`stepwise worker --queue ${request.queue}${dbFlag(request.db)}\``);
      },
      onProgress: (p) => {
        last = p;
        progress?.update(p.done + p.failed, describeQueueProgress(p));
      },
      report: request.quiet ? undefined : report,
    });
    const { run } = await store.getRun(result.runId);
    return { ...result, modelCalls: await modelCallHealth(store, result.runId), proposalCap: describeProposalCap(run) };
  } finally {
    progress?.finish(last ? describeQueueProgress(last) : '');
    process.off('SIGINT', onSigint);
    await store.close();
  }
}

export function summaryTable(rows: { label: string; result: RunResult }[]): string {
  return table(
    ['run', 'tasks', 'solved', 'unsolvable', 'budget', 'failed', 'mean plan', 'expansions', 'wall'],
    rows.map(({ label, result: { stats } }) => [
      label,
      stats.tasks,
      stats.solved,
      stats.unsolvable,
      stats.budgetExhausted,
      stats.failed,
      fixed(stats.meanPlanLength, 1),
      stats.expansions,
      duration(stats.wallMs),
    ]),
  );
}

export const runCommand: Command = {
  name: 'run',
  // A getter: plug-ins loaded before the command add environments and strategies to it.
  get help() {
    return `Usage: stepwise run <env> --tasks <spec> [options]

Environments and task specs:
${environments
  .entries()
  .map((e) => `  ${e.name.padEnd(8)} ${e.describe}${e.plugin ? ` (plug-in ${e.plugin.name})` : ''}\n${e.taskSpecs.map((s) => `             --tasks ${s}`).join('\n')}`)
  .join('\n')}

Options:
  --tasks <spec>          which tasks (see above)
  --domain <file>         PDDL domain for STRIPS problem files
  --strategy <name>       ${strategies.names().join(' | ')} (default bfs; greedy with --model)
  --width <n|all>         beam / bfs: nodes kept per level
  --k <n|all>             candidates per expansion (default all)
  --aggregate <how>       beam: last | mean | min | sum
  --select <how>          bfs: greedy | sample
  --threshold <v>         dfs: prune children valued below v
  --simulations <n>       mcts: simulations per task (default 1000)
  --variant <uct|puct>    mcts variant; --exploration <c>; --rollout-depth <n>; --virtual-loss <n>
  --prior <proposer|value> mcts puct priors: the proposer's, or a softmax of the scorers' values
                          (default value with a learned scorer); --prior-temperature <t> (default 0.1)
  --option <name=value>   an option of the strategy by its name (repeatable; a plug-in strategy's options)
  --scorer <list>         how candidates are valued: heuristic, value, pick, none, learned:<value.json>,
                          or a comma list (default heuristic; none with --model). value and pick are
                          model judges; learned:<file> is a value model from \`stepwise train-value\`.
Models (without one, the legal-action enumerator proposes):
  --model <spec>          openai:gpt-4o-mini | anthropic:<model> | openai-compatible:<url>#<model>
                          (default $${MODEL_ENV_VARIABLE}); keys from OPENAI_API_KEY, ANTHROPIC_API_KEY,
                          and STEPWISE_API_KEY for an openai-compatible server that wants one
  --prompt <name|file>    proposer prompt template (default: the environment's built-in)
  --judge-prompt <name|file>  judge prompt template
  --mode <samples|list|tools>  k sampled replies, one reply listing candidates, or k replies whose
                          native tool calls are the candidates (the actions offered as tools; default samples)
  --temperature <t>       proposer sampling temperature (default 0.7)
  --judge-samples <n>     value-judge samples averaged per state (default 3)
  --model-concurrency <n> requests in flight to the model (default 8)
  --model-timeout <dur>   per request, e.g. 60s (default 60s)
  --max-model-calls <n>   budget per task;  --max-tokens <n>  token budget per task
Budgets and running:
  --max-expansions <n>    budget per task (default 20000)
  --time-limit <dur>      wall-time budget per task, e.g. 30s, 2m
  --max-depth <n>         do not expand nodes at this depth (default 64)
  --concurrency <n>       proposer/scorer calls in flight (default 8)
  --parallel-tasks <n>    tasks searched at once (default 1)
  --max-worlds <n>        environments with side effects (workspace, browser): sandboxed worlds open at
                          once per task (default ${DEFAULT_MAX_WORLDS})
  --seed <n>              seed for sampling and tie-breaking (default 0)
  --db <path>             store: a file, sqlite:<file>, postgres://… or memory: (keeps nothing); default $STEPWISE_DB, else ${DEFAULT_STORE_PATH}
Guards (docs/guards.md; recorded in the run, so \`stepwise resume\` rebuilds them):
  --guard <list>          checked on every candidate before it runs: ${guards.names().join(', ')}
                          (comma list, in order); policy: protected and outside paths, denied commands,
                          hosts; flow: secret data stopped at a sink; judged: the model reads the path and
                          answers ALLOW, DENY or ASK (ASK pauses the run for \`stepwise approve\`)
  --policy <file>         the policy and flow guards' policy (YAML or JSON); the built-in default with
                          the working folder as workspace otherwise
Scale out (see \`stepwise worker --help\`):
  --queue <url>           redis://host:port[/db][#name]: record the run here and put one job per task on
                          this BullMQ queue; \`stepwise worker\`s sharing --db search them; progress per worker
  --attempts <n>          tries per task before it is recorded as failed (default 3; a killed worker's
                          job is retried elsewhere without using one up)
  --otel-endpoint <url>   send each task's tree to an OpenTelemetry collector (OTLP/HTTP, GenAI spans)
                          as it finishes, e.g. http://127.0.0.1:4318
  --json                  print the summary as one JSON object on stdout
  --plugin <file|package> load a plug-in's environments, strategies and scorers (repeatable; also
                          stepwise.config.{ts,js,mjs} in the working directory; docs/extending.md)

Examples:
  stepwise run strips --tasks "generate:blocksworld?count=10&blocks=5&length=8" --strategy mcts
  stepwise run strips --tasks ../shared/data/planbench/blocksworld/instances --strategy bfs --width all
  stepwise run game24 --tasks tot:../shared/data/tot/24.csv:900-999 --strategy dfs --json
  stepwise run game24 --tasks tot:../shared/data/tot/24.csv:900-999 --strategy dfs \\
      --queue redis://127.0.0.1:6379 --db runs.db        # with \`stepwise worker\`s on the same queue
  stepwise run game24 --tasks tot:../shared/data/tot/24.csv:900-909 --model openai:gpt-4o-mini \\
      --strategy bfs --mode list --scorer value
  stepwise run workspace --tasks builtin --model openai:gpt-4o-mini --mode tools \\
      --guard policy,flow,judged --policy policy.yaml --max-worlds 4

${BENCHMARK_DATA_NOTE}`;
  },
  async run(argv) {
    const { values, positionals } = parseCommandArgs('run', argv, {
      tasks: { type: 'string' },
      domain: { type: 'string' },
      strategy: { type: 'string' },
      width: { type: 'string' },
      k: { type: 'string' },
      aggregate: { type: 'string' },
      select: { type: 'string' },
      threshold: { type: 'string' },
      simulations: { type: 'string' },
      variant: { type: 'string' },
      exploration: { type: 'string' },
      'rollout-depth': { type: 'string' },
      'virtual-loss': { type: 'string' },
      prior: { type: 'string' },
      'prior-temperature': { type: 'string' },
      option: { type: 'string', multiple: true },
      scorer: { type: 'string' },
      model: { type: 'string' },
      prompt: { type: 'string' },
      'judge-prompt': { type: 'string' },
      mode: { type: 'string' },
      temperature: { type: 'string' },
      'judge-samples': { type: 'string' },
      'model-concurrency': { type: 'string' },
      'model-timeout': { type: 'string' },
      'max-model-calls': { type: 'string' },
      'max-tokens': { type: 'string' },
      'max-expansions': { type: 'string', default: '20000' },
      'time-limit': { type: 'string' },
      'max-depth': { type: 'string' },
      concurrency: { type: 'string' },
      'parallel-tasks': { type: 'string' },
      'max-worlds': { type: 'string' },
      guard: { type: 'string' },
      policy: { type: 'string' },
      seed: { type: 'string', default: '0' },
      db: { type: 'string', default: defaultStore() },
      json: { type: 'boolean', default: false },
      queue: { type: 'string' },
      attempts: { type: 'string' },
      'otel-endpoint': { type: 'string' },
    });
    if (values.help) {
      console.log(runCommand.help);
      return 0;
    }
    const [env] = positionals;
    if (!env) throw new UsageError('which environment?', { hint: `e.g. \`stepwise run strips --tasks …\`; environments: ${environments.names().join(', ')}` });
    rejectExtraPositionals('run', positionals, 1, QUOTE_ADVICE);
    const examples = getEnvironment(env).taskSpecs;
    if (!values.tasks) throw new UsageError(`--tasks is required: which ${env} tasks to search`, { hint: `e.g. --tasks ${examples[0]}` });
    const spec = resolveModelSpec(values.model);
    const model = spec ? modelSettings(spec, values) : null;
    const strategy = values.strategy ?? (model ? 'greedy' : 'bfs');
    const scorers = parseScorerList(values.scorer ?? (model ? 'none' : 'heuristic'));
    const guardRefs = parseGuardList(values.guard, values.policy);
    if (guardRefs?.some((ref) => ref.name === 'judged') && !model) {
      throw new UsageError('--guard judged is a model judge, but no model is configured', { hint: `pass --model <spec> (or set $${MODEL_ENV_VARIABLE}), or use --guard policy,flow` });
    }
    const timeLimit = values['time-limit'] === undefined ? undefined : parseDuration(values['time-limit']);
    if (timeLimit === null || timeLimit === 0) throw new UsageError(`--time-limit must be a positive duration like 30s or 2m, got "${values['time-limit']}"`);
    const strategyOptions = {
      width: values.width,
      k: values.k,
      aggregate: values.aggregate,
      select: values.select,
      threshold: values.threshold,
      simulations: values.simulations,
      variant: values.variant,
      exploration: values.exploration,
      'rollout-depth': values['rollout-depth'],
      'virtual-loss': values['virtual-loss'],
      // A learned value model guides MCTS as a prior too, unless told otherwise.
      prior: values.prior ?? (strategy === 'mcts' && scorers.some((name) => name.startsWith(LEARNED_PREFIX)) ? 'value' : undefined),
      'prior-temperature': values['prior-temperature'],
      ...optionFlags(values.option ?? []),
    };
    const result = await executeRun({
      env,
      tasks: values.tasks,
      domain: values.domain,
      strategy,
      strategyOptions,
      budget: {
        expansions: intOption('max-expansions', values['max-expansions'], { min: 1 }),
        wallMs: timeLimit,
        modelCalls: intOption('max-model-calls', values['max-model-calls'], { min: 1 }),
        tokens: intOption('max-tokens', values['max-tokens'], { min: 1 }),
      },
      maxDepth: intOption('max-depth', values['max-depth'], { min: 1 }),
      seed: intOption('seed', values.seed)!,
      db: values.db!,
      scorers,
      model,
      notice: model || values.json ? undefined : `no model configured (--model or ${MODEL_ENV_VARIABLE}): candidates come from the legal-action enumerator`,
      concurrency: intOption('concurrency', values.concurrency, { min: 1 }),
      taskConcurrency: intOption('parallel-tasks', values['parallel-tasks'], { min: 1 }),
      quiet: values.json,
      queue: values.queue,
      attempts: intOption('attempts', values.attempts, { min: 1 }),
      otelEndpoint: values['otel-endpoint'],
      guards: guardRefs,
      maxWorlds: intOption('max-worlds', values['max-worlds'], { min: 1 }),
    });
    if (values.json) {
      console.log(JSON.stringify({ runId: result.runId, env, strategy, model: spec?.text ?? null, status: result.status, ...result.stats, proposalCap: result.proposalCap, judgments: result.modelCalls.judgments, db: values.db }));
    } else {
      console.log(summaryTable([{ label: result.runId, result }]));
      if (result.proposalCap) console.log(result.proposalCap);
      console.log(
        isPersistent(values.db!)
          ? `\nRecorded in ${values.db}. Next: stepwise show ${result.runId}${dbFlag(values.db!)}`
          : `\nNothing was kept (--db ${values.db}); pass --db <file> to record the run.`,
      );
    }
    if (result.status === 'interrupted') {
      console.error(`stepwise run: interrupted after ${result.stats.tasks} task(s); the tasks searched so far are recorded.`);
      return 130;
    }
    return reportModelCallFailures('run', result.runId, result.modelCalls) ?? 0;
  },
};

/** Model flags, checked before anything runs. */
function modelSettings(spec: ModelSpec, values: Record<string, string | string[] | boolean | undefined>): ModelSettings {
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  const mode = text('mode');
  if (mode !== undefined && mode !== 'samples' && mode !== 'list' && mode !== 'tools') throw new UsageError(`--mode must be samples, list or tools, got "${mode}"`);
  const temperatureText = text('temperature');
  const temperature = temperatureText === undefined ? undefined : Number(temperatureText);
  if (temperature !== undefined && (!Number.isFinite(temperature) || temperature < 0 || temperature > 2)) {
    throw new UsageError(`--temperature must be a number from 0 to 2, got "${temperatureText}"`);
  }
  const timeoutText = text('model-timeout');
  const timeoutMs = timeoutText === undefined ? undefined : parseDuration(timeoutText);
  if (timeoutMs === null || timeoutMs === 0) throw new UsageError(`--model-timeout must be a positive duration like 60s, got "${timeoutText}"`);
  return {
    spec,
    prompt: text('prompt'),
    judgePrompt: text('judge-prompt'),
    mode,
    temperature,
    timeoutMs,
    concurrency: intOption('model-concurrency', text('model-concurrency'), { min: 1 }),
    judgeSamples: intOption('judge-samples', text('judge-samples'), { min: 1 }),
  };
}

/** `--option name=value`, repeatable: strategy options by name, for strategies whose options have no flag of their own. */
function optionFlags(pairs: readonly string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--option must be name=value, got "${pair}"`, { hint: 'e.g. --option depth=3' });
    options[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return options;
}
