import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSuite } from '../../src/eval/suite.ts';
import { runEval, type EvalSample } from '../../src/eval/runner.ts';
import { startQueueWorker } from '../../src/queue/queue-worker.ts';
import { openStore } from '../../src/store/index.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { createTestDatabase } from '../store/postgres-database.ts';
import { needsRedis, removeQueueKeys, testQueue } from './queue-services.ts';

const SUITE = parseSuite({
  name: 'queued',
  seed: 7,
  epochs: 2,
  reducers: ['mean'],
  tasks: [
    { name: 'blocksworld', env: 'strips', tasks: 'generate:blocksworld?count=3&blocks=4&length=4&seed=3' },
    { name: 'game24', env: 'game24', tasks: 'generate:game24?count=3&seed=5' },
  ],
  configs: [
    { name: 'greedy', strategy: 'greedy', options: { k: 3 }, budget: { expansions: 10 } },
    { name: 'mcts', strategy: 'mcts', options: { simulations: 100, k: 3 }, budget: { expansions: 10 } },
  ],
});

const outcomes = (samples: EvalSample[]) =>
  samples.map((s) => `${s.config} ${s.taskSet} ${s.epoch} ${s.taskId} ${s.evaluation.outcome} ${s.evaluation.score.met}/${s.evaluation.score.total} ${s.evaluation.expansions} ${s.evaluation.nodes}`).sort();

describe('an eval on a queue', () => {
  test('workers over one Postgres store search every run of the suite; the samples equal a one-process eval', async (t) => {
    if (!(await needsRedis(t))) return;
    const database = await createTestDatabase('queued_eval');
    if (!database) return t.skip('no Postgres server');
    const queue = testQueue('eval');
    const url = database.url();
    const store = openStore(url);
    const taken: string[] = [];
    const workers = ['w1', 'w2'].map((name) => startQueueWorker({ queue, store: openStore(url), name, report: (m) => m.includes(': searching ') && taken.push(name) }));
    try {
      const queued = await runEval({ suite: SUITE, evalId: 'queued', store, queue });
      const local = await runEval({ suite: SUITE, evalId: 'queued', store: createMemoryStore() });
      // 2 configurations × 2 task sets × 2 epochs, 3 tasks each.
      assert.equal(queued.samples.length, 24);
      assert.equal(queued.ran, 8);
      assert.deepEqual(outcomes(queued.samples), outcomes(local.samples));
      assert.equal(taken.length, 24, 'every task was searched by a worker');
      assert.deepEqual([...new Set(taken)].sort(), ['w1', 'w2'], 'both workers took jobs');
      // Run again: every run is complete in the shared store, so nothing is enqueued.
      const again = await runEval({ suite: SUITE, evalId: 'queued', store, queue });
      assert.equal(again.ran, 0);
      assert.deepEqual(outcomes(again.samples), outcomes(queued.samples));
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await store.close();
      await removeQueueKeys(queue);
    }
  });
});
