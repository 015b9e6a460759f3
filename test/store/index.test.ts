import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { UsageError } from '../../src/core/errors.ts';
import { DEFAULT_STORE_PATH, openStore, storeFilePath } from '../../src/store/index.ts';
import { sampleRun } from '../../src/testing/store-suite/sample-run.ts';
import { tempStorePath } from './temp-store-path.ts';

test(':memory: opens an in-process store that leaves no file behind', async () => {
  const store = openStore(':memory:');
  assert.equal(store.location, ':memory:');
  store.append(sampleRun('in-memory').run);
  assert.equal((await store.getRun('latest')).run.id, 'in-memory');
  await store.close();
  assert.equal(existsSync(':memory:'), false);
});

test('any other argument opens a SQLite file there, creating its folders', async () => {
  const path = tempStorePath();
  const store = openStore(path);
  assert.equal(store.location, path);
  store.append(sampleRun('on-disk').run);
  await store.close();
  assert.ok(existsSync(path));
  const reopened = openStore(path, { readonly: true });
  assert.equal((await reopened.getRun('on-disk')).run.id, 'on-disk');
  await reopened.close();
});

test('the default store lives in the .stepwise folder of the working directory', () => {
  assert.equal(DEFAULT_STORE_PATH, '.stepwise/traces.db');
});

test('memory: and sqlite:<path> name their backends; sqlite:///abs keeps the absolute path', async () => {
  assert.equal(openStore('memory:').location, ':memory:');
  const path = tempStorePath();
  const store = openStore(`sqlite:${path}`);
  assert.equal(store.location, path);
  store.append(sampleRun('by-scheme').run);
  await store.close();
  assert.ok(existsSync(path));
  assert.equal(storeFilePath(`sqlite://${path}`), path);
  assert.equal(storeFilePath('postgres://host/db'), undefined);
  assert.equal(storeFilePath('memory:'), undefined);
});

test('an unknown scheme is a UsageError listing the schemes stepwise opens', () => {
  assert.throws(() => openStore('redis://127.0.0.1:6379'), (error: unknown) =>
    error instanceof UsageError && /Unknown store scheme "redis:"/.test(error.message)
    && /sqlite:<path>/.test(error.message) && /memory:/.test(error.message) && /postgres:\/\//.test(error.message)
    && /sqlite:redis/.test(error.hint ?? ''));
  assert.throws(() => openStore('sqlite:'), UsageError);
});
