import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CREDIT_KIND } from '../../src/credit/annotations.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { sampleRun } from '../../src/testing/store-suite/sample-run.ts';
import { defineTreeCache } from '../../src/view/tree-cache.ts';

// Issue 17: the cache was dropped whenever any run wrote, so a finished tree was rebuilt on every request while another run worked.
test('a finished tree stays cached while another run writes; an unfinished one, or new credit, rebuilds it', async () => {
  const store = createMemoryStore();
  const done = sampleRun('rdone');
  for (const record of done.records) store.append(record);
  const working = sampleRun('rwork');
  const [firstTask] = working.tasks;
  // The working run: its first task's records so far, no result and no end.
  const unfinished = working.records.filter((r) => r.type !== 'task_result' && r.type !== 'run_end' && (!('taskId' in r) || r.taskId === firstTask.taskId));
  const held = unfinished.splice(unfinished.findIndex((r) => r.type === 'node') + 2);
  for (const record of unfinished) store.append(record);

  const cache = defineTreeCache(store);
  const taskId = done.tasks[0].taskId;
  const first = await cache.get('rdone', taskId);
  const working1 = await cache.get('rwork', firstTask.taskId);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(cache.builds, 2);

  // Another run writes: the finished tree is the same object, not rebuilt; the unfinished one is rebuilt.
  for (const record of held.slice(0, 3)) store.append(record);
  assert.equal(await cache.get('rdone', taskId), first);
  assert.equal(cache.builds, 2);
  const working2 = await cache.get('rwork', firstTask.taskId);
  assert.notEqual(working2, working1);
  assert.equal(cache.builds, 3);
  assert.ok(working2.outline.nodes.length > working1.outline.nodes.length);

  // `stepwise credit` on the finished run: its tree is rebuilt and carries the values.
  const rootId = first.rootId!;
  store.append({ type: 'annotation', runId: 'rdone', taskId, nodeId: rootId, kind: CREDIT_KIND, key: '', data: { mcValue: 0.5 }, createdAt: 1 });
  const credited = await cache.get('rdone', taskId);
  assert.notEqual(credited, first);
  assert.equal(credited.hasCredit, true);
  await new Promise((resolve) => setImmediate(resolve));
  // And it stays cached again afterwards.
  store.append(held[3] ?? held[0]);
  assert.equal(await cache.get('rdone', taskId), credited);
});
