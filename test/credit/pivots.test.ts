import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeCredit } from '../../src/credit/compute.ts';
import { monteCarloValues } from '../../src/credit/mc-value.ts';
import { findPivots } from '../../src/credit/pivots.ts';
import { node, stats } from './tree-fixture.ts';

// root ─ a ─ a1 ✓, a2 ✗, a3 ✗      (a's actions: values 1, 0, 0: mean 1/3, variance 2/9: a pivot)
//      └ b ─ b1 ✗, b2 ✗            (b's actions all fail: variance 0, not a pivot)
//      └ c ─ c1 ✓, c2 ✓, c3 ✗      (mean 2/3 ≥ 0.5: not a pivot at the default threshold)
// root's actions are worth 1/3, 0, 2/3: mean 1/3, variance 2/27: a pivot too.
const nodes = [
  node('root', null), node('a', 'root', { depth: 1 }), node('b', 'root', { depth: 1 }), node('c', 'root', { depth: 1 }),
  node('a1', 'a', { success: true, depth: 2 }), node('a2', 'a', { terminal: true, depth: 2 }), node('a3', 'a', { terminal: true, invalid: true, depth: 2 }),
  node('b1', 'b', { terminal: true, depth: 2 }), node('b2', 'b', { terminal: true, depth: 2 }),
  node('c1', 'c', { success: true, depth: 2 }), node('c2', 'c', { success: true, depth: 2 }), node('c3', 'c', { terminal: true, depth: 2 }),
];

test('a pivot is a state whose actions disagree (variance > 0) and mostly fail (mean < threshold)', () => {
  const values = monteCarloValues({ nodes });
  const pivots = findPivots(nodes, values);
  assert.deepEqual([...pivots.keys()], ['root', 'a']);
  const a = pivots.get('a')!;
  assert.ok(Math.abs(a.mean - 1 / 3) < 1e-12);
  assert.ok(Math.abs(a.variance - 2 / 9) < 1e-12);
  assert.equal(a.actions, 3);
  // Root: action values 1/3, 0, 2/3: mean 1/3, variance 2/27.
  assert.deepEqual([...findPivots(nodes, values, 0.7).keys()].sort(), ['a', 'c', 'root']);
  assert.ok(Math.abs(findPivots(nodes, values, 0.7).get('root')!.variance - 2 / 27) < 1e-12);
});

test('computeCredit joins every value per node and counts them per task', () => {
  const { nodes: credit, summary } = computeCredit({ nodes, stats: new Map([['a', stats('a', 5, 0.2)], ['root', stats('root', 9, 0.4)]]) });
  assert.equal(credit.get('root')!.q, null, 'Q is per edge: the root has none');
  assert.deepEqual(credit.get('a'), {
    mcValue: 1 / 3, mcLeaves: 3, advantage: 1 / 3 - 3 / 8, processReward: 1, firstInvalid: false,
    q: { visits: 5, value: 0.2 }, progress: credit.get('a')!.progress, pivot: credit.get('a')!.pivot,
  });
  assert.ok(Math.abs(credit.get('a')!.pivot!.variance - 2 / 9) < 1e-12);
  assert.equal(credit.get('root')!.mcValue, 3 / 8);
  assert.equal(credit.get('a3')!.firstInvalid, true);
  assert.deepEqual(summary, {
    nodes: 12, valued: 12, trajectories: 8, successes: 3, invalidSteps: 1, trajectoriesWithInvalidStep: 1,
    firstInvalidDepths: { 2: 1 }, qEdges: 1, pivots: 2, progressFitResidual: summary.progressFitResidual,
  });
});
