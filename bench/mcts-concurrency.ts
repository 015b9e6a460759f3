// Benchmark (2): MCTS wall time with a simulated model call, as a ratio to the ideal
// calls × latency / slots. Run: npm run bench:mcts  (or node bench/mcts-concurrency.ts)
import { parseArgs } from 'node:util';
import { defineProposer } from '../src/core/step.ts';
import { generateBlocksworldTasks } from '../src/envs/strips/index.ts';
import { stripsEnvironment } from '../src/envs/strips/index.ts';
import { enumerateProposer } from '../src/propose/enumerate.ts';
import { heuristicScorer } from '../src/score/heuristic.ts';
import { runSearch } from '../src/search/run.ts';
import { mcts } from '../src/search/strategies/mcts.ts';
import { createMemoryStore } from '../src/store/memory.ts';

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '20' },
    slots: { type: 'string', default: '32' },
    simulations: { type: 'string', default: '1500' },
    tasks: { type: 'string', default: '3' },
  },
});
const latencyMs = Number(values.latency);
const slots = Number(values.slots);
const simulations = Number(values.simulations);

const enumerate = enumerateProposer<any, any>();
let calls = 0;
let active = 0;
let peak = 0;
// Every expansion costs one simulated model call of `latencyMs`, as an LLM proposer would.
const simulatedModel = defineProposer<any, any>({
  name: 'simulated-model',
  async propose(ctx) {
    calls++;
    peak = Math.max(peak, ++active);
    await new Promise((resolve) => setTimeout(resolve, latencyMs));
    active--;
    return enumerate.propose(ctx);
  },
});

// Instances too deep for the budget to solve, so every task runs all its simulations.
const tasks = generateBlocksworldTasks({ count: Number(values.tasks), blocks: 7, length: 14, seed: 3 });
const rows: { task: string; calls: number; wallMs: number; idealMs: number; efficiency: number }[] = [];
for (const task of tasks) {
  calls = 0;
  const started = performance.now();
  await runSearch({
    env: stripsEnvironment,
    tasks: [task],
    proposer: simulatedModel,
    scorers: [heuristicScorer()],
    strategy: mcts({ simulations, stopOnSolution: false }),
    concurrency: slots,
    store: createMemoryStore(),
    maxDepth: 200,
  });
  const wallMs = performance.now() - started;
  const idealMs = (calls * latencyMs) / slots;
  rows.push({ task: task.id, calls, wallMs, idealMs, efficiency: idealMs / wallMs });
}

console.log(`MCTS, ${simulations} simulations per task, simulated model call ${latencyMs} ms, ${slots} slots`);
console.log('task              calls   wall ms  ideal ms  efficiency');
for (const r of rows) {
  console.log(`${r.task.padEnd(16)} ${String(r.calls).padStart(6)} ${r.wallMs.toFixed(0).padStart(9)} ${r.idealMs.toFixed(0).padStart(9)}  ${r.efficiency.toFixed(3)}`);
}
const totalCalls = rows.reduce((s, r) => s + r.calls, 0);
const totalWall = rows.reduce((s, r) => s + r.wallMs, 0);
const efficiency = (totalCalls * latencyMs) / slots / totalWall;
console.log(`overall efficiency ${efficiency.toFixed(3)} (goal >= 0.9), peak calls in flight ${peak}/${slots}`);
console.log(JSON.stringify({ bench: 'mcts-concurrency', latencyMs, slots, simulations, calls: totalCalls, wallMs: Math.round(totalWall), efficiency: Number(efficiency.toFixed(4)), peakInFlight: peak }));
