import { DEFAULT_STORE_PATH } from '../store/index.ts';
import { intOption, parseCommandArgs, rejectExtraPositionals, type Command } from './args.ts';
import { withStore } from './stored-runs.ts';
import { duration, table } from './format.ts';

export const runsCommand: Command = {
  name: 'runs',
  help: `Usage: stepwise runs [--db <path>] [--limit <n>] [--json]

Lists the runs in the store with their environment, strategy and outcomes.

Example:
  stepwise runs --limit 5`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('runs', argv, {
      db: { type: 'string', default: DEFAULT_STORE_PATH },
      limit: { type: 'string', default: '20' },
      json: { type: 'boolean', default: false },
    });
    if (values.help) {
      console.log(runsCommand.help);
      return 0;
    }
    rejectExtraPositionals('runs', positionals, 0);
    return withStore(values.db!, { readonly: true }, async (store) => {
      const runs = await store.listRuns({ limit: intOption('limit', values.limit, { min: 1 }) });
      if (values.json) {
        console.log(JSON.stringify(runs));
        return 0;
      }
      if (runs.length === 0) {
        console.log(`No runs in ${values.db} yet. Try: stepwise demo`);
        return 0;
      }
      const count = (results: typeof runs[number]['results'], outcome: string) => results.filter((r) => r.outcome === outcome).length;
      // Forks and resumed runs name where they come from; the column appears only when some run has an origin.
      const withOrigin = runs.some(({ run }) => run.origin);
      const originOf = ({ run }: typeof runs[number]) => (run.origin ? [`${run.origin.kind} of ${run.origin.nodeId ?? run.origin.runId}`] : withOrigin ? [''] : []);
      console.log(
        table(
          ['run', 'started', 'env', 'strategy', 'tasks', 'solved', 'unsolvable', 'budget', 'failed', 'expansions', 'wall', 'status', ...(withOrigin ? ['origin'] : [])],
          runs.map(({ run, end, tasks, results }) => [
            run.id,
            run.startedAt.replace('T', ' ').slice(0, 19),
            run.env.name,
            run.strategy.name,
            tasks,
            count(results, 'solved'),
            count(results, 'unsolvable'),
            count(results, 'budget_exhausted'),
            count(results, 'failed'),
            results.reduce((sum, r) => sum + r.expansions, 0),
            end ? duration(end.wallMs) : '–',
            end?.status ?? 'running or killed',
            ...originOf({ run, end, tasks, results }),
          ]),
        ),
      );
      return 0;
    });
  },
};
