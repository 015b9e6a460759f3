import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { StoreError } from '../../src/core/errors.ts';
import { STEPWISE_VERSION } from '../../src/core/version.ts';
import { STORE_FORMAT_VERSION } from '../../src/store/records.ts';
import type { AnnotationRecord, ModelCallRecord, NodeStatsRecord, StoreRecord } from '../../src/store/records.ts';
import { runSqliteMigrations, SQLITE_MIGRATIONS } from '../../src/store/sqlite-migrations.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/store.ts';
import { assertStoreHolds, FROZEN_FORMAT_VERSIONS, frozenFormatRecords } from '../../src/testing/store-suite/frozen-formats.ts';
import { sampleModelCall, sampleRun } from '../../src/testing/store-suite/sample-run.ts';
import { tempStorePath } from './temp-store-path.ts';


function fixtureUrl(version: number): URL {
  const url = new URL(`./fixtures/format-v${version}.sql`, import.meta.url);
  assert.ok(existsSync(url), `no frozen fixture for format ${version}: write one (see format-v1.sql) when bumping STORE_FORMAT_VERSION`);
  return url;
}

/** A fresh copy of the frozen file of one format version. */
function fixtureFile(version: number): string {
  const path = tempStorePath(`v${version}.db`);
  mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec(readFileSync(fixtureUrl(version), 'utf8'));
  db.close();
  return path;
}

function headerOf(path: string): { version: number; meta: Record<string, string>; tables: string[] } {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return {
      version: Number(db.prepare('PRAGMA user_version').get()?.user_version),
      meta: Object.fromEntries(db.prepare('SELECT key, value FROM meta').all().map((row) => [row.key, row.value])),
      tables: db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'index') ORDER BY name").all().map((row) => String(row.name)),
    };
  } finally {
    db.close();
  }
}

for (const version of FROZEN_FORMAT_VERSIONS) {
  test(`the frozen format-${version} file opens with every record intact, read-only as it is and writable migrated`, async () => {
    const path = fixtureFile(version);
    const records = frozenFormatRecords(version);
    const bytes = readFileSync(path);
    const viewer = openSqliteStore(path, { readonly: true });
    await assertStoreHolds(viewer, records);
    await viewer.close();
    assert.equal(headerOf(path).version, version, 'read-only opening never migrates');
    assert.deepEqual(readFileSync(path), bytes, 'read-only opening leaves the file byte for byte');

    const writer = openSqliteStore(path);
    await assertStoreHolds(writer, records);
    await writer.close();
    assert.equal(headerOf(path).version, STORE_FORMAT_VERSION);
  });
}

test('migrating a format-1 file keeps its creator, records the migration and gives it a working request cache and annotations', async () => {
  const path = fixtureFile(1);
  const store = openSqliteStore(path);
  const call = sampleModelCall('r-v1fixture', 'task-0', 'r-v1fixture.1#0', 'sha-after-migration');
  store.append(call);
  const note: AnnotationRecord = {
    type: 'annotation', runId: 'r-v1fixture', taskId: 'task-0', nodeId: 'r-v1fixture.1', kind: 'credit', key: '', data: { mcValue: 1 }, createdAt: 5,
  };
  store.append(note);
  await store.close();

  const { version, meta, tables } = headerOf(path);
  assert.equal(version, STORE_FORMAT_VERSION);
  assert.deepEqual(meta, {
    format_version: String(STORE_FORMAT_VERSION), created_by_stepwise: '0.1.0', created_at: '2025-06-01T12:00:00.000Z', migrated_by_stepwise: STEPWISE_VERSION,
  });
  for (const name of ['model_calls', 'model_calls_by_task', 'model_calls_by_request_hash', 'annotations', 'annotations_by_node']) {
    assert.ok(tables.includes(name), name);
  }

  const reopened = openSqliteStore(path, { readonly: true });
  assert.deepEqual((await reopened.getTree('r-v1fixture', 'task-0')).modelCalls, [call]);
  assert.deepEqual(await reopened.findModelCall('sha-after-migration'), call);
  assert.deepEqual(await reopened.getAnnotations('r-v1fixture'), [note]);
  const run = (await reopened.getRun('r-v1fixture')).run;
  assert.equal('provenance' in run || 'origin' in run, false, 'runs recorded before format 3 have no provenance or origin');
  await reopened.close();
});

test('a migration that fails part-way leaves the file in its old format, whole', () => {
  const path = fixtureFile(1);
  const before = headerOf(path);
  const db = new DatabaseSync(path);
  const failing = { version: STORE_FORMAT_VERSION + 1, description: 'fails', up: () => { throw new Error('disk on fire'); } };
  assert.throws(() => runSqliteMigrations(db, 'test', [...SQLITE_MIGRATIONS, failing]), /disk on fire/);
  assert.equal(db.isTransaction, false);
  db.close();
  assert.deepEqual(headerOf(path), before, 'the model_calls step ran but was rolled back with the failing one');
});

test('a new file records its format version and creator in the header and meta table', async () => {
  const path = tempStorePath();
  await openSqliteStore(path).close();
  const db = new DatabaseSync(path, { readOnly: true });
  assert.equal(db.prepare('PRAGMA user_version').get()?.user_version, STORE_FORMAT_VERSION);
  assert.equal(db.prepare('PRAGMA journal_mode').get()?.journal_mode, 'wal');
  db.close();
  const { meta } = headerOf(path);
  assert.equal(meta.format_version, String(STORE_FORMAT_VERSION));
  assert.equal(meta.created_by_stepwise, JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
});

test('the migrations are numbered 1, 2, … up to the current format version', () => {
  assert.deepEqual(SQLITE_MIGRATIONS.map((migration) => migration.version), FROZEN_FORMAT_VERSIONS);
});

test('a file from a newer stepwise is refused, naming both versions and the upgrade', async () => {
  const path = tempStorePath();
  const store = openSqliteStore(path);
  for (const record of sampleRun('future', { taskCount: 1, nodesPerTask: 2 }).records) store.append(record);
  await store.close();
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
