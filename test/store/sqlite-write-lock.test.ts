import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { StoreError } from '../../src/core/errors.ts';
import { enumerateProposer } from '../../src/propose/enumerate.ts';
import { runSearch } from '../../src/search/run.ts';
import { createStrategy } from '../../src/search/strategies/index.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { graphEnvironment, graphTask } from '../../src/testing/graph-env.ts';
import { sampleRun } from '../../src/testing/store-suite/sample-run.ts';
import { tempStorePath } from './temp-store-path.ts';

/** Another connection holding the file's write lock, as a second program writing to it would. */
function holdWriteLock(path: string): () => void {
  const other = new DatabaseSync(path);
  other.exec('BEGIN IMMEDIATE');
  return () => {
    other.exec('ROLLBACK');
    other.close();
  };
}

test('a batch that meets a held write lock is kept, in order, and written once the lock is released', async () => {
  const path = tempStorePath();
  const sample = sampleRun('locked', { taskCount: 1, nodesPerTask: 12 });
  const store = openSqliteStore(path, { batchSize: 4, flushIntervalMs: 60_000, busyTimeoutMs: 20 });
  store.append(sample.run);
  await store.flush();
  const release = holdWriteLock(path);
  for (const record of sample.records.slice(1)) store.append(record);
  await assert.rejects(store.flush(), (error: unknown) => {
    assert.ok(error instanceof StoreError);
    assert.match(error.message, /records could not be written to .*another connection holds its write lock/);
    assert.match(error.hint ?? '', /not marked complete.*stepwise resume/);
    return true;
  });
  await assert.rejects(store.flush(), StoreError, 'the failure stays reported while the records wait');
  release();
  await store.flush();
  const tree = await store.getTree('locked', 'task-0');
  assert.deepEqual(tree.nodes.map((n) => n.id), sample.nodes.map((n) => n.id), 'every record kept, none lost');
  assert.equal((await store.getRun('locked')).end?.status, sample.end.status);
  await store.close();
});

test('a run that meets a held write lock at its start is refused before it searches, naming the lock', async () => {
  const path = tempStorePath();
  const store = openSqliteStore(path, { batchSize: 2, busyTimeoutMs: 20 });
  const release = holdWriteLock(path);
  const tasks = ['a', 'b', 'c'].map((id) => graphTask(id, { start: 's', goal: 'g', edges: { s: ['x', 'g'], x: ['g'] } }));
  try {
    await assert.rejects(
      runSearch({ env: graphEnvironment, tasks, proposer: enumerateProposer(), strategy: createStrategy('bfs'), store, runId: 'held' }),
      /records could not be written/,
    );
  } finally {
    release();
  }
  // The run's lease is its first write: it meets the lock and the run never starts, so nothing can be marked complete.
  await store.close();
  const reopened = openSqliteStore(path, { readonly: true });
  assert.deepEqual((await reopened.listRuns()).map((r) => r.run.id), [], 'no run recorded');
  await reopened.close();
});

test('a run whose batch meets a write lock taken after it started stops and is never marked complete', async () => {
  const path = tempStorePath();
  const store = openSqliteStore(path, { batchSize: 2, busyTimeoutMs: 20 });
  const tasks = ['a', 'b', 'c'].map((id) => graphTask(id, { start: 's', goal: 'g', edges: { s: ['x', 'g'], x: ['g'] } }));
  let release: (() => void) | undefined;
  try {
    await assert.rejects(
      runSearch({ env: graphEnvironment, tasks, proposer: enumerateProposer(), strategy: createStrategy('bfs'), store, runId: 'held', onEvent: (event) => { if (event.type === 'task_start' && release === undefined) release = holdWriteLock(path); } }),
      /records could not be written/,
    );
  } finally {
    release?.();
  }
  // The lock is gone: what the run kept in memory is written now, ending in a failed status, never "completed".
  await store.close();
  const reopened = openSqliteStore(path, { readonly: true });
  const summary = await reopened.getRun('held');
  assert.match(summary.end?.status ?? 'no end', /^failed: .*could not be written/);
  assert.equal((await reopened.getTasks('held')).length, 1, 'the run stopped after the first task instead of searching on');
  await reopened.close();
});

test('closing while the lock is still held writes no end record: the run stays resumable', async () => {
  const path = tempStorePath();
  const sample = sampleRun('still-held', { taskCount: 1, nodesPerTask: 3 });
  const store = openSqliteStore(path, { busyTimeoutMs: 20 });
  store.append(sample.run);
  await store.flush();
  const release = holdWriteLock(path);
  for (const record of sample.records.slice(1)) store.append(record);
  await assert.rejects(store.close(), /could not be written/);
  release();
  const reopened = openSqliteStore(path, { readonly: true });
  assert.equal((await reopened.getRun('still-held')).end, null);
  await reopened.close();
});
