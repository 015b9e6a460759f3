import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectPostgresStore } from '../../src/store/postgres/index.ts';
import { crashNode, crashStats } from './crash-records.ts';
import { createTestDatabase } from './postgres-database.ts';

const database = await createTestDatabase('crash');
const WRITER = new URL('./postgres-crash-writer.ts', import.meta.url).pathname;

async function killWriterMidway(url: string, runId: string, batchSize: number, runMs: number): Promise<void> {
  const child = spawn(process.execPath, [WRITER, url, runId, String(batchSize)], { stdio: ['ignore', 'pipe', 'pipe'] });
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

test('a writer killed mid-run leaves the Postgres store holding whole batches only', { skip: database ? false : 'no PostgreSQL' }, async (t) => {
  const url = database!.url('crash');
  const survivors: number[] = [];
  for (const [round, batchSize] of [7, 50, 13].entries()) {
    const runId = `crash-${round}`;
    await killWriterMidway(url, runId, batchSize, 100 + Math.floor(Math.random() * 400));
    const store = await connectPostgresStore(url, { readonly: true });
    const tree = await store.getTree(runId, 'task-0');
    const kept = tree.nodes.length;
    survivors.push(kept);
    assert.deepEqual(tree.nodes, Array.from({ length: kept }, (_, i) => crashNode(runId, i)), 'the surviving nodes are a prefix of those written');
    const statsKept = tree.stats.size;
    assert.deepEqual([...tree.stats.values()], Array.from({ length: statsKept }, (_, i) => crashStats(runId, i)));
    assert.equal((kept + statsKept) % batchSize, 0, `${kept + statsKept} records survived, not whole batches of ${batchSize}`);
    await store.close();
  }
  t.diagnostic(`nodes kept per killed writer: ${survivors.join(', ')}`);
  assert.ok(survivors.some((kept) => kept > 0), 'no writer got as far as a full batch; the test exercised nothing');
});
