import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { runRecipeOnQueue } from '../../src/queue/queued-run.ts';
import { runRecipe } from '../../src/replay/run-recipe.ts';
import { openStore } from '../../src/store/index.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import type { RunRecipe } from '../../src/store/records.ts';
import { startFakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { game24ModelScript } from '../../src/testing/game24-model.ts';
import { needsRedis, redisReachable, removeQueueKeys, testQueue } from './queue-services.ts';
import { assertSameTrees } from './tree-comparison.ts';
import { spawnWorker, stopWorker, type WorkerProcess } from './worker-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-queue-faults-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Nodes of one task committed to the file so far, read without disturbing the writers. */
function committedNodes(db: string, runId: string, taskIndex: number): number {
  const reader = new DatabaseSync(db, { readOnly: true });
  try {
    return Number(reader.prepare('SELECT count(*) AS n FROM nodes WHERE id LIKE ?').get(`${runId}.${taskIndex}.%`)!.n);
  } finally {
    reader.close();
  }
}

describe('queue faults', () => {
  test('a worker SIGKILLed mid-job: its job is retried by another worker, which continues from the partial records to the uninterrupted tree', async (t) => {
    if (!(await needsRedis(t))) return;
    const server = await startFakeOpenAIServer({ script: game24ModelScript(), latencyMs: 40 });
    const queue = testQueue('sigkill');
    const db = join(dir, 'sigkill.db');
    const recipe: RunRecipe = {
      env: 'game24', tasks: 'generate:game24?count=4&seed=3', strategy: 'bfs', strategyOptions: { width: '2' }, budget: {}, seed: 1,
      scorers: ['value'], model: { spec: `openai-compatible:${server.url}#fake-gpt`, mode: 'list', judgeSamples: 1 },
    };
    const store = openStore(db);
    const doomed = spawnWorker(queue, db, 'doomed', ['--stall-timeout', '2s']);
    let survivor: WorkerProcess | null = null;
    try {
      await doomed.waitFor(/taking jobs/);
      const running = runRecipeOnQueue(recipe, { store, queue });
      await doomed.waitFor(/doomed: searching (\S+) of run (\S+)/);
      const [, taskId, runId] = /doomed: searching (\S+) of run (\S+)/.exec(doomed.stderr())!;
      const taskIndex = Number(taskId.replace('g24-', ''));
      // Killed only once the task has committed records, so the retry must pick up after them.
      while (committedNodes(db, runId, taskIndex) === 0) await sleep(10);
      await sleep(150);
      doomed.child.kill('SIGKILL');
      await doomed.exited;
      const partial = committedNodes(db, runId, taskIndex);
      assert.doesNotMatch(doomed.stderr(), new RegExp(`doomed: ${taskId} of run \\S+ (solved|failed|budget)`), 'killed before it finished the task');
      survivor = spawnWorker(queue, db, 'survivor', ['--stall-timeout', '2s']);
      const result = await running;
      assert.equal(result.status, 'completed');
      assert.match(survivor.stderr(), new RegExp(`survivor: ${taskId} of run ${runId} `), 'the killed job was finished by the other worker');

      const reference = createMemoryStore();
      const local = await runRecipe(recipe, { store: reference });
      const nodes = await assertSameTrees(store, result.runId, reference, local.runId);
      assert.equal(nodes, local.stats.nodes);
      assert.ok(partial > 0 && partial < (await store.getTree(runId, taskId)).nodes.length, `the kill left a partial tree (${partial} nodes) that the retry completed`);
    } finally {
      doomed.child.kill('SIGKILL');
      if (survivor) await stopWorker(survivor);
      await store.close();
      await server.close();
      await removeQueueKeys(queue);
    }
  });

  test('Redis restarted mid-run: the worker and the run reconnect and the run completes with the uninterrupted trees', async (t) => {
    if (!(await needsRedis(t))) return;
    const port = 20000 + (process.pid % 20000);
    const dataDir = mkdtempSync(join(dir, 'redis-'));
    // A private Redis that keeps its data across the restart (as a production one does), so the shared one is not disturbed.
    const startRedis = async (): Promise<ChildProcess> => {
      const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: 'ignore' });
      for (let i = 0; i < 200 && !(await redisReachable(`redis://127.0.0.1:${port}`)); i++) await sleep(25);
      return child;
    };
    let redis = await startRedis();
    const queue = testQueue('restart', `redis://127.0.0.1:${port}`);
    const db = join(dir, 'restart.db');
    const recipe: RunRecipe = { env: 'strips', tasks: 'generate:blocksworld?count=8&blocks=5&length=8&seed=4', strategy: 'mcts', strategyOptions: { simulations: 150 }, budget: {}, seed: 2, scorers: ['heuristic'], model: null };
    const store = openStore(db);
    const worker = spawnWorker(queue, db, 'steady');
    const reports: string[] = [];
    try {
      await worker.waitFor(/taking jobs/);
      const running = runRecipeOnQueue(recipe, { store, queue, report: (m) => reports.push(m), pollMs: 250 });
      await worker.waitFor(/steady: \S+ of run \S+ solved/);
      redis.kill('SIGTERM');
      await new Promise((resolve) => redis.once('close', resolve));
      await sleep(1500);
      redis = await startRedis();
      const result = await running;
      assert.equal(result.status, 'completed');
      assert.equal(result.stats.tasks, 8);
      await worker.waitFor(/Redis connection back/);
      assert.ok(reports.some((m) => /lost the Redis connection/.test(m)), `the run said it lost Redis: ${reports.join('\n')}`);

      const reference = createMemoryStore();
      const local = await runRecipe(recipe, { store: reference });
      await assertSameTrees(store, result.runId, reference, local.runId);
    } finally {
      await stopWorker(worker);
      await store.close();
      redis.kill('SIGKILL');
    }
  });
});
