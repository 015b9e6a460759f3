import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { test } from 'node:test';
import type { NodeRecord } from '../../src/store/records.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { sampleRun } from './sample-run.ts';
import { tempStorePath } from './temp-store-path.ts';

const NODE_COUNT = 100_000;

function bigTreeNode(runId: string, i: number): NodeRecord {
  const parent = i === 0 ? null : Math.floor((i - 1) / 4);
  return {
    type: 'node', runId, taskId: 'task-0', id: `${runId}.${i}`, parentId: parent === null ? null : `${runId}.${parent}`,
    depth: Math.floor(Math.log(3 * i + 1) / Math.log(4)), action: i === 0 ? null : { op: '+', a: i % 13, b: i % 7 },
    actionText: i === 0 ? null : `${i % 13} + ${i % 7}`, candidateId: null, state: { numbers: [i % 13, i % 7, 24, i % 5] },
    stateKey: `${i % 13},${i % 7},24,${i % 5}`, observation: `${i % 13} + ${i % 7} = ${(i % 13) + (i % 7)}`, reward: 0,
    check: { valid: true }, terminal: false, success: false, duplicateOf: null, createdAt: 1_700_000_000_000 + i,
  };
}

// A sanity check, not a benchmark: it reports figures and asserts only correctness.
test(`writes a ${NODE_COUNT.toLocaleString('en')}-node tree and reads it back`, async (t) => {
  const path = tempStorePath();
  const [run, task] = sampleRun('big', { taskCount: 1, nodesPerTask: 0 }).records;
  const other = sampleRun('small-neighbour', { taskCount: 2, nodesPerTask: 50 });

  const writeStart = performance.now();
  const store = openSqliteStore(path);
  store.append(run);
  store.append(task);
  for (let i = 0; i < NODE_COUNT; i++) {
    store.append(bigTreeNode('big', i));
    if (i % 10 === 0) store.append({ type: 'node_stats', runId: 'big', nodeId: `big.${i}`, visits: 1, value: 0.5, selected: true, pruned: null });
  }
  for (const record of other.records) store.append(record);
  await store.close();
  const writeMs = performance.now() - writeStart;

  const readStart = performance.now();
  const reader = openSqliteStore(path, { readonly: true });
  const tree = await reader.getTree('big', 'task-0');
  const readMs = performance.now() - readStart;
  const smallStart = performance.now();
  const smallTree = await reader.getTree('small-neighbour', 'task-1');
  const runs = await reader.listRuns();
  const smallMs = performance.now() - smallStart;
  await reader.close();

  assert.equal(tree.nodes.length, NODE_COUNT);
  assert.equal(tree.stats.size, NODE_COUNT / 10);
  assert.deepEqual(tree.nodes[NODE_COUNT - 1], bigTreeNode('big', NODE_COUNT - 1));
  assert.equal(smallTree.nodes.length, 50);
  assert.equal(runs.length, 2);
  const megabytes = statSync(path).size / 1e6;
  t.diagnostic(`write ${NODE_COUNT} nodes + ${NODE_COUNT / 10} stats: ${writeMs.toFixed(0)} ms (${(NODE_COUNT / writeMs).toFixed(0)} nodes/ms), file ${megabytes.toFixed(1)} MB`);
  t.diagnostic(`open + read the ${NODE_COUNT}-node tree: ${readMs.toFixed(0)} ms; a 50-node neighbour tree + listRuns: ${smallMs.toFixed(1)} ms`);
});
