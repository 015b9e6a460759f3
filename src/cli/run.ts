import { UsageError } from '../core/errors.ts';
import type { Scorer } from '../core/step.ts';
import { ENVIRONMENTS, getEnvironment } from '../envs/registry.ts';
import { enumerateProposer } from '../propose/enumerate.ts';
import { heuristicScorer } from '../score/heuristic.ts';
import type { BudgetLimits } from '../search/budget.ts';
import { runSearch, type RunResult } from '../search/run.ts';
import { createStrategy, STRATEGIES } from '../search/strategies/index.ts';
import { DEFAULT_STORE_PATH, openStore } from '../store/index.ts';
import { dbFlag, intOption, isPersistent, parseCommandArgs, QUOTE_ADVICE, rejectExtraPositionals, type Command } from './args.ts';
import { duration, fixed, parseDuration, table } from './format.ts';
import { createProgress } from './progress.ts';

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
  scorer: 'heuristic' | 'none';
  concurrency?: number;
  taskConcurrency?: number;
  /** Suppress the progress bar (e.g. for --json). */
  quiet?: boolean;
}

/** Loads tasks, runs the search with a progress bar, records it, and returns the result. */
export async function executeRun(request: RunRequest): Promise<RunResult> {
  const entry = getEnvironment(request.env);
  const strategy = createStrategy(request.strategy, request.strategyOptions);
  const tasks = entry.loadTasks(request.tasks, { domain: request.domain });
  if (tasks.length === 0) throw new UsageError(`the task spec "${request.tasks}" names no tasks`, { hint: `e.g. --tasks ${entry.taskSpecs[0]}` });
  const scorers: Scorer<any, any>[] = request.scorer === 'heuristic' ? [heuristicScorer()] : [];
  const store = openStore(request.db);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const progress = request.quiet ? null : createProgress(`${request.env} ${strategy.name}`, tasks.length);
  let solved = 0;
  try {
    return await runSearch({
      env: entry.env,
      tasks,
      proposer: enumerateProposer(),
      scorers,
      strategy,
      budget: request.budget,
      maxDepth: request.maxDepth,
      seed: request.seed,
      store,
      concurrency: request.concurrency,
      taskConcurrency: request.taskConcurrency,
      taskSpec: request.tasks,
      signal: controller.signal,
      onEvent(event) {
        if (event.type === 'task_end') {
          if (event.result.outcome === 'solved') solved++;
          progress?.update(event.done, `solved ${solved}`);
        }
      },
    });
  } finally {
    progress?.finish(`solved ${solved}`);
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
  summary: 'search tasks of an environment with a strategy and record every step',
  help: `Usage: stepwise run <env> --tasks <spec> [options]

Environments and task specs:
${Object.entries(ENVIRONMENTS)
  .map(([name, e]) => `  ${name.padEnd(8)} ${e.describe}\n${e.taskSpecs.map((s) => `             --tasks ${s}`).join('\n')}`)
  .join('\n')}

Options:
  --tasks <spec>          which tasks (see above)
  --domain <file>         PDDL domain for STRIPS problem files
  --strategy <name>       ${Object.keys(STRATEGIES).join(' | ')} (default bfs)
  --width <n|all>         beam / bfs: nodes kept per level
  --k <n|all>             candidates per expansion (default all)
  --aggregate <how>       beam: last | mean | min | sum
  --select <how>          bfs: greedy | sample
  --threshold <v>         dfs: prune children valued below v
  --simulations <n>       mcts: simulations per task (default 1000)
  --variant <uct|puct>    mcts variant; --exploration <c>; --rollout-depth <n>; --virtual-loss <n>
  --scorer <heuristic|none>  how candidates are valued (default heuristic)
  --max-expansions <n>    budget per task (default 20000)
  --time-limit <dur>      wall-time budget per task, e.g. 30s, 2m
  --max-depth <n>         do not expand nodes at this depth (default 64)
  --concurrency <n>       proposer/scorer calls in flight (default 8)
  --parallel-tasks <n>    tasks searched at once (default 1)
  --seed <n>              seed for sampling and tie-breaking (default 0)
  --db <path>             store file (default ${DEFAULT_STORE_PATH}; ":memory:" keeps nothing)
  --json                  print the summary as one JSON object on stdout

Examples:
  stepwise run strips --tasks "generate:blocksworld?count=10&blocks=5&length=8" --strategy mcts
  stepwise run strips --tasks ../shared/data/planbench/blocksworld/instances --strategy bfs --width all
  stepwise run game24 --tasks tot:../shared/data/tot/24.csv:900-999 --strategy dfs --json`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('run', argv, {
      tasks: { type: 'string' },
      domain: { type: 'string' },
      strategy: { type: 'string', default: 'bfs' },
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
      scorer: { type: 'string', default: 'heuristic' },
      'max-expansions': { type: 'string', default: '20000' },
      'time-limit': { type: 'string' },
      'max-depth': { type: 'string' },
      concurrency: { type: 'string' },
      'parallel-tasks': { type: 'string' },
      seed: { type: 'string', default: '0' },
      db: { type: 'string', default: DEFAULT_STORE_PATH },
      json: { type: 'boolean', default: false },
    });
    if (values.help) {
      console.log(runCommand.help);
      return 0;
    }
    const [env] = positionals;
    if (!env) throw new UsageError('which environment?', { hint: `e.g. \`stepwise run strips --tasks …\`; environments: ${Object.keys(ENVIRONMENTS).join(', ')}` });
    rejectExtraPositionals('run', positionals, 1, QUOTE_ADVICE);
    const examples = getEnvironment(env).taskSpecs;
    if (!values.tasks) throw new UsageError(`--tasks is required: which ${env} tasks to search`, { hint: `e.g. --tasks ${examples[0]}` });
    if (values.scorer !== 'heuristic' && values.scorer !== 'none') throw new UsageError(`--scorer must be heuristic or none, got "${values.scorer}"`);
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
    };
    const result = await executeRun({
      env,
      tasks: values.tasks,
      domain: values.domain,
      strategy: values.strategy!,
      strategyOptions,
      budget: { expansions: intOption('max-expansions', values['max-expansions'], { min: 1 }), wallMs: timeLimit },
      maxDepth: intOption('max-depth', values['max-depth'], { min: 1 }),
      seed: intOption('seed', values.seed)!,
      db: values.db!,
      scorer: values.scorer,
      concurrency: intOption('concurrency', values.concurrency, { min: 1 }),
      taskConcurrency: intOption('parallel-tasks', values['parallel-tasks'], { min: 1 }),
      quiet: values.json,
    });
    if (values.json) {
      console.log(JSON.stringify({ runId: result.runId, env, strategy: values.strategy, status: result.status, ...result.stats, db: values.db }));
    } else {
      console.log(summaryTable([{ label: result.runId, result }]));
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
    return 0;
  },
};

