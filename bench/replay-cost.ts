// Benchmark: what replay and resume cost next to the run they redo. A STRIPS BFS run (enumerator + heuristic,
// SQLite store) is recorded, replayed offline, and interrupted halfway (Ctrl-C after half the tasks, then one
// more task cut short) and resumed. Figures are medians over reps, as ratios to the uninterrupted run.
// Run: node bench/replay-cost.ts [--steps <tasks>] [--reps 5]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planResume, resumeRun } from '../src/replay/resume.ts';
import { replayRun } from '../src/replay/replay.ts';
import { runRecipe } from '../src/replay/run-recipe.ts';
import type { RunRecipe } from '../src/store/records.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import { median, printSummary, printTable, readBenchOptions, timeAsync } from './harness.ts';

const usage = `Usage: node bench/replay-cost.ts [--steps <tasks, default 8>] [--reps 5]
Wall time of replay and of interrupted + resumed runs, against the uninterrupted run.
Example: node bench/replay-cost.ts --steps 8 --reps 5`;
const { steps: taskCount, reps } = readBenchOptions(process.argv.slice(2), usage, { steps: 8, reps: 5 });
const recipe: RunRecipe = {
  env: 'strips',
  tasks: `generate:blocksworld?count=${taskCount}&blocks=6&length=8`,
  strategy: 'bfs',
  strategyOptions: { width: 'all' },
  budget: {},
  seed: 0,
  scorers: ['heuristic'],
  model: null,
};
const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-replay-'));
const figures = { run: [] as number[], replay: [] as number[], interrupted: [] as number[], resume: [] as number[], nodes: [] as number[] };

try {
  for (let rep = 0; rep < reps; rep++) {
    const store = openSqliteStore(join(dir, `bench-${rep}.db`));
    const whole = await timeAsync(() => runRecipe(recipe, { store }));
    figures.run.push(whole.wallMs);
    figures.nodes.push(whole.result.stats.nodes);
    const replay = await timeAsync(() => replayRun({ store, runRef: whole.result.runId }));
    if (!replay.result.identical) throw new Error(`replay diverged: ${JSON.stringify(replay.result.divergence)}`);
    figures.replay.push(replay.wallMs);
    // Interrupt once half the tasks are done, in the middle of the next one.
    const stop = new AbortController();
    let ended = 0;
    const cut = await timeAsync(() =>
      runRecipe(recipe, { store, signal: stop.signal, onEvent: (e) => e.type === 'task_end' && ++ended === Math.floor(taskCount / 2) && setTimeout(() => stop.abort(), 20) }),
    );
    figures.interrupted.push(cut.wallMs);
    const resumed = await timeAsync(async () => resumeRun(await planResume(store, cut.result.runId), { store }));
    if (resumed.result.stats.nodes !== whole.result.stats.nodes) throw new Error('the resumed run differs from the uninterrupted one');
    figures.resume.push(resumed.wallMs);
    await store.close();
    process.stderr.write(`  rep ${rep + 1}/${reps}: run ${whole.wallMs.toFixed(0)} ms, replay ${replay.wallMs.toFixed(0)} ms, cut ${cut.wallMs.toFixed(0)} + resume ${resumed.wallMs.toFixed(0)} ms\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const run = median(figures.run);
const row = (what: string, ms: number) => ({ what, 'median ms': ms.toFixed(0), 'x run': (ms / run).toFixed(2) });
printTable(`replay and resume, ${taskCount} STRIPS tasks (BFS width all, ${median(figures.nodes)} nodes), ${reps} reps`, [
  row('uninterrupted run', run),
  row('replay (offline, compared node by node)', median(figures.replay)),
  row('interrupted run (about half)', median(figures.interrupted)),
  row('resume of it', median(figures.resume)),
  row('interrupted + resume', median(figures.interrupted.map((ms, i) => ms + figures.resume[i]))),
]);
printSummary('replay-cost', {
  tasks: taskCount,
  nodes: median(figures.nodes),
  runMs: Math.round(run),
  replayOverRun: Number((median(figures.replay) / run).toFixed(2)),
  interruptedPlusResumeOverRun: Number((median(figures.interrupted.map((ms, i) => ms + figures.resume[i])) / run).toFixed(2)),
});
