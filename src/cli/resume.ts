import { planResume, resumeRun } from '../replay/resume.ts';
import { DEFAULT_STORE_PATH } from '../store/index.ts';
import { dbFlag, defaultStore, parseCommandArgs, type Command } from './args.ts';
import { runArgument, withRecordedStore } from './stored-runs.ts';
import { withRunProgress } from './run-progress.ts';
import { summaryTable } from './run.ts';
import { modelCallHealth, reportModelCallFailures } from './model-call-report.ts';

export const resumeCommand: Command = {
  name: 'resume',
  help: `Usage: stepwise resume <run> [--wait] [--json] [--db <path>]

Runs the recorded run's settings and seed again, in place: every node, candidate and model
reply the store already holds is reused (not recorded twice, no request sent again), tasks the
run finished are kept as they are, and the rest is searched. With a deterministic proposer the
result equals that of a run that was never interrupted.

One process writes a run at a time: while another process runs or resumes it (it holds the
run's lease in the store), resume says which (host, pid, since) and refuses. A lease whose
process was killed is taken over: at once on the same host, else 30 s after its last renewal.

Options:
  --wait        wait for the process writing the run to finish or die, then resume what is left

Examples:
  stepwise resume latest
  stepwise resume r1a2b3 --wait
  stepwise resume r1a2b3 --db runs.db --json`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('resume', argv, {
      json: { type: 'boolean', default: false },
      wait: { type: 'boolean', default: false },
      db: { type: 'string', default: defaultStore() },
    });
    if (values.help) {
      console.log(resumeCommand.help);
      return 0;
    }
    const runRef = runArgument('resume', positionals, 'pass a run id from `stepwise runs` (status "running or killed"), or "latest"');
    const result = await withRecordedStore(values.db!, async (store) => {
      const plan = await planResume(store, runRef, undefined, {
        wait: values.wait,
        onWaiting: (holder) => console.error(`stepwise resume: run ${holder.runId} is being written by pid ${holder.pid} on ${holder.host} (since ${holder.since}); waiting for it to finish…`),
      });
      const label = `resume ${plan.recorded.summary.run.id}`;
      const resumed = await withRunProgress(label, plan.tasks.length, values.json!, (hooks) => resumeRun(plan, { store, ...hooks }));
      return { ...resumed, modelCalls: await modelCallHealth(store, resumed.runId) };
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
    return reportModelCallFailures('resume', result.runId, result.modelCalls) ?? 0;
  },
};
