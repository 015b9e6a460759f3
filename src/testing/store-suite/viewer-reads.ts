import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StoreError } from '../../core/errors.ts';
import type { CandidateRecord } from '../../store/records.ts';
import { OUTLINE_TEXT_CHARS } from '../../store/store.ts';
import type { NodeOutline, Store } from '../../store/store.ts';
import type { OpenStore } from './with-store.ts';
import { expectedStats, sampleRun } from './sample-run.ts';
import { appendAll, withStore } from './with-store.ts';

/** A candidate nothing executes: what the viewer draws muted under its node. */
function invalidCandidate(nodeId: string, text: string): CandidateRecord {
  return {
    type: 'candidate', runId: 'run-a', taskId: 'task-0', id: `${nodeId}/9`, nodeId, index: 9, action: null, text,
    proposer: 'llm', prior: null, invalidReason: 'unparsable: no numbers', scores: [], value: null,
  };
}

/** The reads behind the web viewer: tree outlines, one node in full, and the change mark it polls. */
export function describeViewerReadBehaviour(open: OpenStore): void {
  test('a tree outline has every node in append order with its candidate value, check, stats, and the unexecuted candidates', () => withStore(open, async (store) => {
    const sample = sampleRun('run-a', { nodesPerTask: 7 });
    appendAll(store, sample);
    const longText = `${'é'.repeat(OUTLINE_TEXT_CHARS)}tail`;
    store.append(invalidCandidate('run-a.1', longText));
    const outline = await store.getTreeOutline('run-a', 'task-0');

    const stats = expectedStats(sample, 'task-0');
    const values = new Map(sample.candidates.map((candidate) => [candidate.id, candidate.value]));
    const expected = sample.nodes.filter((node) => node.taskId === 'task-0').map((node): NodeOutline => ({
      id: node.id, parentId: node.parentId, depth: node.depth, actionText: node.actionText,
      value: node.candidateId === null ? null : values.get(node.candidateId) ?? null, reward: node.reward, valid: node.check.valid,
      terminal: node.terminal, success: node.success, duplicateOf: node.duplicateOf, visits: stats.get(node.id)?.visits ?? null,
      searchValue: stats.get(node.id)?.value ?? null, selected: stats.get(node.id)?.selected ?? false, pruned: stats.get(node.id)?.pruned ?? null,
    }));
    assert.deepEqual(outline.nodes, expected);
    assert.equal(outline.totalNodes, expected.length);
    assert.equal(outline.task.taskId, 'task-0');
    assert.equal(outline.result?.outcome, 'solved');
    assert.deepEqual(outline.unexecuted, [{
      id: 'run-a.1/9', nodeId: 'run-a.1', index: 9, text: 'é'.repeat(OUTLINE_TEXT_CHARS), invalidReason: 'unparsable: no numbers', value: null,
    }]);
    assert.ok(outline.nodes.some((node) => !node.valid) && outline.nodes.some((node) => node.pruned !== null), 'the sample covers both');
  }));

  test('a limited tree outline is the first nodes in append order, with the whole tree\'s node count and no candidates', () => withStore(open, async (store) => {
    const sample = sampleRun('run-a', { nodesPerTask: 7 });
    appendAll(store, sample);
    store.append(invalidCandidate('run-a.1', 'unexecuted'));
    const full = await store.getTreeOutline('run-a', 'task-0');
    const head = await store.getTreeOutline('run-a', 'task-0', { limit: 3 });
    assert.deepEqual(head.nodes, full.nodes.slice(0, 3));
    assert.equal(head.totalNodes, 7);
    assert.deepEqual(head.unexecuted, []);
    assert.equal(full.unexecuted.length, 1);
    assert.deepEqual((await store.getTreeOutline('run-a', 'task-0', { limit: 100 })).nodes, full.nodes);
  }));

  test('a tree outline of an unknown task is a StoreError naming the known tasks', () => withStore(open, async (store) => {
    appendAll(store, sampleRun('run-a'));
    await assert.rejects(store.getTreeOutline('run-a', 'task-9'), (error: unknown) => error instanceof StoreError && /task-0/.test(error.message));
  }));

  test('a node reads back with its latest stats, its own candidates and the model calls its expansion made', () => withStore(open, async (store) => {
    const sample = sampleRun('run-a', { nodesPerTask: 6 });
    appendAll(store, sample);
    appendAll(store, sampleRun('run-b', { nodesPerTask: 6 }));
    const root = await store.getNode('run-a', 'run-a.0');
    assert.ok(root);
    assert.deepEqual(root.node, sample.nodes[0]);
    assert.deepEqual(root.stats, expectedStats(sample, 'task-0').get('run-a.0'));
    assert.deepEqual(root.candidates, sample.candidates.filter((candidate) => candidate.nodeId === 'run-a.0'));
    assert.deepEqual(root.modelCalls, sample.modelCalls.filter((call) => call.nodeId === 'run-a.0'));
    assert.equal(root.candidates.length, 2);

    const leaf = await store.getNode('run-a', 'run-a.5');
    assert.deepEqual(leaf?.candidates, []);
    assert.deepEqual(leaf?.modelCalls, []);
    assert.equal(await store.getNode('run-a', 'run-a.99'), null);
    assert.equal(await store.getNode('run-b', 'run-a.0'), null, 'a node of another run');
  }));

  test('model call totals add up calls, cache hits, errors, tokens and latency per task, in task order', () => withStore(open, async (store) => {
    const sample = sampleRun('run-a', { nodesPerTask: 6 });
    appendAll(store, sample);
    appendAll(store, sampleRun('run-b'));
    const expected = ['task-0', 'task-1'].map((taskId) => {
      const calls = sample.modelCalls.filter((call) => call.taskId === taskId);
      return {
        taskId,
        calls: calls.length,
        cacheHits: calls.filter((call) => call.cacheHit).length,
        errors: calls.filter((call) => call.error !== null).length,
        inputTokens: calls.reduce((sum, call) => sum + (call.usage?.inputTokens ?? 0), 0),
        outputTokens: calls.reduce((sum, call) => sum + (call.usage?.outputTokens ?? 0), 0),
        latencyMs: calls.reduce((sum, call) => sum + call.latencyMs, 0),
      };
    });
    assert.deepEqual(await store.getModelCallTotals('run-a'), expected);
    assert.ok(expected[0].cacheHits > 0 && expected[0].errors > 0, 'the sample covers both');
    assert.deepEqual(await store.getModelCallTotals('no-such-run'), []);
  }));

  test('the change mark stays put without writes and moves with every written batch', () => withStore(open, async (store) => {
    const before = await store.changeMark();
    assert.equal(await store.changeMark(), before);
    appendAll(store, sampleRun('run-a'));
    await store.flush();
    const after = await store.changeMark();
    assert.notEqual(after, before);
    assert.equal(await store.changeMark(), after);
  }));
}
