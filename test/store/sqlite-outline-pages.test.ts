import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CandidateRecord, NodeRecord } from '../../src/store/records.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { sampleRun } from '../../src/testing/store-suite/sample-run.ts';
import { tempStorePath } from './temp-store-path.ts';

// More than two pages of the outline read (10,000 rows each), so page boundaries are crossed.
const NODE_COUNT = 25_003;

function node(i: number): NodeRecord {
  const parent = i === 0 ? null : Math.floor((i - 1) / 3);
  return {
    type: 'node', runId: 'big', taskId: 'task-0', id: `big.${i}`, parentId: parent === null ? null : `big.${parent}`,
    depth: i === 0 ? 0 : 1, action: null, actionText: i === 0 ? null : `step ${i}`, candidateId: null, state: {}, stateKey: String(i),
    observation: '', reward: 0, check: { valid: true }, terminal: false, success: false, duplicateOf: null, createdAt: i,
  };
}

function unexecuted(i: number): CandidateRecord {
  return {
    type: 'candidate', runId: 'big', taskId: 'task-0', id: `big.${i}/0`, nodeId: `big.${i}`, index: 0, action: null, text: `idea ${i}`,
    proposer: 'llm', prior: null, invalidReason: null, scores: [], value: null,
  };
}

test('a big tree’s outline is read in pages: every node in append order, unexecuted candidates across pages, and the event loop gets turns', async () => {
  const path = tempStorePath();
  const writer = openSqliteStore(path);
  for (const record of sampleRun('big', { taskCount: 2, nodesPerTask: 0 }).records) writer.append(record);
  const candidateAt = [5, 9_999, 10_000, 10_001, 24_999];
  for (let i = 0; i < NODE_COUNT; i++) {
    writer.append(node(i));
    if (candidateAt.includes(i)) writer.append(unexecuted(i));
    // A neighbour task's nodes interleaved in seq must not leak into the pages.
    if (i % 1000 === 999) writer.append({ ...node(0), taskId: 'task-1', id: `big.other${i}` });
  }
  await writer.close();

  const store = openSqliteStore(path, { readonly: true });
  try {
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const outline = await store.getTreeOutline('big', 'task-0');
    clearInterval(ticker);
    assert.ok(turns > 0, 'timers ran while the outline was read');
    assert.equal(outline.nodes.length, NODE_COUNT);
    assert.equal(outline.totalNodes, NODE_COUNT);
    assert.ok(outline.nodes.every((n, i) => n.id === `big.${i}`), 'append order, no gaps, no repeats');
    assert.deepEqual(outline.unexecuted.map((c) => c.nodeId), candidateAt.map((i) => `big.${i}`));

    const head = await store.getTreeOutline('big', 'task-0', { limit: 15_000 });
    assert.equal(head.nodes.length, 15_000);
    assert.equal(head.nodes.at(-1)?.id, 'big.14999');
    assert.equal(head.totalNodes, NODE_COUNT);
  } finally {
    await store.close();
  }
});
