import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULT_STORE_PATH, openStore } from '../../src/store/index.ts';
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
