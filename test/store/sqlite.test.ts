import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreError } from '../../src/core/errors.ts';
import type { StoreRecord } from '../../src/store/records.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { sampleModelCall, sampleRun } from '../../src/testing/store-suite/sample-run.ts';
import { storeBehaviourSuite } from '../../src/testing/index.ts';
import { tempStorePath } from './temp-store-path.ts';

storeBehaviourSuite('sqlite', () => openSqliteStore(tempStorePath()));

function countRows(path: string, table: 'nodes' | 'model_calls'): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return Number(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()?.n);
  } finally {
    db.close();
  }
}

function countNodes(path: string): number {
  return countRows(path, 'nodes');
}

function nodeRecords(runId: string, count: number): StoreRecord[] {
  const sample = sampleRun(runId, { taskCount: 1, nodesPerTask: count });
  return [sample.run, sample.tasks[0], ...sample.nodes];
}

async function createStoreWith(path: string, records: StoreRecord[]): Promise<void> {
  const store = openSqliteStore(path);
  for (const record of records) store.append(record);
  await store.close();
}

test('appends wait in the batch until it fills, the timer fires, or flush is called', async () => {
  const path = tempStorePath();
  const [run, task, ...nodes] = nodeRecords('batched', 7);
  const store = openSqliteStore(path, { batchSize: 4, flushIntervalMs: 60_000 });
  store.append(run);
  store.append(task);
  store.append(nodes[0]);
  assert.equal(countNodes(path), 0, 'three records are below the batch size');
  store.append(nodes[1]);
  assert.equal(countNodes(path), 2, 'the fourth record fills the batch and writes it');
  store.append(nodes[2]);
  assert.equal(countNodes(path), 2);
  await store.flush();
  assert.equal(countNodes(path), 3, 'flush writes a partial batch');
  await store.close();
  const reopened = openSqliteStore(path);
  assert.deepEqual((await reopened.getTree('batched', 'task-0')).nodes, nodes.slice(0, 3));
  await reopened.close();
});

test('a partial batch is written by the timer without any call', async () => {
  const path = tempStorePath();
  const store = openSqliteStore(path, { batchSize: 1000, flushIntervalMs: 20 });
  for (const record of nodeRecords('timed', 3)) store.append(record);
  assert.equal(countNodes(path), 0);
  await sleep(200);
  assert.equal(countNodes(path), 3);
  await store.close();
});

test('a read-only store sees what a writer flushed and refuses to append', async () => {
  const path = tempStorePath();
  const sample = sampleRun('shared', { taskCount: 1, nodesPerTask: 3 });
  const writer = openSqliteStore(path);
  for (const record of sample.records) writer.append(record);
  await writer.flush();
  const viewer = openSqliteStore(path, { readonly: true });
  assert.deepEqual((await viewer.getTree('shared', 'task-0')).nodes, sample.nodes);
  assert.throws(() => viewer.append(sampleRun('other').run), (error: unknown) => error instanceof StoreError && /read-only/.test(error.message));
  await viewer.close();
  await writer.close();
});

test('read-only opening of a missing file fails clearly and creates nothing', () => {
  const path = tempStorePath('missing.db');
  assert.throws(() => openSqliteStore(path, { readonly: true }), (error: unknown) =>
    error instanceof StoreError && error.message.includes(path) && /no store file/i.test(error.message));
  assert.throws(() => readFileSync(path), /ENOENT/);
});

test('a store whose folder cannot be made is refused with a StoreError saying so', () => {
  const file = tempStorePath('plain-file');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '');
  // The folder would have to be made inside a plain file.
  assert.throws(() => openSqliteStore(`${file}/traces.db`), (error: unknown) =>
    error instanceof StoreError && /cannot create the folder for the store/.test(error.message) && /--db/.test(error.hint ?? ''));
});

test('a folder given as the store is refused as a folder, read-only or not', () => {
  const path = tempStorePath('a-folder.db');
  mkdirSync(path, { recursive: true });
  for (const readonly of [true, false]) {
    assert.throws(() => openSqliteStore(path, { readonly }), (error: unknown) =>
      error instanceof StoreError && error.message === `${path} is a folder, not a store file.` && /--db/.test(error.hint ?? ''));
  }
});

test('a file that is not SQLite is refused as not a stepwise store, and left untouched', () => {
  const path = tempStorePath('notes.db');
  mkdirSync(dirname(path), { recursive: true });
  const content = 'These are my notes, not a database.\n'.repeat(200);
  writeFileSync(path, content);
  assert.throws(() => openSqliteStore(path), (error: unknown) =>
    error instanceof StoreError && error.message.includes(path) && /not a stepwise store/.test(error.message));
  assert.equal(readFileSync(path, 'utf8'), content);
});

test("another program's SQLite database is refused rather than migrated into", () => {
  const path = tempStorePath('other.db');
  mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec('CREATE TABLE customers (name TEXT)');
  db.close();
  for (const readonly of [false, true]) {
    assert.throws(() => openSqliteStore(path, { readonly }), (error: unknown) => error instanceof StoreError && /not a stepwise store/.test(error.message));
  }
  const check = new DatabaseSync(path, { readOnly: true });
  assert.deepEqual(check.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all().map((row) => row.name), ['customers']);
  check.close();
});

test('the request cache answers from the batch without writing it', async () => {
  const path = tempStorePath();
  const store = openSqliteStore(path, { batchSize: 1000, flushIntervalMs: 60_000 });
  const call = sampleModelCall('lookup', 'task-0', 'lookup.0#0', 'h');
  store.append(call);
  assert.deepEqual(await store.findModelCall('h'), call);
  assert.equal(await store.findModelCall('other'), null);
  assert.equal(countRows(path, 'model_calls'), 0, 'a lookup must not cost a transaction');
  await store.flush();
  assert.equal(countRows(path, 'model_calls'), 1);
  assert.deepEqual(await store.findModelCall('h'), call);
  await store.close();
});

test('a later process opening the file is answered by the calls of earlier runs', async () => {
  const path = tempStorePath();
  const yesterday = sampleRun('yesterday');
  await createStoreWith(path, yesterday.records);
  const today = openSqliteStore(path);
  assert.deepEqual(await today.findModelCall('sha-1-1'), yesterday.modelCalls.find((call) => call.id === 'yesterday.6#1'));
  await today.close();
});

test('options out of range are refused before anything is opened', () => {
  const path = tempStorePath();
  assert.throws(() => openSqliteStore(path, { batchSize: 0 }), /batch size/);
  assert.throws(() => openSqliteStore(path, { flushIntervalMs: -1 }), /flush interval/);
  assert.throws(() => readFileSync(path), /ENOENT/);
});

test('reading one task of a big store, listing runs and the request cache use indexes, not table scans', async () => {
  const path = tempStorePath();
  await createStoreWith(path, []);
  const db = new DatabaseSync(path, { readOnly: true });
  const plan = (sql: string) => db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('r', 't').map((row) => String(row.detail)).join('; ');
  assert.match(plan('SELECT * FROM nodes WHERE run_id = ? AND task_id = ? ORDER BY seq'), /USING INDEX/);
  assert.doesNotMatch(plan('SELECT * FROM nodes WHERE run_id = ? AND task_id = ? ORDER BY seq'), /TEMP B-TREE/);
  assert.match(plan('SELECT * FROM candidates WHERE run_id = ? AND task_id = ? ORDER BY seq'), /USING INDEX/);
  assert.match(plan('SELECT * FROM tasks WHERE run_id = ? AND task_id = ?'), /USING INDEX/);
  assert.match(plan('SELECT * FROM model_calls WHERE run_id = ? AND task_id = ? ORDER BY seq'), /USING INDEX model_calls_by_task/);
  assert.doesNotMatch(plan('SELECT * FROM model_calls WHERE run_id = ? AND task_id = ? ORDER BY seq'), /TEMP B-TREE/);
  // The request cache's lookup, as sqlite-read.ts writes it.
  const cacheLookup = db.prepare('EXPLAIN QUERY PLAN SELECT * FROM model_calls WHERE request_hash = ? AND cache_hit = 0 AND error IS NULL ORDER BY seq LIMIT 1')
    .all('h').map((row) => String(row.detail)).join('; ');
  assert.match(cacheLookup, /USING INDEX model_calls_by_request_hash/);
  assert.doesNotMatch(cacheLookup, /TEMP B-TREE/);
  assert.doesNotMatch(db.prepare('EXPLAIN QUERY PLAN SELECT * FROM runs ORDER BY started_at DESC, seq DESC LIMIT 5').all().map((row) => String(row.detail)).join('; '), /TEMP B-TREE/);
  db.close();
});
