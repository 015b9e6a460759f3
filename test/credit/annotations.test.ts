import assert from 'node:assert/strict';
import { test } from 'node:test';
import { creditFor, storeCredit } from '../../src/credit/annotations.ts';
import { computeCredit } from '../../src/credit/compute.ts';
import type { TaskRecord } from '../../src/store/records.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import type { StoredTree } from '../../src/store/store.ts';
import { withStore } from '../../src/testing/store-suite/with-store.ts';
import { node } from './tree-fixture.ts';

const task = { runId: 'r', taskId: 't' } as TaskRecord;
const treeOf = (nodes: StoredTree['nodes']): StoredTree => ({ task, result: null, nodes, candidates: [], stats: new Map(), modelCalls: [] });

test('stored credit is used while it covers the tree, and recomputed once the tree has grown (a resumed run)', async () => {
  await withStore(createMemoryStore, async (store) => {
    // Credit taken while the run was still going: the root had one failed child.
    const before = treeOf([node('0', null), node('1', '0', { terminal: true })]);
    storeCredit(store, 'r', 't', computeCredit(before));
    await store.flush();
    assert.equal((await creditFor(store, before)).nodes.get('0')?.mcValue, 0);
    // The search went on and found a success below the root.
    const after = treeOf([...before.nodes, node('2', '0', { success: true })]);
    const credit = await creditFor(store, after);
    assert.equal(credit.nodes.get('0')?.mcValue, 0.5);
    assert.equal(credit.nodes.get('2')?.mcValue, 1);
  });
});
