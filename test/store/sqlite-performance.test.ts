import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { test } from 'node:test';
import type { NodeRecord } from '../../src/store/records.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { sampleModelCall, sampleRun } from '../../src/testing/store-suite/sample-run.ts';
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

const CALL_COUNT = 20_000;

// A sanity check of the request cache on a store that has seen many runs; reports figures, asserts correctness.
test(`looks requests up among ${CALL_COUNT.toLocaleString('en')} recorded calls, written or still batched`, async (t) => {
  const path = tempStorePath();
  const prompt = 'Numbers left: 4 9 10 13. Propose one arithmetic step. '.repeat(12);
  const call = (run: number, i: number, hash: number) => sampleModelCall(`run-${run}`, 'task-0', `run-${run}.${i}#0`, `sha-${hash}`, {
    request: { messages: [{ role: 'user', content: `${prompt}${hash}` }], parameters: { temperature: 0.7 }, sample: 0 },
    ...(run % 2 === 1 ? { cacheHit: true, cachedFrom: `run-0.${i}#0`, attempts: 0 } : {}),
  });
  const store = openSqliteStore(path);
  const writeStart = performance.now();
  // Four runs over the same 5,000 requests: runs 1 and 3 are served from the cache, run 2 sends them again.
  for (let run = 0; run < 4; run++) for (let i = 0; i < CALL_COUNT / 4; i++) store.append(call(run, i, i));
  await store.flush();
  const writeMs = performance.now() - writeStart;

  const hitStart = performance.now();
  for (let i = 0; i < CALL_COUNT / 4; i++) assert.equal((await store.findModelCall(`sha-${i}`))?.id, `run-0.${i}#0`);
  const hitUs = ((performance.now() - hitStart) * 1000) / (CALL_COUNT / 4);
  const missStart = performance.now();
  for (let i = 0; i < CALL_COUNT / 4; i++) assert.equal(await store.findModelCall(`sha-new-${i}`), null);
  const missUs = ((performance.now() - missStart) * 1000) / (CALL_COUNT / 4);

  // A recording run: each step looks up a request, then appends the call it made; the batch is never full here.
  const recordingStart = performance.now();
  for (let i = 0; i < 400; i++) {
    assert.equal(await store.findModelCall(`sha-${CALL_COUNT + i}`), null);
    store.append(call(4, i, CALL_COUNT + i));
    assert.equal((await store.findModelCall(`sha-${CALL_COUNT + i}`))?.id, `run-4.${i}#0`);
  }
  const recordingUs = ((performance.now() - recordingStart) * 1000) / 400;
  await store.close();
  t.diagnostic(`write ${CALL_COUNT} model calls (~700-byte requests): ${writeMs.toFixed(0)} ms`);
  t.diagnostic(`findModelCall: ${hitUs.toFixed(1)} µs per hit, ${missUs.toFixed(1)} µs per miss (written); ${recordingUs.toFixed(1)} µs per lookup-append-lookup step while recording`);
});
