// Benchmark: MCTS guided by a value model stepwise trains itself, against MCTS with a uniform prior, on
// generated Blocksworld tasks held out from training. Run: npm run bench:value  (or node bench/learned-value.ts)
import { parseArgs } from 'node:util';
import type { Scorer } from '../src/core/step.ts';
import type { Task } from '../src/core/environment.ts';
import { generateBlocksworldTasks, stripsEnvironment } from '../src/envs/strips/index.ts';
import { fitValueModel } from '../src/learn/fit-value.ts';
import { createValueModel } from '../src/learn/value-model.ts';
import { enumerateProposer } from '../src/propose/enumerate.ts';
import { heuristicScorer } from '../src/score/heuristic.ts';
import { learnedScorer } from '../src/score/learned.ts';
import { runSearch, type TaskResult } from '../src/search/run.ts';
import { bfs, mcts } from '../src/search/strategies/index.ts';
import { createMemoryStore } from '../src/store/memory.ts';
import type { RunRecord } from '../src/store/records.ts';
import { table } from '../src/cli/format.ts';

const { values } = parseArgs({
  options: {
    'train-count': { type: 'string', default: '20' },
    'test-count': { type: 'string', default: '20' },
    blocks: { type: 'string', default: '5' },
    simulations: { type: 'string', default: '20000' },
    exploration: { type: 'string', default: '1' },
    'prior-temperature': { type: 'string', default: '0.1' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`Usage: node bench/learned-value.ts [--train-count 20] [--test-count 20] [--blocks 5] [--simulations 20000] [--exploration 1] [--prior-temperature 0.1]
Generates Blocksworld training tasks (optimal lengths 4, 6, 8; seeds 1-3), searches them exhaustively level by level
(BFS, width all, to the optimal depth), fits a value model to the Monte Carlo values of the trees, then runs PUCT MCTS
on held-out generated tasks (optimal lengths 6 and 8; seeds 901, 902; none shared with training) three ways:
uniform prior and no value (the baseline), the learned value as prior and leaf value, the same model trained
without the heuristic among its features (ablation), and the environment's heuristic (for reference). Simulations run one at a time so the figures are reproducible.
Prints a table and one line of JSON.`);
  process.exit(0);
}
const blocks = Number(values.blocks);
const trainCount = Number(values['train-count']);
const testCount = Number(values['test-count']);
const simulations = Number(values.simulations);
const exploration = Number(values.exploration);
const priorTemperature = Number(values['prior-temperature']);

const key = (task: Task) => JSON.stringify(task.spec);
const store = createMemoryStore();
const started = performance.now();

// 1. Training trees.
const trainRuns: RunRecord[] = [];
const trainKeys = new Set<string>();
for (const [i, length] of [4, 6, 8].entries()) {
  const tasks = generateBlocksworldTasks({ count: trainCount, blocks, length, seed: 1 + i });
  for (const task of tasks) trainKeys.add(key(task));
  const result = await runSearch({ env: stripsEnvironment, tasks, proposer: enumerateProposer(), strategy: bfs({ width: Infinity }), maxDepth: length, store });
  trainRuns.push((await store.getRun(result.runId)).run);
}
const file = await fitValueModel(store, trainRuns);
const model = createValueModel(file);
// Ablation: the same model without the heuristic among its features, to see what learning adds on its own.
const plain = createValueModel(await fitValueModel(store, trainRuns, { heuristicFeatures: false }));
const trainSeconds = (performance.now() - started) / 1000;

// 2. Held-out tasks.
const testTasks = [6, 8].flatMap((length, i) => generateBlocksworldTasks({ count: testCount, blocks, length, seed: 901 + i }));
const overlap = testTasks.filter((task) => trainKeys.has(key(task))).length;
if (overlap > 0) throw new Error(`${overlap} held-out tasks also appear in training`);

interface Config {
  name: string;
  scorers: Scorer<any, any>[];
}
const configs: Config[] = [
  { name: 'uniform prior (baseline)', scorers: [] },
  { name: 'learned value', scorers: [learnedScorer(model)] },
  { name: 'learned, no heuristic feature', scorers: [learnedScorer(plain)] },
  { name: 'heuristic (reference)', scorers: [heuristicScorer()] },
];

interface Row {
  name: string;
  solved: number;
  tasks: number;
  meanExpansions: number;
  medianExpansions: number;
  byLength: Record<string, number>;
  meanPlan: number;
}
const rows: Row[] = [];
for (const config of configs) {
  const results: TaskResult[] = [];
  for (const length of [6, 8]) {
    const tasks = testTasks.filter((t) => t.meta?.optimalLength === length || t.id.startsWith(`bw-${blocks}-${length}-`));
    const run = await runSearch({
      env: stripsEnvironment, tasks, proposer: enumerateProposer(), scorers: config.scorers,
      strategy: mcts({ variant: 'puct', simulations, parallel: 1, exploration, prior: 'value', priorTemperature }),
      budget: { expansions: simulations },
    });
    results.push(...run.results);
  }
  const expansions = results.map((r) => r.expansions).sort((a, b) => a - b);
  const solved = results.filter((r) => r.outcome === 'solved');
  const meanOf = (list: number[]) => list.reduce((s, x) => s + x, 0) / Math.max(list.length, 1);
  rows.push({
    name: config.name,
    solved: solved.length,
    tasks: results.length,
    meanExpansions: meanOf(expansions),
    medianExpansions: expansions[Math.floor(expansions.length / 2)],
    byLength: Object.fromEntries([6, 8].map((length) => [length, meanOf(results.filter((r) => r.taskId.startsWith(`bw-${blocks}-${length}-`)).map((r) => r.expansions))])),
    meanPlan: meanOf(solved.map((r) => r.plan?.length ?? 0)),
  });
}

const baseline = rows[0];
const ratio = (row: Row) => baseline.meanExpansions / row.meanExpansions;
console.log(`value model: ${file.training.examples} training steps from ${file.training.tasks} tasks; held-out tasks of training: MAE ${file.training.heldOut.mae?.toFixed(3)} (predicting the mean: ${file.training.heldOut.baselineMae?.toFixed(3)}), sibling order ${((file.training.heldOut.siblingOrder ?? 0) * 100).toFixed(1)}%; trained in ${trainSeconds.toFixed(1)}s\n`);
console.log(`PUCT MCTS on ${testTasks.length} held-out Blocksworld tasks (${blocks} blocks, optimal plans of 6 and 8 steps), c = ${exploration}, value-prior temperature ${priorTemperature}, up to ${simulations} expansions each:\n`);
console.log(table(
  ['guidance', 'solved', 'mean expansions', 'median', '6-step', '8-step', 'mean plan', 'fewer expansions than baseline'],
  rows.map((r) => [r.name, `${r.solved}/${r.tasks}`, r.meanExpansions.toFixed(1), r.medianExpansions, r.byLength[6].toFixed(1), r.byLength[8].toFixed(1), r.meanPlan.toFixed(1), `${ratio(r).toFixed(2)}x`]),
));
const learned = rows[1];
const goal = ratio(learned) >= 2 && learned.solved >= baseline.solved;
console.log(`\ngoal (learned value ≥ 2x fewer expansions at equal or better success): ${goal ? 'met' : 'NOT met'}`);
console.log(JSON.stringify({
  bench: 'learned-value', blocks, heldOutTasks: testTasks.length, trainTasks: trainKeys.size, exploration, priorTemperature, simulations,
  model: { examples: file.training.examples, heldOutMae: file.training.heldOut.mae, baselineMae: file.training.heldOut.baselineMae, siblingOrder: file.training.heldOut.siblingOrder },
  results: rows.map((r) => ({ guidance: r.name, solved: r.solved, tasks: r.tasks, meanExpansions: r.meanExpansions, medianExpansions: r.medianExpansions, ratio: ratio(r) })),
  goalMet: goal,
}));
