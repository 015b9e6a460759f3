// Benchmark: how long a CLI call takes to start. The package is packed and installed from its tarball (what
// users get), a store is filled with --steps runs, and `stepwise --help`, `stepwise runs` on that store and a bare
// `node -e 0` are timed side by side, interleaved rep by rep with the same Node (the repo's Node 24). The CLI run
// from this source checkout (type stripping) is timed beside them for comparison. Goal: ≤ 300 ms and ≤ 5x bare Node.
// Run: node bench/startup.ts [--steps <runs in the store, default 1000>] [--reps 21]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { game24Environment, generateGame24Tasks } from '../src/envs/game24/index.ts';
import { enumerateProposer } from '../src/propose/enumerate.ts';
import { runSearch } from '../src/search/run.ts';
import { greedy } from '../src/search/strategies/index.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import { packAndInstall, REPO_NODE, REPO_ROOT } from '../scripts/pack-install.ts';
import { median, printSummary, printTable, readBenchOptions } from './harness.ts';

const usage = `Usage: node bench/startup.ts [--steps <runs in the store, default 1000>] [--reps 21]
Start-up of the installed CLI (--help, runs on a store of --steps runs) against a bare \`node -e 0\`.
Example: node bench/startup.ts --steps 1000 --reps 21`;
const { steps: runCount, reps } = readBenchOptions(process.argv.slice(2), usage, { steps: 1000, reps: 21 });
const GOAL_MS = 300;
const GOAL_RATIO = 5;

const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-startup-'));
try {
  const installed = packAndInstall(dir, [], (line) => process.stderr.write(`startup: ${line}\n`));
  const db = join(dir, 'runs.db');
  process.stderr.write(`startup: recording ${runCount} runs into ${db}\n`);
  const store = openSqliteStore(db);
  const [task] = generateGame24Tasks({ count: 1, seed: 1 });
  for (let index = 0; index < runCount; index++) {
    await runSearch({ env: game24Environment, tasks: [task], proposer: enumerateProposer(), strategy: greedy(), store, seed: index });
    if ((index + 1) % 200 === 0) process.stderr.write(`startup: ${index + 1}/${runCount} runs recorded\n`);
  }
  await store.close();

  const sourceBin = join(REPO_ROOT, 'bin', 'stepwise.js');
  const calls: { label: string; args: string[] }[] = [
    { label: 'node -e 0 (bare Node)', args: ['-e', '0'] },
    { label: 'installed: stepwise --help', args: [installed.bin, '--help'] },
    { label: `installed: stepwise runs (${runCount} runs)`, args: [installed.bin, 'runs', '--db', db] },
    { label: 'source checkout: stepwise --help', args: [sourceBin, '--help'] },
    { label: `source checkout: stepwise runs (${runCount} runs)`, args: [sourceBin, 'runs', '--db', db] },
  ];
  const samples = calls.map(() => [] as number[]);
  for (let rep = 1; rep <= reps; rep++) {
    calls.forEach((call, index) => {
      const start = process.hrtime.bigint();
      const result = spawnSync(REPO_NODE, call.args, { cwd: installed.project, encoding: 'utf8' });
      samples[index].push(Number(process.hrtime.bigint() - start) / 1e6);
      if (result.status !== 0) throw new Error(`${call.label} exited with ${result.status}: ${result.stderr}`);
    });
    process.stderr.write(`startup: rep ${rep}/${reps}: ${calls.map((call, index) => `${Math.round(samples[index].at(-1)!)} ms`).join(', ')}\n`);
  }

  const bare = median(samples[0]);
  const rows = calls.map((call, index) => {
    const ms = median(samples[index]);
    return { call: call.label, 'median ms': ms.toFixed(0), 'min ms': Math.min(...samples[index]).toFixed(0), 'x bare Node': (ms / bare).toFixed(2) };
  });
  printTable(`CLI start-up, median of ${reps} interleaved reps (goal: installed ≤ ${GOAL_MS} ms and ≤ ${GOAL_RATIO}x bare Node)`, rows);
  const figure = (index: number) => ({ medianMs: Math.round(median(samples[index])), ratio: Number((median(samples[index]) / bare).toFixed(2)) });
  printSummary('startup', {
    reps,
    runsInStore: runCount,
    bareNodeMs: Math.round(bare),
    help: figure(1),
    runs: figure(2),
    sourceHelp: figure(3),
    sourceRuns: figure(4),
    goalMet: [1, 2].every((index) => median(samples[index]) <= GOAL_MS && median(samples[index]) / bare <= GOAL_RATIO),
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
