import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreError } from '../../src/core/errors.ts';
import { STORE_FORMAT_VERSION } from '../../src/store/records.ts';
import type { StoreRecord } from '../../src/store/records.ts';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite-migrations.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/store.ts';
import { sampleRun } from './sample-run.ts';
import { describeStoreBehaviour } from './store-behaviour.ts';
import { tempStorePath } from './temp-store-path.ts';

describeStoreBehaviour('sqlite', () => openSqliteStore(tempStorePath()));

function countNodes(path: string): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return Number(db.prepare('SELECT count(*) AS n FROM nodes').get()?.n);
  } finally {
    db.close();
  }
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

test('a new file records its format version and creator in the header and meta table', async () => {
  const path = tempStorePath();
  await createStoreWith(path, []);
  const db = new DatabaseSync(path, { readOnly: true });
  assert.equal(db.prepare('PRAGMA user_version').get()?.user_version, STORE_FORMAT_VERSION);
  assert.equal(db.prepare('PRAGMA journal_mode').get()?.journal_mode, 'wal');
  const meta = Object.fromEntries(db.prepare('SELECT key, value FROM meta').all().map((row) => [row.key, row.value]));
  db.close();
  assert.equal(meta.format_version, String(STORE_FORMAT_VERSION));
  assert.equal(meta.created_by_stepwise, JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
});

test('the migrations are numbered 1, 2, … up to the current format version', () => {
  assert.deepEqual(SQLITE_MIGRATIONS.map((migration) => migration.version), Array.from({ length: STORE_FORMAT_VERSION }, (_, i) => i + 1));
});

test('a file from a newer stepwise is refused, naming both versions and the upgrade', async () => {
  const path = tempStorePath();
  await createStoreWith(path, nodeRecords('future', 2));
  const db = new DatabaseSync(path);
  db.exec(`PRAGMA user_version = ${STORE_FORMAT_VERSION + 6}`);
  db.close();
  for (const readonly of [false, true]) {
    assert.throws(() => openSqliteStore(path, { readonly }), (error: unknown) => {
      assert.ok(error instanceof StoreError);
      assert.match(error.message, new RegExp(`format version ${STORE_FORMAT_VERSION + 6}\\b`));
      assert.match(error.message, new RegExp(`up to ${STORE_FORMAT_VERSION}\\b`));
      assert.match(error.hint ?? '', /upgrade stepwise/i);
      return true;
    });
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

test('a format-1 file written by the first stepwise loads unchanged', async () => {
  const path = tempStorePath('v1.db');
  mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec(readFileSync(new URL('./fixtures/format-v1.sql', import.meta.url), 'utf8'));
  db.close();
  const expected = JSON.parse(readFileSync(new URL('./fixtures/format-v1.records.json', import.meta.url), 'utf8')) as StoreRecord[];
  const store: Store = openSqliteStore(path);
  const run = expected.find((record) => record.type === 'run');
  assert.ok(run);
  const summary = await store.getRun('latest');
  assert.deepEqual(summary.run, run);
  assert.deepEqual(summary.end, expected.find((record) => record.type === 'run_end'));
  const tree = await store.getTree(run.id, 'task-0');
  assert.deepEqual(tree.nodes, expected.filter((record) => record.type === 'node'));
  assert.deepEqual(tree.candidates, expected.filter((record) => record.type === 'candidate'));
  assert.deepEqual(tree.result, expected.find((record) => record.type === 'task_result'));
  assert.deepEqual([...tree.stats.values()], expected.filter((record) => record.type === 'node_stats'));
  await store.close();
});

test('options out of range are refused before anything is opened', () => {
  const path = tempStorePath();
  assert.throws(() => openSqliteStore(path, { batchSize: 0 }), /batch size/);
  assert.throws(() => openSqliteStore(path, { flushIntervalMs: -1 }), /flush interval/);
  assert.throws(() => readFileSync(path), /ENOENT/);
});

test('reading one task of a big store and listing runs use indexes, not table scans', async () => {
  const path = tempStorePath();
  await createStoreWith(path, []);
  const db = new DatabaseSync(path, { readOnly: true });
  const plan = (sql: string) => db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('r', 't').map((row) => String(row.detail)).join('; ');
  assert.match(plan('SELECT * FROM nodes WHERE run_id = ? AND task_id = ? ORDER BY seq'), /USING INDEX/);
  assert.doesNotMatch(plan('SELECT * FROM nodes WHERE run_id = ? AND task_id = ? ORDER BY seq'), /TEMP B-TREE/);
  assert.match(plan('SELECT * FROM candidates WHERE run_id = ? AND task_id = ? ORDER BY seq'), /USING INDEX/);
  assert.match(plan('SELECT * FROM tasks WHERE run_id = ? AND task_id = ?'), /USING INDEX/);
  assert.doesNotMatch(db.prepare('EXPLAIN QUERY PLAN SELECT * FROM runs ORDER BY started_at DESC, seq DESC LIMIT 5').all().map((row) => String(row.detail)).join('; '), /TEMP B-TREE/);
  db.close();
});
