import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StoreError } from '../../src/core/errors.ts';
import { openStore } from '../../src/store/index.ts';
import { connectPostgresStore, openPostgresStore } from '../../src/store/postgres/index.ts';
import { storeBehaviourSuite } from '../../src/testing/index.ts';
import { sampleRun } from '../../src/testing/store-suite/sample-run.ts';
import { createTestDatabase } from './postgres-database.ts';

const database = await createTestDatabase('store');

if (database) {
  let schemas = 0;
  // Each store of the suite in a schema of its own: empty, as the suite expects, and all dropped with the database.
  storeBehaviourSuite('postgres', () => openPostgresStore(database.url(`suite_${++schemas}`)));

  test('openStore opens postgres:// and postgresql:// URLs, and shows them without the password', async () => {
    const store = openStore(database.url('by_url').replace('postgres://postgres@', 'postgresql://postgres:secret@'));
    assert.match(store.location, /^postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/stepwise_test_store_\d+\?schema=by_url$/);
    store.append(sampleRun('via-url', { taskCount: 1 }).run);
    assert.equal((await store.getRun('latest')).run.id, 'via-url');
    await store.close();
  });

  test('a second process opening the store sees what the first wrote (a shared store), and the change mark moves', async () => {
    const url = database.url('shared');
    const first = await connectPostgresStore(url);
    const second = await connectPostgresStore(url, { readonly: true });
    const before = await second.changeMark();
    const sample = sampleRun('shared-run', { taskCount: 1, nodesPerTask: 3 });
    for (const record of sample.records) first.append(record);
    await first.flush();
    assert.notEqual(await second.changeMark(), before);
    assert.deepEqual((await second.getTree('shared-run', 'task-0')).nodes, sample.nodes);
    assert.throws(() => second.append(sample.run), (error: unknown) => error instanceof StoreError && /read-only/.test(error.message));
    await first.close();
    await second.close();
  });

  test('a read-only open of a schema with no store, and a newer format, are clear StoreErrors', async () => {
    await assert.rejects(connectPostgresStore(database.url('empty'), { readonly: true }), (error: unknown) =>
      error instanceof StoreError && /No stepwise store at/.test(error.message));
    const url = database.url('future');
    const store = await connectPostgresStore(url);
    const client = new (await import('pg')).default.Client({ connectionString: database.url() });
    await client.connect();
    await client.query("UPDATE future.stepwise_meta SET value = '99' WHERE key = 'format_version'");
    await client.end();
    await store.close();
    await assert.rejects(connectPostgresStore(url), (error: unknown) =>
      error instanceof StoreError && /format version 99/.test(error.message) && /Upgrade stepwise/.test(error.hint ?? ''));
  });

  test('a database that does not exist is a StoreError saying how to create it', async () => {
    const url = new URL(database.url());
    url.pathname = '/stepwise_no_such_database';
    await assert.rejects(connectPostgresStore(url.toString()), (error: unknown) =>
      error instanceof StoreError && /Could not connect/.test(error.message) && /createdb/.test(error.hint ?? ''));
  });

  test('a record Postgres cannot hold is refused alone; the rest of its batch is kept', async () => {
    const store = await connectPostgresStore(database.url('bad_record'));
    const sample = sampleRun('nul-run', { taskCount: 1, nodesPerTask: 3 });
    const [run, task, ...rest] = sample.records;
    store.append(run);
    store.append(task);
    // Postgres text cannot hold NUL characters (SQLite can): that node is refused, its siblings kept.
    const nodes = sample.nodes;
    store.append({ ...nodes[0] });
    store.append({ ...nodes[1], observation: 'bad \u0000 byte' });
    store.append({ ...nodes[2] });
    await assert.rejects(store.flush(), (error: unknown) => error instanceof StoreError && new RegExp(`node ${nodes[1].id.replace('.', '\\.')}`).test(error.message));
    assert.deepEqual((await store.getTree('nul-run', 'task-0')).nodes.map((node) => node.id), [nodes[0].id, nodes[2].id]);
    void rest;
    await store.close();
  });
}
