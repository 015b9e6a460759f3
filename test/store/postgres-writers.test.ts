import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connectPostgresStore } from '../../src/store/postgres/index.ts';
import { sampleRun } from '../../src/testing/store-suite/sample-run.ts';
import { createTestDatabase } from './postgres-database.ts';

const database = await createTestDatabase('writers');
const WRITER = fileURLToPath(new URL('./postgres-writer.ts', import.meta.url));

function runWriter(url: string, writer: string, runs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, url, writer, String(runs)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${writer} exited with ${code}: ${stderr}`))));
  });
}

test('several processes appending to one Postgres store at once lose, duplicate and interleave nothing', { skip: database ? false : 'no PostgreSQL' }, async () => {
  const url = database!.url('writers');
  // The schema is made before the writers start, as a team store would be; a second test covers opening it together.
  const store = await connectPostgresStore(url);
  const writers = ['w0', 'w1', 'w2', 'w3'];
  const runsEach = 3;
  await Promise.all(writers.map((writer) => runWriter(url, writer, runsEach)));

  const runs = await store.listRuns();
  assert.equal(runs.length, writers.length * runsEach);
  for (const writer of writers) {
    for (let i = 0; i < runsEach; i++) {
      const sample = sampleRun(`${writer}-run-${i}`, { taskCount: 3, nodesPerTask: 60, startedAt: `2026-01-01T00:00:0${i}.000Z` });
      const summary = await store.getRun(sample.run.id);
      assert.deepEqual(summary.results, sample.results);
      for (const task of sample.tasks) {
        // Each tree reads back whole and in its writer's order, however the batches of the others fell between.
        const tree = await store.getTree(sample.run.id, task.taskId);
        assert.deepEqual(tree.nodes, sample.nodes.filter((node) => node.taskId === task.taskId));
        assert.deepEqual(tree.candidates, sample.candidates.filter((candidate) => candidate.taskId === task.taskId));
        assert.deepEqual(tree.modelCalls, sample.modelCalls.filter((call) => call.taskId === task.taskId));
      }
    }
  }
  const notes = await store.getAnnotations('shared', { kind: 'note' });
  assert.deepEqual(notes.map((note) => note.key).sort(), writers);
  assert.ok(notes.every((note) => (note.data as { run: number }).run === runsEach - 1), 'each writer\'s last note replaced its earlier ones');
  await store.close();
});

test('processes opening a new store at the same moment create its schema once', { skip: database ? false : 'no PostgreSQL' }, async () => {
  const url = database!.url('opened_together');
  const stores = await Promise.all(Array.from({ length: 5 }, () => connectPostgresStore(url)));
  stores.forEach((store, i) => store.append(sampleRun(`together-${i}`, { taskCount: 0 }).run));
  await Promise.all(stores.map((store) => store.close()));
  const reader = await connectPostgresStore(url, { readonly: true });
  assert.equal((await reader.listRuns()).length, 5);
  await reader.close();
});
