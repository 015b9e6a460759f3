// Benchmark (1): engine overhead per step. stepwise (in-memory, SQLite and Postgres store) and LangGraph.js
// (MemorySaver, SqliteSaver and PostgresSaver) run the same 1,000-step linear loop in this process, interleaved
// rep by rep so machine noise hits both alike. Run: npm run bench:overhead (after `bash bench/setup.sh`).
// The Postgres pair runs when the server at --postgres answers (a scratch database is created and dropped).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enumerateProposer } from '../src/propose/enumerate.ts';
import { runSearch } from '../src/search/run.ts';
import { greedy } from '../src/search/strategies/greedy.ts';
import { createMemoryStore } from '../src/store/memory.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import { openPostgresStore } from '../src/store/postgres/index.ts';
import type { Store } from '../src/store/store.ts';
import { counterEnvironment, counterTask } from './counter-env.ts';
import { collectGarbage, median, printSummary, printTable, readBenchOptions, scratchPostgresDatabase, timeAsync } from './harness.ts';
import { loadLangGraphLoop } from './load-langgraph.ts';

const usage = `Usage: node bench/engine-overhead.ts [--steps 1000] [--reps 7]
Engine overhead per step: stepwise vs LangGraph.js on the same linear loop, with in-memory, SQLite
and Postgres stores. STEPWISE_BENCH_POSTGRES names the server (default postgres://postgres@127.0.0.1:5432/postgres);
the Postgres pair is skipped, with a line saying so, when it does not answer.
Example: node bench/engine-overhead.ts --reps 9`;
const { steps, reps } = readBenchOptions(process.argv.slice(2), usage, { steps: 1000, reps: 7 });
const postgres = await scratchPostgresDatabase(process.env.STEPWISE_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const { runLangGraphLoop } = await loadLangGraphLoop();
const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-'));

async function stepwiseLoop(makeStore: () => Store): Promise<number> {
  const store = makeStore();
  collectGarbage();
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
let postgresSchemas = 0;
const figures: Record<string, number[]> = {
  'stepwise memory': [],
  'stepwise sqlite': [],
  ...(postgres ? { 'stepwise postgres': [] } : {}),
  'langgraph memory': [],
  'langgraph sqlite': [],
  ...(postgres ? { 'langgraph postgres': [] } : {}),
};
// Warm-up, so JIT compilation is not charged to the first measured rep of either side.
await stepwiseLoop(createMemoryStore);
await runLangGraphLoop({ steps: 200, checkpointer: 'memory' });
for (let rep = 0; rep < reps; rep++) {
  figures['stepwise memory'].push(await stepwiseLoop(createMemoryStore));
  figures['stepwise sqlite'].push(await stepwiseLoop(() => openSqliteStore(join(dir, `run-${sqliteFiles++}.db`))));
  figures['langgraph memory'].push((await runLangGraphLoop({ steps, checkpointer: 'memory' })).perStepUs);
  figures['langgraph sqlite'].push((await runLangGraphLoop({ steps, checkpointer: 'sqlite', dbPath: join(dir, `lg-${rep}.db`) })).perStepUs);
  if (postgres) {
    // A schema per rep: a fresh store, migrated before the loop starts (as a team store is), so only steps are timed.
    const url = postgres.url(`rep_${postgresSchemas++}`);
    await openPostgresStore(url).close();
    figures['stepwise postgres'].push(await stepwiseLoop(() => openPostgresStore(url)));
    figures['langgraph postgres'].push((await runLangGraphLoop({ steps, checkpointer: 'postgres', postgresUrl: postgres.url() })).perStepUs);
  }
  process.stderr.write(`rep ${rep + 1}/${reps}\n`);
}
rmSync(dir, { recursive: true, force: true });
await postgres?.drop();

const summary = Object.fromEntries(Object.entries(figures).map(([label, samples]) => [label, stats(samples)]));
printTable(
  `Engine overhead per step, ${steps}-step loop, median of ${reps} reps (µs/step)`,
  Object.entries(summary).map(([label, s]) => ({ engine: label, median: s.median.toFixed(1), min: s.min.toFixed(1), max: s.max.toFixed(1) })),
);
const memoryRatio = summary['langgraph memory'].median / summary['stepwise memory'].median;
const sqliteRatio = summary['langgraph sqlite'].median / summary['stepwise sqlite'].median;
const postgresRatio = postgres ? summary['langgraph postgres'].median / summary['stepwise postgres'].median : undefined;
console.log(`\nLangGraph / stepwise: ${memoryRatio.toFixed(1)}x (memory), ${sqliteRatio.toFixed(1)}x (SQLite)${postgresRatio === undefined ? '' : `, ${postgresRatio.toFixed(1)}x (Postgres)`}; goal >= 10x`);
printSummary('engine-overhead', {
  steps,
  reps,
  stepwiseMemoryUs: round(summary['stepwise memory'].median),
  stepwiseSqliteUs: round(summary['stepwise sqlite'].median),
  langgraphMemoryUs: round(summary['langgraph memory'].median),
  langgraphSqliteUs: round(summary['langgraph sqlite'].median),
  ...(postgres ? { stepwisePostgresUs: round(summary['stepwise postgres'].median), langgraphPostgresUs: round(summary['langgraph postgres'].median) } : {}),
  ratioMemory: round(memoryRatio),
  ratioSqlite: round(sqliteRatio),
  ...(postgresRatio === undefined ? {} : { ratioPostgres: round(postgresRatio) }),
});

function stats(samples: number[]) {
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples) };
}

function round(value: number) {
  return Math.round(value * 10) / 10;
}
