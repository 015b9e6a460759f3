import type { Divergence } from '../replay/compare-trees.ts';
import { replayRun } from '../replay/replay.ts';
import { DEFAULT_STORE_PATH } from '../store/index.ts';
import { parseCommandArgs, type Command } from './args.ts';
import { runArgument, withStore } from './stored-runs.ts';

export const replayCommand: Command = {
  name: 'replay',
  help: `Usage: stepwise replay <run> [--re-execute] [--json] [--db <path>]

Builds the run again from its recorded settings and seed and re-executes it with no network:
model replies come from the run's own record (a request it does not answer is a divergence and
is never sent), and every step is recomputed by the environment. Each node (state, observation,
reward, check, terminal, success) and each candidate (action, scores, value) is compared with
the record. Prints "identical", or the first divergence: task, node, field, recorded and
recomputed values. Exit code 0 only when identical, 1 when it diverged. Writes nothing.

Environments whose steps have side effects (workspace) are not acted on again: their steps' results
are read from the record, and the search, proposals and scores are recomputed around them.
--re-execute runs every such step again in fresh worlds (copies of the task's folder), checking
each result against the record.

Examples:
  stepwise replay latest
  stepwise replay r1a2b3 --json
  stepwise replay latest --re-execute`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('replay', argv, {
      json: { type: 'boolean', default: false },
      're-execute': { type: 'boolean', default: false },
      db: { type: 'string', default: DEFAULT_STORE_PATH },
    });
    if (values.help) {
      console.log(replayCommand.help);
      return 0;
    }
    const runRef = runArgument('replay', positionals);
    // Read-only: every store format is readable as it is, so replaying never changes the file.
    return withStore(values.db!, { readonly: true }, async (store) => {
      const report = await replayRun({ store, runRef, reExecute: values['re-execute'] === true });
      if (values.json) console.log(JSON.stringify(report));
      else {
        const counts = `${report.tasks} task(s), ${report.nodes} nodes, ${report.candidates} candidates, ${report.modelCalls} model calls served from the record`;
        const how = values['re-execute'] ? 'offline, stateful steps executed again,' : 'offline';
        if (report.identical) console.log(`identical: run ${report.runId} replayed ${how} step for step (${counts})`);
        else {
          console.log(`diverged: run ${report.runId}`);
          if (report.divergence) console.log(describeDivergence(report.divergence));
          if (report.stoppedBy) console.log(`  the replay stopped: ${report.stoppedBy}`);
        }
        for (const note of report.notes) console.log(`  note: ${note}`);
      }
      return report.identical ? 0 : 1;
    });
  },
};

export function describeDivergence(d: Divergence): string {
  const where = d.nodeId ? `node ${d.nodeId}${d.path.length ? ` (after ${d.path.join(' → ')})` : ' (the root)'}` : 'the task result';
  return [
    `  task ${d.taskId}, ${where}`,
    `  field:      ${d.field}`,
    `  recorded:   ${JSON.stringify(d.recorded)}`,
    `  recomputed: ${JSON.stringify(d.recomputed)}`,
  ].join('\n');
}
