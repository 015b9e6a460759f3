// Benchmark (1): engine overhead per step. stepwise (in-memory and SQLite store) and LangGraph.js
// (MemorySaver and SqliteSaver) run the same 1,000-step linear loop in this process, interleaved
// rep by rep so machine noise hits both alike. Run: npm run bench:overhead (after `bash bench/setup.sh`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enumerateProposer } from '../src/propose/enumerate.ts';
import { runSearch } from '../src/search/run.ts';
import { greedy } from '../src/search/strategies/greedy.ts';
import { createMemoryStore } from '../src/store/memory.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import type { Store } from '../src/store/store.ts';
import { counterEnvironment, counterTask } from './counter-env.ts';
import { median, printSummary, printTable, readBenchOptions, timeAsync } from './harness.ts';
import { loadLangGraphLoop } from './load-langgraph.ts';

const usage = `Usage: node bench/engine-overhead.ts [--steps 1000] [--reps 7]
Engine overhead per step: stepwise vs LangGraph.js on the same linear loop.
Example: node bench/engine-overhead.ts --reps 9`;
const { steps, reps } = readBenchOptions(process.argv.slice(2), usage, { steps: 1000, reps: 7 });
const { runLangGraphLoop } = await loadLangGraphLoop();
const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-'));

async function stepwiseLoop(makeStore: () => Store): Promise<number> {
  const store = makeStore();
  const { wallMs, result } = await timeAsync(async () => {
    const run = await runSearch({
      env: counterEnvironment,
      tasks: [counterTask(steps)],
      proposer: enumerateProposer(),
      strategy: greedy(),
      store,
      maxDepth: steps + 1,
    });
    await store.close();
    return run;
  });
  if (result.results[0].plan?.length !== steps) throw new Error(`stepwise loop took ${result.results[0].plan?.length} steps, expected ${steps}`);
  return (wallMs * 1000) / steps;
}

let sqliteFiles = 0;
const figures = {
  'stepwise memory': [] as number[],
  'stepwise sqlite': [] as number[],
  'langgraph memory': [] as number[],
  'langgraph sqlite': [] as number[],
};
// Warm-up, so JIT compilation is not charged to the first measured rep of either side.
await stepwiseLoop(createMemoryStore);
await runLangGraphLoop({ steps: 200, checkpointer: 'memory' });
for (let rep = 0; rep < reps; rep++) {
  figures['stepwise memory'].push(await stepwiseLoop(createMemoryStore));
  figures['stepwise sqlite'].push(await stepwiseLoop(() => openSqliteStore(join(dir, `run-${sqliteFiles++}.db`))));
  figures['langgraph memory'].push((await runLangGraphLoop({ steps, checkpointer: 'memory' })).perStepUs);
  figures['langgraph sqlite'].push((await runLangGraphLoop({ steps, checkpointer: 'sqlite', dbPath: join(dir, `lg-${rep}.db`) })).perStepUs);
  process.stderr.write(`rep ${rep + 1}/${reps}\n`);
}
rmSync(dir, { recursive: true, force: true });

const summary = Object.fromEntries(Object.entries(figures).map(([label, samples]) => [label, stats(samples)])) as Record<
  keyof typeof figures,
  { median: number; min: number; max: number }
>;
printTable(
  `Engine overhead per step, ${steps}-step loop, median of ${reps} reps (µs/step)`,
  Object.entries(summary).map(([label, s]) => ({ engine: label, median: s.median.toFixed(1), min: s.min.toFixed(1), max: s.max.toFixed(1) })),
);
const memoryRatio = summary['langgraph memory'].median / summary['stepwise memory'].median;
const sqliteRatio = summary['langgraph sqlite'].median / summary['stepwise sqlite'].median;
console.log(`\nLangGraph / stepwise: ${memoryRatio.toFixed(1)}x (memory), ${sqliteRatio.toFixed(1)}x (SQLite); goal >= 10x`);
printSummary('engine-overhead', {
  steps,
  reps,
  stepwiseMemoryUs: round(summary['stepwise memory'].median),
  stepwiseSqliteUs: round(summary['stepwise sqlite'].median),
  langgraphMemoryUs: round(summary['langgraph memory'].median),
  langgraphSqliteUs: round(summary['langgraph sqlite'].median),
  ratioMemory: round(memoryRatio),
  ratioSqlite: round(sqliteRatio),
});

function stats(samples: number[]) {
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples) };
}

function round(value: number) {
  return Math.round(value * 10) / 10;
}
