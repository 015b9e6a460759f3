import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { crashNode, crashStats } from './crash-records.ts';
import { tempStorePath } from './temp-store-path.ts';

const WRITER = new URL('./crash-writer.ts', import.meta.url).pathname;

/** Starts the writer, waits until its header is durable, lets it run `runMs`, then SIGKILLs it. */
async function killWriterMidway(path: string, runId: string, batchSize: number, runMs: number): Promise<void> {
  const child = spawn(process.execPath, [WRITER, path, runId, String(batchSize)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.on('exit', () => reject(new Error(`crash writer exited before it was ready:\n${stderr}`)));
  });
  await sleep(runMs);
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL', `the writer finished before it was killed:\n${stderr}`);
}

test('a writer killed at a random moment leaves a sound file holding whole batches only', async (t) => {
  const path = tempStorePath();
  const survivors = new Map<string, number>();
  for (const [round, batchSize] of [7, 7, 50, 7, 50, 13].entries()) {
    const runId = `crash-${round}`;
    await killWriterMidway(path, runId, batchSize, 20 + Math.floor(Math.random() * 180));

    const store = openSqliteStore(path);
    const tree = await store.getTree(runId, 'task-0');
    const kept = tree.nodes.length;
    survivors.set(runId, kept);
    assert.deepEqual(tree.nodes, Array.from({ length: kept }, (_, i) => crashNode(runId, i)), 'the surviving nodes are a prefix of those written');
    const statsKept = tree.stats.size;
    assert.deepEqual([...tree.stats.values()], Array.from({ length: statsKept }, (_, i) => crashStats(runId, i)));
    assert.ok(statsKept === kept || statsKept === kept - 1 || kept === 0, `stats of ${statsKept} nodes for ${kept} nodes`);
    assert.equal((kept + statsKept) % batchSize, 0, `${kept + statsKept} records survived, not whole batches of ${batchSize}`);
    for (const [earlierRun, earlierKept] of survivors) {
      assert.equal((await store.getTree(earlierRun, 'task-0')).nodes.length, earlierKept, `${earlierRun} changed after a later crash`);
    }
    await store.close();

    const db = new DatabaseSync(path);
    assert.deepEqual(db.prepare('PRAGMA integrity_check').all().map((row) => row.integrity_check), ['ok']);
    db.close();
  }
  t.diagnostic(`nodes kept per killed writer: ${[...survivors.values()].join(', ')}`);
  const total = [...survivors.values()].reduce((sum, kept) => sum + kept, 0);
  assert.ok(total > 0, 'no writer got as far as a full batch; the test exercised nothing');
});
