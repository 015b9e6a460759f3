// Benchmark: the cost, per step, of giving a branch its own workspace world, three ways: restore a snapshot
// (a folder copy), re-execute the recorded prefix in a fresh world, or copy the task's folder (a fresh world).
// Run: node bench/world-branch-cost.ts [--files 200] [--depth 4] [--rounds 20]
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ToolCallAction } from '../src/core/world.ts';
import { loadWorkspaceTask, workspaceEnvironment } from '../src/envs/workspace/index.ts';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '200' },
    'file-kb': { type: 'string', default: '4' },
    depth: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '20' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`Usage: node bench/world-branch-cost.ts [--files 200] [--file-kb 4] [--depth 4] [--rounds 20]
Per branch of a workspace task (a folder of --files files of --file-kb KiB), at --depth steps below the root:
  live step      one step in a world already at the node (no branch cost)
  restore        snapshot the node's folder, then restore it into another world (what the pool does for siblings)
  re-execute     a fresh world (a folder copy) and the --depth recorded steps executed again
  copy           a fresh world alone: one copy of the task's folder
Example: node bench/world-branch-cost.ts --files 1000 --depth 8`);
  process.exit(0);
}
const files = Number(values.files);
const depth = Number(values.depth);
const rounds = Number(values.rounds);

const folder = mkdtempSync(join(tmpdir(), 'stepwise-bench-task-'));
mkdirSync(join(folder, 'workspace', 'src'), { recursive: true });
const body = 'x'.repeat(Number(values['file-kb']) * 1024);
for (let i = 0; i < files; i++) writeFileSync(join(folder, 'workspace', 'src', `file-${i}.txt`), `${i}\n${body}`);
writeFileSync(join(folder, 'task.json'), JSON.stringify({ goal: 'bench', check: { files: [{ path: 'never.txt', exists: true }] } }));
const problem = workspaceEnvironment.load(loadWorkspaceTask(folder));
const signal = new AbortController().signal;
// Edits, so re-execution rewrites files and re-hashes the folder as a real agent's steps would.
const prefix: ToolCallAction[] = Array.from({ length: depth }, (_, i) => ({ tool: 'write_file', args: { path: `notes/step-${i}.txt`, content: `step ${i}\n` } }));
const probe: ToolCallAction = { tool: 'read_file', args: { path: 'src/file-0.txt' } };

const time = async (work: () => Promise<unknown>): Promise<number> => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const at = await problem.openWorld!(signal);
for (const action of prefix) await at.step(action);
const other = await problem.openWorld!(signal);
const rows: Record<string, number[]> = { 'live step': [], restore: [], 're-execute': [], copy: [] };
for (let r = 0; r < rounds; r++) {
  rows['live step'].push(await time(() => at.step(probe)));
  rows.restore.push(await time(async () => {
    const snapshot = await at.snapshot!();
    await other.restore!(snapshot);
    await snapshot.dispose();
  }));
  rows['re-execute'].push(await time(async () => {
    const fresh = await problem.openWorld!(signal);
    for (const action of prefix) await fresh.step(action);
    await fresh.close();
  }));
  rows.copy.push(await time(async () => (await problem.openWorld!(signal)).close()));
}
await at.close();
await other.close();
rmSync(folder, { recursive: true, force: true });

console.log(`A branch's own world on a workspace of ${files} files × ${values['file-kb']} KiB, ${depth} steps below the root; median of ${rounds}`);
console.log('way            ms per branch  ms per step of the prefix');
for (const [way, ms] of Object.entries(rows)) console.log(`${way.padEnd(14)} ${median(ms).toFixed(1).padStart(13)}  ${(median(ms) / (way === 'live step' ? 1 : depth)).toFixed(1).padStart(10)}`);
console.log(JSON.stringify({ bench: 'world-branch-cost', files, fileKb: Number(values['file-kb']), depth, rounds, ...Object.fromEntries(Object.entries(rows).map(([way, ms]) => [way, Number(median(ms).toFixed(2))])) }));
