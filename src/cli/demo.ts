import { DEFAULT_STORE_PATH } from '../store/index.ts';
import { parseCommandArgs, type Command } from './args.ts';
import { executeRun, summaryTable, type RunRequest } from './run.ts';

const DEMO_RUNS: { label: string; request: Omit<RunRequest, 'db' | 'seed'> }[] = [
  {
    label: 'blocksworld · bfs',
    request: {
      env: 'strips',
      tasks: 'generate:blocksworld?count=10&blocks=5&length=8&seed=1',
      strategy: 'bfs',
      strategyOptions: { width: '8' },
      budget: { expansions: 5000 },
      scorer: 'heuristic',
    },
  },
  {
    label: 'blocksworld · mcts',
    request: {
      env: 'strips',
      tasks: 'generate:blocksworld?count=10&blocks=5&length=8&seed=1',
      strategy: 'mcts',
      strategyOptions: { simulations: '2000' },
      budget: { expansions: 5000 },
      scorer: 'heuristic',
    },
  },
  {
    label: 'game of 24 · dfs',
    request: {
      env: 'game24',
      tasks: 'generate:game24?count=20&seed=1',
      strategy: 'dfs',
      strategyOptions: { threshold: '0.5' },
      budget: { expansions: 500 },
      scorer: 'heuristic',
    },
  },
];

export const demoCommand: Command = {
  name: 'demo',
  summary: 'search built-in Blocksworld and Game of 24 tasks offline, no model needed',
  help: `Usage: stepwise demo [--db <path>] [--seed <n>]

Generates Blocksworld instances (5 blocks, optimal plans of 8 steps) and Game of 24
puzzles, searches them with BFS, MCTS and DFS using the legal-action enumerator and the
environments' heuristics, records every step in the store and prints a summary.

Example:
  stepwise demo && stepwise runs`,
  async run(argv) {
    const { values } = parseCommandArgs('demo', argv, {
      db: { type: 'string', default: DEFAULT_STORE_PATH },
      seed: { type: 'string', default: '0' },
    });
    if (values.help) {
      console.log(demoCommand.help);
      return 0;
    }
    console.log('stepwise demo: no model configured, so candidates come from the legal-action enumerator\n');
    const rows = [];
    for (const { label, request } of DEMO_RUNS) {
      const result = await executeRun({ ...request, db: values.db!, seed: Number(values.seed) });
      rows.push({ label: `${label} (${result.runId})`, result });
    }
    console.log(`\n${summaryTable(rows)}\n`);
    console.log(`Recorded in ${values.db}. Next:`);
    console.log(`  npx stepwise runs                                   list recorded runs`);
    console.log(`  npx stepwise show ${rows[0].result.runId} --task ${rows[0].result.results[0].taskId}   one task's search tree`);
    console.log(`  npx stepwise run strips --tasks ../shared/data/planbench/blocksworld/instances --strategy bfs --width all`);
    console.log(`  npx stepwise --help                                 every command`);
    return 0;
  },
};
