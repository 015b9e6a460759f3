import { existsSync } from 'node:fs';
import { StoreError, UsageError } from '../core/errors.ts';
import { storeCredit } from '../credit/annotations.ts';
import { computeCredit, type TaskCreditSummary } from '../credit/compute.ts';
import { DEFAULT_PIVOT_THRESHOLD } from '../credit/pivots.ts';
import { DEFAULT_STORE_PATH } from '../store/index.ts';
import { dbFlag, parseCommandArgs, type Command } from './args.ts';
import { fixed, table } from './format.ts';
import { createProgress } from './progress.ts';
import { findRun, runArgument, warnIfUnfinished, withStore } from './stored-runs.ts';

export const creditCommand: Command = {
  name: 'credit',
  help: `Usage: stepwise credit <run> [--task <id>] [--pivot-threshold <v>] [--json] [--db <path>]

Computes, for every node of every task of the run (docs/credit.md has the formulas):
  mc / adv    Monte Carlo value (mean outcome of the finished leaves below) and advantage
  vpr         verifiable process reward (the environment's check of each step) and the
              first invalid step of each trajectory
  q           step-level Q from MCTS statistics (visits, mean return per edge)
  progress    SPA-RL progress: per-step contributions fitted so each trajectory's sum to its reward
  pivots      PivotRL: states whose actions' outcomes vary (variance > 0) with mean < threshold
and stores them as "credit" annotations, one per node (re-running replaces them).
\`stepwise show\` then prints them beside each node; \`stepwise export\` reads them.

Options:
  --task <id>             only this task
  --pivot-threshold <v>   mean value below which a state with mixed outcomes is a pivot (default ${DEFAULT_PIVOT_THRESHOLD})
  --json                  one JSON object: the run and each task's summary
  --db <path>             store file (default ${DEFAULT_STORE_PATH})

Examples:
  stepwise credit latest
  stepwise credit r1a2b3 --task bw-5-8-1 --json`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('credit', argv, {
      task: { type: 'string' },
      'pivot-threshold': { type: 'string' },
      json: { type: 'boolean', default: false },
      db: { type: 'string', default: DEFAULT_STORE_PATH },
    });
    if (values.help) {
      console.log(creditCommand.help);
      return 0;
    }
    const runRef = runArgument('credit', positionals);
    const thresholdText = values['pivot-threshold'];
    const pivotThreshold = thresholdText === undefined ? undefined : Number(thresholdText);
    if (pivotThreshold !== undefined && (thresholdText!.trim() === '' || !Number.isFinite(pivotThreshold))) {
      throw new UsageError(`--pivot-threshold must be a number such as 0.5, got "${thresholdText}"`);
    }
    // Credit writes into the store, but a mistyped --db must not leave a new empty store behind.
    if (values.db !== ':memory:' && !existsSync(values.db!)) {
      throw new StoreError(`No store file at ${values.db}; expected a stepwise trace file written by an earlier run.`, { hint: 'Check the path (--db), or record a run into it first.' });
    }
    return withStore(values.db!, {}, async (store) => {
      const summary = await findRun(store, runRef);
      const { run } = summary;
      warnIfUnfinished('credit', summary, 'credit');
      let tasks = await store.getTasks(run.id);
      if (values.task) {
        tasks = tasks.filter((t) => t.taskId === values.task);
        if (tasks.length === 0) {
          const known = (await store.getTasks(run.id)).map((t) => t.taskId);
          throw new UsageError(`run ${run.id} has no task "${values.task}"`, { hint: `its tasks: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}` });
        }
      }
      const progress = values.json || tasks.length < 20 ? null : createProgress(`credit ${run.id}`, tasks.length);
      const rows: { taskId: string; summary: TaskCreditSummary }[] = [];
      let annotations = 0;
      for (const task of tasks) {
        const tree = await store.getTree(run.id, task.taskId);
        const credit = computeCredit(tree, { pivotThreshold });
        annotations += storeCredit(store, run.id, task.taskId, credit);
        rows.push({ taskId: task.taskId, summary: credit.summary });
        progress?.update(rows.length);
      }
      progress?.finish();
      await store.flush();
      if (values.json) {
        console.log(JSON.stringify({ runId: run.id, env: run.env.name, strategy: run.strategy.name, annotations, tasks: rows }));
        return 0;
      }
      console.log(
        table(
          ['task', 'nodes', 'valued', 'trajectories', 'successes', 'invalid steps', 'first invalid at depth', 'q edges', 'pivots', 'progress fit rms'],
          rows.map(({ taskId, summary: s }) => [
            taskId, s.nodes, s.valued, s.trajectories, s.successes, s.invalidSteps,
            Object.entries(s.firstInvalidDepths).map(([depth, count]) => `${depth}:${count}`).join(' ') || '–',
            s.qEdges, s.pivots, fixed(s.progressFitResidual, 3),
          ]),
        ),
      );
      const total = (key: 'nodes' | 'valued' | 'pivots' | 'trajectories') => rows.reduce((sum, r) => sum + r.summary[key], 0);
      console.log(`\n${rows.length} task(s): ${total('nodes')} nodes, ${total('valued')} valued, ${total('trajectories')} finished trajectories, ${total('pivots')} pivots; ${annotations} credit annotations stored.`);
      console.log(`Next: stepwise show ${run.id} --task ${rows[0]?.taskId ?? '<task>'}${dbFlag(values.db!)}   ·   stepwise export ${run.id} --format dpo${dbFlag(values.db!)}`);
      return 0;
    });
  },
};
