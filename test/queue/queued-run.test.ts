import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { Environment } from '../../src/core/environment.ts';
import { game24Environment } from '../../src/envs/game24/index.ts';
import { runRecipeOnQueue } from '../../src/queue/queued-run.ts';
import { startQueueWorker } from '../../src/queue/queue-worker.ts';
import { describeQueueProgress, type QueueProgress } from '../../src/queue/queue-progress.ts';
import { runRecipe } from '../../src/replay/run-recipe.ts';
import { openStore } from '../../src/store/index.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import type { RunRecipe } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { needsRedis, removeQueueKeys, testQueue } from './queue-services.ts';
import { assertSameTrees } from './tree-comparison.ts';
import { spawnWorker, stopWorker } from './worker-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-queue-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const BLOCKSWORLD: RunRecipe = {
  env: 'strips',
  tasks: 'generate:blocksworld?count=5&blocks=4&length=6&seed=2',
  strategy: 'mcts',
  strategyOptions: { simulations: 60 },
  budget: {},
  seed: 3,
  scorers: ['heuristic'],
  model: null,
};

describe('runs on a queue', () => {
  test('two workers search the tasks of a run into one SQLite file, and the trees equal a one-process run', async (t) => {
    if (!(await needsRedis(t))) return;
    const queue = testQueue('two-workers');
    const db = join(dir, 'two-workers.db');
    const store = openStore(db);
    // Reads of a whole run (every task's record or result), counted per worker: once per run, not once per job.
    const wholeRunReads = [0, 0];
    const counted = (worker: number): Store => {
      const workerStore = openStore(db);
      const count = <A extends unknown[], R>(read: (...args: A) => R) => (...args: A) => (wholeRunReads[worker]++, read(...args));
      return { ...workerStore, getRun: count(workerStore.getRun), getTasks: count(workerStore.getTasks), listRuns: count(workerStore.listRuns) };
    };
    const workers = [startQueueWorker({ queue, store: counted(0), name: 'w1' }), startQueueWorker({ queue, store: counted(1), name: 'w2' })];
    const seen: QueueProgress[] = [];
    try {
      const result = await runRecipeOnQueue(BLOCKSWORLD, { store, queue, onProgress: (p) => seen.push(p) });
      assert.equal(result.status, 'completed');
      assert.equal(result.stats.tasks, 5);
      assert.ok(wholeRunReads.every((reads) => reads <= 1), `each worker read the whole run at most once (${wholeRunReads.join(', ')} reads)`);

      const reference = createMemoryStore();
      const local = await runRecipe(BLOCKSWORLD, { store: reference });
      assert.deepEqual(result.results.map((r) => [r.taskId, r.outcome, r.plan, r.expansions, r.nodes]), local.results.map((r) => [r.taskId, r.outcome, r.plan, r.expansions, r.nodes]));
      const nodes = await assertSameTrees(store, result.runId, reference, local.runId);
      assert.equal(nodes, local.stats.nodes);
      // Each task's nodes are numbered under its index, so workers writing one run never collide.
      for (const task of await store.getTasks(result.runId)) {
        const tree = await store.getTree(result.runId, task.taskId);
        assert.ok(tree.nodes.every((n) => n.id.startsWith(`${result.runId}.${task.index}.`)), `task ${task.taskId}'s node ids are <run>.${task.index}.<n>`);
      }
      const summary = await store.getRun(result.runId);
      assert.equal(summary.end?.status, 'completed');
      assert.equal(summary.tasks, 5);

      const last = seen.at(-1)!;
      assert.equal(last.done, 5);
      assert.equal(last.queued + last.running + last.failed, 0);
      assert.equal([...last.workers.values()].reduce((sum, w) => sum + w.done, 0), 5, 'every job is counted under the worker that ran it');
      assert.match(describeQueueProgress(last), /^queued 0 · running 0 · done 5 · failed 0 · workers \(running\/done\): /);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await store.close();
      await removeQueueKeys(queue);
    }
  });

  test('a poisoned job (an environment that throws every time) is recorded as failed after its attempts; the other tasks go on', async (t) => {
    if (!(await needsRedis(t))) return;
    const queue = testQueue('poison');
    const db = join(dir, 'poison.db');
    const store = openStore(db);
    let poisonedLoads = 0;
    const poisoned: Environment<any, any, any> = {
      ...game24Environment,
      load(task) {
        if (task.id === 'g24-1') {
          poisonedLoads++;
          throw new Error('the puzzle backend is down');
        }
        return game24Environment.load(task);
      },
    };
    const worker = startQueueWorker({ queue, store: openStore(db), environment: poisoned, concurrency: 2 });
    const reports: string[] = [];
    try {
      const recipe: RunRecipe = { env: 'game24', tasks: 'generate:game24?count=4&seed=1', strategy: 'dfs', strategyOptions: {}, budget: {}, seed: 0, scorers: ['heuristic'], model: null };
      const result = await runRecipeOnQueue(recipe, { store, queue, attempts: 2, report: (m) => reports.push(m) });
      assert.equal(result.status, 'completed');
      const byTask = new Map(result.results.map((r) => [r.taskId, r]));
      assert.equal(byTask.get('g24-1')?.outcome, 'failed');
      assert.match(byTask.get('g24-1')?.stopReason ?? '', /^job failed: the puzzle backend is down/);
      assert.equal(poisonedLoads, 2, 'tried exactly as many times as its attempts');
      for (const id of ['g24-0', 'g24-2', 'g24-3']) assert.equal(byTask.get(id)?.outcome, 'solved', `${id} searched despite the poisoned job`);
      const recorded = await store.getRun(result.runId);
      assert.deepEqual(recorded.results.map((r) => r.outcome).sort(), ['failed', 'solved', 'solved', 'solved']);
      assert.equal(recorded.end?.outcomes.failed, 1);
      assert.ok(reports.some((m) => /task g24-1 failed after 2 attempt\(s\): the puzzle backend is down/.test(m)), reports.join('\n'));
    } finally {
      await worker.close();
      await store.close();
      await removeQueueKeys(queue);
    }
  });

  test('a worker started on another store than the run fails its jobs at the first attempt, naming both stores', async (t) => {
    if (!(await needsRedis(t))) return;
    const queue = testQueue('wrong-store');
    const runDb = join(dir, 'wrong-store-run.db');
    const workerDb = join(dir, 'wrong-store-worker.db');
    const store = openStore(runDb);
    const worker = startQueueWorker({ queue, store: openStore(workerDb) });
    const reports: string[] = [];
    try {
      const recipe: RunRecipe = { env: 'game24', tasks: 'generate:game24?count=2&seed=1', strategy: 'dfs', strategyOptions: {}, budget: {}, seed: 0, scorers: ['heuristic'], model: null };
      const result = await runRecipeOnQueue(recipe, { store, queue, attempts: 3, report: (m) => reports.push(m) });
      assert.deepEqual(result.results.map((r) => r.outcome), ['failed', 'failed']);
      const expected = `task g24-0 failed after 1 attempt(s): run ${result.runId} is not in this worker's store ${workerDb} (the run records into ${runDb})`;
      assert.ok(reports.some((m) => m.startsWith(expected)), `expected "${expected}" in:\n${reports.join('\n')}`);
    } finally {
      await worker.close();
      await store.close();
      await removeQueueKeys(queue);
    }
  });

  test('stepwise worker without --db records into $STEPWISE_DB, as every other command reads it', async (t) => {
    if (!(await needsRedis(t))) return;
    const queue = testQueue('env-store');
    const db = join(dir, 'env-store.db');
    const worker = spawnWorker(queue, null, 'env', [], { STEPWISE_DB: db });
    try {
      await worker.waitFor(/taking jobs/);
      assert.match(worker.stderr(), new RegExp(`recording into ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    } finally {
      await stopWorker(worker);
      await removeQueueKeys(queue);
    }
  });

  test('one process runs queued runs one after another, each answered as its jobs finish', async (t) => {
    if (!(await needsRedis(t))) return;
    const recipe: RunRecipe = { env: 'game24', tasks: 'generate:game24?count=6&seed=1', strategy: 'dfs', strategyOptions: {}, budget: {}, seed: 0, scorers: ['heuristic'], model: null };
    for (const round of [1, 2, 3]) {
      const queue = testQueue(`round-${round}`);
      const db = join(dir, `round-${round}.db`);
      const store = openStore(db);
      const worker = startQueueWorker({ queue, store: openStore(db), concurrency: 3 });
      try {
        const result = await runRecipeOnQueue(recipe, { store, queue, pollMs: 50 });
        assert.equal(result.stats.tasks, 6, `round ${round}`);
        assert.equal((await store.getRun(result.runId)).end?.status, 'completed');
      } finally {
        await worker.close();
        await store.close();
        await removeQueueKeys(queue);
      }
    }
  });
});
