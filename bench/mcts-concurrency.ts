// Benchmark (2): MCTS wall time with a simulated model call, as a ratio to the ideal
// calls × latency / slots. Run: npm run bench:mcts  (or node bench/mcts-concurrency.ts)
import { parseArgs } from 'node:util';
import type { Task } from '../src/core/environment.ts';
import { defineProposer, defineScorer } from '../src/core/step.ts';
import { hashString } from '../src/core/rng.ts';
import { generateBlocksworldTasks } from '../src/envs/strips/index.ts';
import { stripsEnvironment } from '../src/envs/strips/index.ts';
import { enumerateProposer } from '../src/propose/enumerate.ts';
import { heuristicScorer } from '../src/score/heuristic.ts';
import { runSearch } from '../src/search/run.ts';
import { mcts } from '../src/search/strategies/mcts.ts';
import { createMemoryStore } from '../src/store/memory.ts';
import { uniformTreeEnvironment, uniformTreeTask } from './uniform-tree-env.ts';
import { ledgerEnvironment, ledgerTask } from '../src/testing/ledger-world.ts';

const { values } = parseArgs({
  options: {
    latency: { type: 'string', default: '20' },
    slots: { type: 'string', default: '32' },
    simulations: { type: 'string', default: '1500' },
    tasks: { type: 'string', default: '3' },
    env: { type: 'string', default: 'uniform-tree' },
    'max-worlds': { type: 'string', default: '8' },
    'world-step-ms': { type: 'string', default: '1' },
    snapshots: { type: 'string', default: 'yes' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`Usage: node bench/mcts-concurrency.ts [--env uniform-tree|blocksworld|ledger] [--latency 20] [--slots 32] [--simulations 1500] [--tasks 3]
                                         [--max-worlds 8] [--world-step-ms 1] [--snapshots yes|no]
MCTS wall time with a simulated model call per expansion, as a ratio to calls × latency / slots.
uniform-tree costs nothing to step (measures the engine); blocksworld adds real STRIPS work per step;
ledger is stateful: every step runs in a live world from a bounded pool (restore or re-execution per branch).
Example: node bench/mcts-concurrency.ts --env blocksworld --latency 50
         node bench/mcts-concurrency.ts --env ledger --max-worlds 8 --snapshots no`);
  process.exit(0);
}
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

// Blocksworld instances are too deep for the simulations to solve, so every task runs all of them.
const count = Number(values.tasks);
// The ledger's target is out of reach, so every task runs all its simulations; each world step takes --world-step-ms.
const ledger = ledgerEnvironment({ snapshots: values.snapshots !== 'no', stepDelayMs: Number(values['world-step-ms']), distinctPaths: true });
const [env, tasks]: [unknown, Task[]] =
  values.env === 'blocksworld'
    ? [stripsEnvironment, generateBlocksworldTasks({ count, blocks: 7, length: 14, seed: 3 })]
    : values.env === 'ledger'
      ? [ledger.env, Array.from({ length: count }, (_, i) => ledgerTask(`ledger-${i}`, 1e9, Array.from({ length: 8 + i }, (_, a) => a + 1)))]
      : [uniformTreeEnvironment, Array.from({ length: count }, (_, i) => uniformTreeTask(8 + i, 12))];
// A stateful step cannot be looked ahead, so the ledger's candidates are scored from the state and the action alone,
// with the same hashed pseudo-random values as the uniform tree's heuristic (the trees then have comparable shapes).
const actionHashScorer = defineScorer<any, any>({
  name: 'action-hash',
  local: true,
  score: (ctx, candidates) => candidates.map((c) => (hashString(`${ctx.problem.stateKey(ctx.state)}/${c.text}`) % 1000) / 1000),
});

interface Row {
  label: string;
  calls: number;
  wallMs: number;
  idealMs: number;
  efficiency: number;
}

/** Runs `group` as one run sharing the slots and measures it against calls × latency / slots. */
async function measure(label: string, group: readonly Task[]): Promise<Row> {
  calls = 0;
  const started = performance.now();
  await runSearch({
    env: env as typeof stripsEnvironment,
    tasks: group,
    proposer: simulatedModel,
    scorers: [values.env === 'ledger' ? actionHashScorer : heuristicScorer()],
    strategy: mcts({ simulations, stopOnSolution: false }),
    concurrency: slots,
    taskConcurrency: group.length,
    store: createMemoryStore(),
    maxDepth: 200,
    maxWorlds: Number(values['max-worlds']),
  });
  const wallMs = performance.now() - started;
  const idealMs = (calls * latencyMs) / slots;
  return { label, calls, wallMs, idealMs, efficiency: idealMs / wallMs };
}

// One task at a time: a tree grows from a single root, so the first rounds cannot fill 32 slots.
const single: Row[] = [];
for (const task of tasks) single.push(await measure(task.id, [task]));
// All tasks in one run, searched side by side: how a suite uses the slots.
const shared = await measure(`${tasks.length} tasks at once`, tasks);

const worlds = values.env === 'ledger' ? ` (worlds: at most ${values['max-worlds']} per task, snapshots ${values.snapshots}, ${values['world-step-ms']} ms per world step; opened ${ledger.tally.opened}, restores ${ledger.tally.restores}, steps ${ledger.tally.steps})` : '';
console.log(`MCTS on ${values.env}${worlds}, ${simulations} simulations per task, simulated model call ${latencyMs} ms, ${slots} slots`);
console.log('tasks                 calls   wall ms  ideal ms  efficiency');
for (const r of [...single, shared]) {
  console.log(`${r.label.padEnd(20)} ${String(r.calls).padStart(6)} ${r.wallMs.toFixed(0).padStart(9)} ${r.idealMs.toFixed(0).padStart(9)}  ${r.efficiency.toFixed(3)}`);
}
const singleCalls = single.reduce((sum, r) => sum + r.calls, 0);
const singleEfficiency = (singleCalls * latencyMs) / slots / single.reduce((sum, r) => sum + r.wallMs, 0);
console.log(`efficiency one task at a time ${singleEfficiency.toFixed(3)}, ${tasks.length} tasks sharing the slots ${shared.efficiency.toFixed(3)} (goal >= 0.9); peak calls in flight ${peak}/${slots}`);
console.log(
  JSON.stringify({
    bench: 'mcts-concurrency',
    env: values.env,
    latencyMs,
    slots,
    simulations,
    tasks: tasks.length,
    efficiencySingleTask: Number(singleEfficiency.toFixed(4)),
    efficiencySharedSlots: Number(shared.efficiency.toFixed(4)),
    peakInFlight: peak,
    ...(values.env === 'ledger' ? { maxWorlds: Number(values['max-worlds']), snapshots: values.snapshots, worldStepMs: Number(values['world-step-ms']), worldSteps: ledger.tally.steps } : {}),
  }),
);
