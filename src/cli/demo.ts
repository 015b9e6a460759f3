import { DEFAULT_STORE_PATH } from '../store/index.ts';
import { dbFlag, intOption, isPersistent, parseCommandArgs, rejectExtraPositionals, type Command } from './args.ts';
import { executeRun, summaryTable, type RunRequest } from './run.ts';

type DemoRequest = Omit<RunRequest, 'db' | 'seed'>;

/** The Blocksworld tasks both its demo runs search, so BFS and MCTS can be compared. */
const BLOCKSWORLD: Omit<DemoRequest, 'strategy' | 'strategyOptions'> = {
  env: 'strips',
  tasks: 'generate:blocksworld?count=10&blocks=5&length=8&seed=1',
  budget: { expansions: 5000 },
  scorers: ['heuristic'],
};

const DEMO_RUNS: { label: string; request: DemoRequest }[] = [
  { label: 'blocksworld · bfs', request: { ...BLOCKSWORLD, strategy: 'bfs', strategyOptions: { width: '8' } } },
  { label: 'blocksworld · mcts', request: { ...BLOCKSWORLD, strategy: 'mcts', strategyOptions: { simulations: '2000' } } },
  {
    label: 'game of 24 · dfs',
    request: {
      env: 'game24',
      tasks: 'generate:game24?count=20&seed=1',
      strategy: 'dfs',
      strategyOptions: { threshold: '0.5' },
      budget: { expansions: 500 },
      scorers: ['heuristic'],
    },
  },
];

export const demoCommand: Command = {
  name: 'demo',
  help: `Usage: stepwise demo [--db <path>] [--seed <n>]

Generates Blocksworld instances (5 blocks, optimal plans of 8 steps) and Game of 24
puzzles, searches them with BFS, MCTS and DFS using the legal-action enumerator and the
environments' heuristics, records every step in the store and prints a summary.

Example:
  stepwise demo && stepwise runs`,
  async run(argv) {
    const { values, positionals } = parseCommandArgs('demo', argv, {
      db: { type: 'string', default: DEFAULT_STORE_PATH },
      seed: { type: 'string', default: '0' },
    });
    if (values.help) {
      console.log(demoCommand.help);
      return 0;
    }
    rejectExtraPositionals('demo', positionals, 0);
    const seed = intOption('seed', values.seed)!;
    const db = values.db!;
    console.log('stepwise demo: no model configured, so candidates come from the legal-action enumerator\n');
    const rows = [];
    for (const { label, request } of DEMO_RUNS) {
      const result = await executeRun({ ...request, db, seed });
      rows.push({ label: `${label} (${result.runId})`, result });
      if (result.status === 'interrupted') {
        console.log(`\n${summaryTable(rows)}\n\nInterrupted; the runs so far are recorded in ${db}.`);
        return 130;
      }
    }
    console.log(`\n${summaryTable(rows)}\n`);
    const first = rows[0].result;
    const next: [string, string][] = [
      ...(isPersistent(db)
        ? ([
            ['list recorded runs', `npx stepwise runs${dbFlag(db)}`],
            ["one task's search tree", `npx stepwise show ${first.runId} --task ${first.results[0].taskId}${dbFlag(db)}`],
            ['browse them on the web', `npx stepwise view${dbFlag(db)}`],
          ] as [string, string][])
        : []),
      ['a search of your own', 'npx stepwise run strips --tasks "generate:blocksworld?count=10&blocks=6&length=10" --strategy beam'],
      ['every command', 'npx stepwise --help'],
    ];
    const width = Math.max(...next.map(([what]) => what.length));
    console.log(isPersistent(db) ? `Recorded in ${db}. Next:` : `Nothing was kept (--db ${db}). Next:`);
    for (const [what, command] of next) console.log(`  ${what.padEnd(width)}  ${command}`);
    return 0;
  },
};
