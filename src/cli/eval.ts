import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { evalSummaryFromStore, listEvals } from '../eval/from-store.ts';
import { DEFAULT_VIEWER_URL } from '../eval/html.ts';
import { renderEvalReport } from '../eval/report-html.ts';
import { checkSuite, runEval } from '../eval/runner.ts';
import { defaultEvalId, loadSuite } from '../eval/suite.ts';
import { summarizeEval, type EvalSummary } from '../eval/summary.ts';
import { DEFAULT_STORE_PATH, openStore } from '../store/index.ts';
import { dbFlag, defaultStore, intOption, isPersistent, parseCommandArgs, rejectExtraPositionals, type Command } from './args.ts';
import { withStore } from './stored-runs.ts';
import { BENCHMARK_DATA_NOTE, fixed, table } from './format.ts';
import { createProgress, type Progress } from './progress.ts';

export const DEFAULT_EVAL_DIR = '.stepwise/evals';

export const evalCommand: Command = {
  name: 'eval',
  help: `Usage: stepwise eval <suite.yaml|suite.ts> [options]

Runs every configuration of the suite on every task set, once per epoch, records each run in the
store (tagged suite, config, epoch, eval), checks each task against its key nodes, and writes
<out>/<eval id>.html (a self-contained report) and <out>/<eval id>.json (the summary).
Run it again to continue an interrupted eval: runs already completed are not redone.

A suite (YAML, or a .ts module with a default export):
  name: planbench-24
  epochs: 2
  seed: 1
  reducers: [mean, max, majority, pass@2]
  tasks:
    - name: blocksworld
      env: strips
      tasks: ../shared/data/planbench/blocksworld/instances   # as stepwise run --tasks
      limit: 6
      keyNodes:              # derived ones (STRIPS goal facts, Game of 24 states) are on by default
        all: [{ type: regex, pattern: "unstack", target: action }]
        byTask: { instance-1: [{ match_function_name: final_answer_included_match, content: { reference_answer: "stack" } }] }
  configs:
    - { name: bfs-20, strategy: bfs, options: { width: 3 }, budget: { expansions: 20 } }
    - { name: mcts-20, strategy: mcts, options: { simulations: 200 }, budget: { expansions: 20 } }
Configurations name components as a run recipe does: strategy and options, scorers (and scorerOptions by
scorer name), proposer and guards ({ name, options }); a plug-in's (--plugin <file>) as well as built-ins.
Key nodes: exact, include, regex (value/pattern, target action|observation|state|answer),
numeric (value, tolerance), facts (contains | anyOf, over state facts), semantic (reference;
needs judge: { model: <spec> }), or WebCanvas's { match_function_name, content: { reference_answer } }.

Options:
  --db <path>          store file or postgres:// URL (default $STEPWISE_DB, else ${DEFAULT_STORE_PATH})
  --out <dir>          where the report and summary go (default ${DEFAULT_EVAL_DIR})
  --eval-id <id>       name the eval (default: suite name + hash of the suite, so an edited suite starts afresh)
  --limit <n>          only the first n tasks of each task set
  --epochs <n>         override the suite's epochs
  --viewer-url <url>   where stepwise view listens, for links (default ${DEFAULT_VIEWER_URL})
  --queue <url>        redis://host:port[/db][#name]: put every run's tasks on this BullMQ queue for
                       \`stepwise worker\`s sharing --db (a file on a shared disk or postgres://…)
  --attempts <n>       with --queue: attempts per task before it is recorded as failed (default 3)
  --json               print the summary's headline figures as one JSON object
  --list               list the evals in the store
  --report <eval id>   rewrite an eval's report and summary from the store alone (no suite file)

Examples:
  stepwise eval examples/suites/generated.yaml
  stepwise eval examples/suites/planbench-24.yaml --limit 3
  stepwise eval --list
  stepwise eval examples/suites/generated.yaml --queue redis://127.0.0.1:6379 --db postgres://127.0.0.1/stepwise
      # with \`stepwise worker --queue redis://127.0.0.1:6379 --db postgres://127.0.0.1/stepwise\` on each machine

${BENCHMARK_DATA_NOTE}`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('eval', argv, {
      db: { type: 'string', default: defaultStore() },
      out: { type: 'string', default: DEFAULT_EVAL_DIR },
      'eval-id': { type: 'string' },
      limit: { type: 'string' },
      epochs: { type: 'string' },
      'viewer-url': { type: 'string', default: DEFAULT_VIEWER_URL },
      json: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      report: { type: 'string' },
      queue: { type: 'string' },
      attempts: { type: 'string' },
    });
    if (values.help) {
      console.log(evalCommand.help);
      return 0;
    }
    if (values.list || values.report !== undefined) {
      rejectExtraPositionals('eval', positionals, 0, '--list and --report read the store, not a suite');
      return values.list ? listEvalsCommand(values.db!, values.json!) : writeReportFromStore(values.db!, values.report!, values.out!, values['viewer-url']!, values.json!);
    }
    const [suitePath] = positionals;
    if (!suitePath) throw new UsageError('which suite?', { hint: 'e.g. `stepwise eval examples/suites/planbench-24.yaml`' });
    rejectExtraPositionals('eval', positionals, 1);
    const loaded = await loadSuite(suitePath);
    const limit = intOption('limit', values.limit, { min: 1 });
    const epochs = intOption('epochs', values.epochs, { min: 1 });
    const suite = {
      ...loaded,
      epochs: epochs ?? loaded.epochs,
      tasks: loaded.tasks.map((set) => ({ ...set, limit: limit === undefined ? set.limit : Math.min(limit, set.limit ?? limit) })),
    };
    // pass@k needs k epochs; fewer epochs on the command line drop it rather than fail.
    const dropped = suite.reducers.filter((r) => r.startsWith('pass@') && Number(r.slice(5)) > suite.epochs);
    if (dropped.length) {
      suite.reducers = suite.reducers.filter((r) => !dropped.includes(r));
      console.error(`stepwise eval: ${dropped.join(', ')} left out: it needs more than --epochs ${suite.epochs}`);
    }
    const evalId = values['eval-id'] ?? defaultEvalId(suite);
    if (!/^[\w.-]+$/.test(evalId)) throw new UsageError(`--eval-id may use letters, digits, -, _ and ., got "${evalId}"`);
    prepareOutDir(values.out!);
    const attempts = intOption('attempts', values.attempts, { min: 1 });
    if (attempts !== undefined && values.queue === undefined) throw new UsageError('--attempts is for --queue runs', { hint: 'add --queue redis://…, or leave --attempts out' });
    const queue = values.queue === undefined ? undefined : (await import('../queue/address.ts')).parseQueueAddress(values.queue);
    if (queue && !isPersistent(values.db!)) {
      throw new UsageError(`--queue needs a store the workers share, not --db ${values.db}`, { hint: 'pass --db <file on a shared disk> or --db postgres://…, and the same --db to each `stepwise worker`' });
    }
    // A mistake in the suite fails here, before a store is created or opened.
    const checked = checkSuite(suite);
    if (queue && !values.json) console.error(`stepwise eval: the runs' tasks go on ${queue.redisUrl} (queue ${queue.name}); start workers with \`stepwise worker --queue ${values.queue}${dbFlag(values.db!)}\``);
    const store = openStore(values.db!);
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    let progress: Progress | null = null;
    let done = 0;
    let solved = 0;
    let result;
    try {
      result = await runEval({
        suite,
        evalId,
        store,
        checked,
        queue,
        attempts,
        signal: controller.signal,
        onEvent(event) {
          if (event.type === 'plan') {
            done = event.tasksDone;
            if (event.done > 0) console.error(`stepwise eval: continuing ${evalId}: ${event.done} of ${event.jobs} runs already complete`);
            if (!values.json) progress = createProgress(`eval ${suite.name}`, event.tasks);
            progress?.update(done, `${event.jobs} runs`);
          } else if (event.type === 'task_end') {
            done++;
            if (event.solved) solved++;
            progress?.update(done, `solved ${solved}`);
          }
        },
      });
    } finally {
      (progress as Progress | null)?.finish(`solved ${solved}`);
      process.off('SIGINT', onSigint);
    }
    try {
      const summary = summarizeEval(suite, evalId, result.samples, { complete: !result.interrupted });
      const { htmlPath, jsonPath } = writeReports(summary, values.out!, values['viewer-url']!);
      if (values.json) {
        console.log(JSON.stringify({
          evalId,
          report: htmlPath,
          summary: jsonPath,
          complete: summary.complete,
          ran: result.ran,
          reused: result.reused,
          configs: summary.configs.map((c) => ({ name: c.name, samples: c.samples, solved: c.solved.estimate, keySuccess: c.keySuccess.estimate, completion: c.completion.estimate })),
        }));
      } else {
        console.log(table(
          ['config', 'strategy', 'samples', 'solved', '95% CI', 'key success', 'completion', 'step score', 'mean exp'],
          summary.configs.map((c) => {
            // Without key nodes (keyNodes.derive: false and none written) the key-node figures are undefined, not 0%.
            const keyed = (value: number) => (c.keyNodes.scoredTasks > 0 ? pctText(value) : '–');
            return [c.name, c.strategy, c.samples, pctText(c.solved.estimate), `${pctText(c.solved.low)}–${pctText(c.solved.high)}`, keyed(c.keySuccess.estimate), keyed(c.completion.estimate), keyed(c.keyNodes.stepScore), fixed(c.meanExpansions, 1)];
          }),
        ));
        const best = [...summary.comparisons].sort((a, b) => a.pValue - b.pValue).slice(0, 3);
        if (best.length) {
          console.log('');
          console.log(table(['A − B', 'tasks', 'difference', '95% bootstrap', 'p'], best.map((c) => [`${c.a} − ${c.b}`, c.tasks, `${(c.difference.estimate * 100).toFixed(1)} pts`, `${(c.difference.low * 100).toFixed(1)} to ${(c.difference.high * 100).toFixed(1)}`, c.pValue.toFixed(3)])));
        }
        console.log(`\nReport: ${htmlPath}\nSummary: ${jsonPath}\nRuns are tagged eval=${evalId}; open one with stepwise view or stepwise show <run>.`);
      }
    } finally {
      await store.close();
    }
    if (result.interrupted) {
      console.error(`stepwise eval: interrupted; the completed runs are recorded. Run the same command again to continue ${evalId}.`);
      return 130;
    }
    return 0;
  },
};

async function listEvalsCommand(db: string, json: boolean): Promise<number> {
  const evals = await withStore(db, { readonly: true }, listEvals);
  if (json) console.log(JSON.stringify(evals));
  else if (evals.length === 0) console.log(`no evals in ${db}; run one with stepwise eval <suite>`);
  else console.log(table(['eval', 'suite', 'started', 'runs', 'completed'], evals.map((e) => [e.evalId, e.suite, e.startedAt.replace('T', ' ').slice(0, 19), e.runs, e.completedRuns])));
  return 0;
}

async function writeReportFromStore(db: string, evalId: string, out: string, viewerUrl: string, json: boolean): Promise<number> {
  const summary = await withStore(db, { readonly: true }, (store) => evalSummaryFromStore(store, evalId));
  prepareOutDir(out);
  const { htmlPath, jsonPath } = writeReports(summary, out, viewerUrl);
  console.log(json ? JSON.stringify({ evalId, report: htmlPath, summary: jsonPath, complete: summary.complete }) : `Report: ${htmlPath}\nSummary: ${jsonPath}`);
  if (!summary.complete) console.error(`stepwise eval: ${evalId} is incomplete (some runs did not complete); the report covers the completed runs. Run its suite again to finish it.`);
  return 0;
}

/** Writes the summary as `<eval id>.json` and the HTML report beside it. */
function writeReports(summary: EvalSummary, out: string, viewerUrl: string): { htmlPath: string; jsonPath: string } {
  const htmlPath = join(out, `${summary.evalId}.html`);
  const jsonPath = join(out, `${summary.evalId}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(htmlPath, renderEvalReport(summary, { viewerUrl }));
  return { htmlPath, jsonPath };
}

/** Creates the report folder, or says why it cannot (checked before a suite runs, not after). */
function prepareOutDir(out: string): void {
  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot write reports to ${out}: ${(error as Error).message}`, { hint: 'pass --out <folder> that can be created and written' });
  }
}

function pctText(value: number): string {
  return `${(value * 100).toFixed(0)}%`;
}
