import assert from 'node:assert/strict';
import { firstDivergence } from '../../src/replay/compare-trees.ts';
import type { Store } from '../../src/store/store.ts';

/** Asserts that every task of `runId` in `store` has the tree its twin in `reference` has (position by position), and no more tasks. */
export async function assertSameTrees(store: Store, runId: string, reference: Store, referenceRunId: string): Promise<number> {
  const tasks = await store.getTasks(runId);
  const expected = await reference.getTasks(referenceRunId);
  assert.deepEqual(tasks.map((t) => [t.taskId, t.index]), expected.map((t) => [t.taskId, t.index]), 'the same tasks at the same indexes');
  let nodes = 0;
  for (const task of expected) {
    const recorded = await reference.getTree(referenceRunId, task.taskId);
    const queued = await store.getTree(runId, task.taskId);
    assert.equal(firstDivergence(recorded, queued), null, `task ${task.taskId} searched on the queue equals the one-process search`);
    assert.equal(queued.nodes.length, recorded.nodes.length);
    assert.equal(new Set(queued.nodes.map((n) => n.id)).size, queued.nodes.length, 'no node recorded twice');
    nodes += queued.nodes.length;
  }
  return nodes;
}
