import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runRecipeOnQueue } from '../../src/queue/queued-run.ts';
import { runRecipe } from '../../src/replay/run-recipe.ts';
import { openStore } from '../../src/store/index.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import type { RunRecipe } from '../../src/store/records.ts';
import { startFakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { game24ModelScript } from '../../src/testing/game24-model.ts';
import { needsRedis, removeQueueKeys, testQueue } from './queue-services.ts';
import { spawnWorker, stopWorker } from './worker-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-queue-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('two worker processes searching overlapping tasks send each distinct model request once (counted at the server)', async (t) => {
  if (!(await needsRedis(t))) return;
  // Three puzzles, each twice under another task id: the twins ask the model exactly the same things.
  const csv = join(dir, 'twins.csv');
  const header = 'Rank,Puzzles,AMT (s),Solved rate,1-sigma Mean (s),1-sigma STD (s)';
  const puzzles = ['4 4 6 8', '1 5 5 5', '2 3 4 6', '4 4 6 8', '1 5 5 5', '2 3 4 6'];
  writeFileSync(csv, [header, ...puzzles.map((p, i) => `${i + 1},${p},1,99%,1,1`)].join('\n') + '\n');
  const server = await startFakeOpenAIServer({ script: game24ModelScript(), latencyMs: 60 });
  const queue = testQueue('model-cache');
  const db = join(dir, 'cache.db');
  const recipe: RunRecipe = {
    env: 'game24', tasks: `tot:${csv}`, strategy: 'bfs', strategyOptions: { width: '2' }, budget: {}, seed: 1,
    scorers: ['value'], model: { spec: `openai-compatible:${server.url}#fake-gpt`, mode: 'list', judgeSamples: 1 },
  };
  const store = openStore(db);
  const workers = [spawnWorker(queue, db, 'left', ['--concurrency', '3']), spawnWorker(queue, db, 'right', ['--concurrency', '3'])];
  try {
    await Promise.all(workers.map((w) => w.waitFor(/taking jobs/)));
    const result = await runRecipeOnQueue(recipe, { store, queue });
    assert.equal(result.status, 'completed');
    const bodies = server.requests.map((body) => JSON.stringify(body));
    assert.equal(new Set(bodies).size, bodies.length, 'no request body reached the server twice');
    for (const worker of workers) assert.match(worker.stderr(), /searching/, 'both workers searched tasks');

    // One process asks the same distinct requests: the queue sent no more than it.
    const sentOnQueue = bodies.length;
    const reference = createMemoryStore();
    const local = await runRecipe(recipe, { store: reference });
    assert.equal(server.requests.length - sentOnQueue, sentOnQueue, 'the one-process run sent as many requests as the workers together');
    assert.deepEqual(result.results.map((r) => [r.taskId, r.outcome, r.plan]), local.results.map((r) => [r.taskId, r.outcome, r.plan]));
    const calls = (await Promise.all(result.results.map((r) => store.getTree(result.runId, r.taskId)))).flatMap((tree) => tree.modelCalls);
    assert.equal(calls.filter((c) => !c.cacheHit && c.error === null).length, sentOnQueue, 'every sent request is recorded once');
    assert.ok(calls.some((c) => c.cacheHit), 'the twins were served from the shared store');
  } finally {
    await Promise.all(workers.map(stopWorker));
    await store.close();
    await server.close();
    await removeQueueKeys(queue);
  }
});
