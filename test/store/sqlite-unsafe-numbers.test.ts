import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { ReplayError, StoreError, UsageError } from '../../src/core/errors.ts';
import { enumerateProposer } from '../../src/propose/enumerate.ts';
import { recipeOfRun } from '../../src/replay/recipe-of-run.ts';
import { runSearch } from '../../src/search/run.ts';
import { createStrategy } from '../../src/search/strategies/index.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { graphEnvironment, graphTask } from '../../src/testing/graph-env.ts';
import { sampleRun } from '../../src/testing/store-suite/sample-run.ts';
import { tempStorePath } from './temp-store-path.ts';

test('a run record with a seed beyond 2^53 is refused at append, and the rest of the batch is kept', async () => {
  const path = tempStorePath();
  const store = openSqliteStore(path);
  const good = sampleRun('good', { taskCount: 1, nodesPerTask: 2 });
  store.append({ ...sampleRun('huge').run, seed: 2 ** 53 });
  for (const record of good.records) store.append(record);
  await assert.rejects(store.flush(), (error: unknown) => error instanceof StoreError && /run huge: it holds the number 9007199254740992, beyond/.test(error.message));
  assert.deepEqual((await store.listRuns()).map((s) => s.run.id), ['good']);
  await store.close();
});

test('a store an older stepwise wrote a seed beyond 2^53 into stays readable; only that run cannot be redone', async () => {
  const path = tempStorePath();
  const store = openSqliteStore(path);
  for (const id of ['before', 'after']) for (const record of sampleRun(id, { taskCount: 1, nodesPerTask: 2 }).records) store.append(record);
  await store.close();
  const raw = new DatabaseSync(path);
  raw.prepare('UPDATE runs SET seed = ? WHERE id = ?').run(9007199254740993n, 'before');
  raw.close();

  const reopened = openSqliteStore(path, { readonly: true });
  const runs = await reopened.listRuns();
  assert.deepEqual(runs.map((s) => s.run.id).sort(), ['after', 'before'], 'listing does not throw a RangeError');
  assert.equal((await reopened.getRun('after')).run.seed, 42);
  const bad = (await reopened.getRun('before')).run;
  assert.equal((await reopened.getTree('before', 'task-0')).nodes.length, 2, "the run's records still read");
  assert.throws(() => recipeOfRun(bad), (error: unknown) => error instanceof ReplayError && /seed 9007199254740992, beyond 2\^53 - 1/.test(error.message));
  await reopened.close();
});

test('runSearch refuses a seed it could not record exactly', async () => {
  const task = graphTask('t', { start: 's', goal: 'g', edges: { s: ['g'] } });
  await assert.rejects(
    runSearch({ env: graphEnvironment, tasks: [task], proposer: enumerateProposer(), strategy: createStrategy('bfs'), seed: 2 ** 60 }),
    (error: unknown) => error instanceof UsageError && /seed must be a whole number within/.test(error.message),
  );
});
