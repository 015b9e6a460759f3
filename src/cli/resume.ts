import { planResume, resumeRun } from '../replay/resume.ts';
import { DEFAULT_STORE_PATH } from '../store/index.ts';
import { dbFlag, parseCommandArgs, type Command } from './args.ts';
import { runArgument, withRecordedStore } from './stored-runs.ts';
import { withRunProgress } from './run-progress.ts';
import { summaryTable } from './run.ts';

export const resumeCommand: Command = {
  name: 'resume',
  help: `Usage: stepwise resume <run> [--json] [--db <path>]

Runs the recorded run's settings and seed again, in place: every node, candidate and model
reply the store already holds is reused (not recorded twice, no request sent again), tasks the
run finished are kept as they are, and the rest is searched. With a deterministic proposer the
result equals that of a run that was never interrupted.

Examples:
  stepwise resume latest
  stepwise resume r1a2b3 --db runs.db --json`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('resume', argv, {
      json: { type: 'boolean', default: false },
      db: { type: 'string', default: DEFAULT_STORE_PATH },
    });
    if (values.help) {
      console.log(resumeCommand.help);
      return 0;
    }
    const runRef = runArgument('resume', positionals, 'pass a run id from `stepwise runs` (status "running or killed"), or "latest"');
    const result = await withRecordedStore(values.db!, async (store) => {
      const plan = await planResume(store, runRef);
      const label = `resume ${plan.recorded.summary.run.id}`;
      return withRunProgress(label, plan.tasks.length, values.json!, (hooks) => resumeRun(plan, { store, ...hooks }));
    });
    const { kept } = result;
    if (values.json) {
      console.log(JSON.stringify({ runId: result.runId, status: result.status, kept, ...result.stats, db: values.db }));
    } else {
      console.log(summaryTable([{ label: result.runId, result }]));
      console.log(`\nKept from the record: ${kept.tasksFinished} finished task(s), ${kept.nodes} nodes, ${kept.candidates} candidates, ${kept.modelCalls} model calls.`);
      console.log(`Next: stepwise show ${result.runId}${dbFlag(values.db!)}`);
    }
    if (result.status === 'interrupted') {
      console.error(`stepwise resume: interrupted again; resume it once more with \`stepwise resume ${result.runId}\`.`);
      return 130;
    }
    return 0;
  },
};
