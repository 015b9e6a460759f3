import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KeyNodeHit } from '../../src/eval/match.ts';
import { keyNodeMetrics, scoreTask } from '../../src/eval/metrics.ts';

const hits = (...scores: number[]): KeyNodeHit[] =>
  scores.map((score, i) => ({ id: `k${i + 1}`, label: `node ${i + 1}`, score, met: score >= 1, step: score > 0 ? i + 1 : null, nodeId: null }));

describe('one task (WebCanvas task_score "sum/total")', () => {
  test('success, near success and efficiency', () => {
    assert.deepEqual(scoreTask(hits(1, 1, 1), 6), { total: 3, scoreSum: 3, met: 3, success: true, nearSuccess: false, steps: 6, efficiency: 2 });
    assert.deepEqual(scoreTask(hits(1, 1, 0), 4), { total: 3, scoreSum: 2, met: 2, success: false, nearSuccess: true, steps: 4, efficiency: 2 });
    assert.deepEqual(scoreTask(hits(1, 0, 0), 3), { total: 3, scoreSum: 1, met: 1, success: false, nearSuccess: false, steps: 3, efficiency: 3 });
    assert.deepEqual(scoreTask(hits(0, 0), 5), { total: 2, scoreSum: 0, met: 0, success: false, nearSuccess: false, steps: 5, efficiency: null });
  });
  test('two half-met semantic nodes are one node short: near success by score', () => {
    const score = scoreTask(hits(1, 0.5, 0.5), 2);
    assert.equal(score.met, 1);
    assert.equal(score.nearSuccess, true);
    assert.equal(score.success, false);
  });
  test('a task without key nodes is never a success', () => {
    assert.equal(scoreTask([], 3).success, false);
  });
});

describe('metrics over tasks', () => {
  test('micro completion, macro step score, success, near success, efficiency and cost per key node', () => {
    // Task A: 2/2 in 4 steps; task B: 1/4 in 8 steps; task C: 0.5 + 1 + 1 = 2.5/3 in 5 steps; task D: no key nodes.
    const scores = [scoreTask(hits(1, 1), 4), scoreTask(hits(1, 0, 0, 0), 8), scoreTask(hits(0.5, 1, 1), 5), scoreTask([], 2)];
    const m = keyNodeMetrics(scores, { tokens: 1100, expansions: 55 });
    assert.equal(m.tasks, 4);
    assert.equal(m.scoredTasks, 3);
    assert.equal(m.successRate, 1 / 3);
    assert.equal(m.nearSuccessRate, 0, 'C misses 0.5, not a whole node');
    // Micro: (2 + 1 + 2.5) / (2 + 4 + 3) = 5.5 / 9.
    assert.equal(m.completionRate, 5.5 / 9);
    // Macro: (1 + 0.25 + 2.5/3) / 3.
    assert.ok(Math.abs(m.stepScore - (1 + 0.25 + 2.5 / 3) / 3) < 1e-12);
    // Efficiency: mean of 4/2, 8/1, 5/2.5.
    assert.equal(m.efficiency, (2 + 8 + 2) / 3);
    assert.equal(m.tokensPerKeyNode, 1100 / 5.5);
    assert.equal(m.expansionsPerKeyNode, 10);
  });
  test('nothing met: cost per key node is undefined rather than infinite', () => {
    const m = keyNodeMetrics([scoreTask(hits(0), 3)], { tokens: 50, expansions: 5 });
    assert.equal(m.tokensPerKeyNode, null);
    assert.equal(m.efficiency, null);
    assert.equal(m.completionRate, 0);
  });
});
