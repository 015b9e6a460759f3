import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ridgeLeastSquares } from '../../src/credit/least-squares.ts';
import { progressAttribution } from '../../src/credit/progress.ts';
import { finishedTrajectories } from '../../src/credit/trajectories.ts';
import { node } from './tree-fixture.ts';

test('the ridge solver matches the closed form on a small dense system', () => {
  // X = [[1,0],[1,1],[0,2]], y = [1,2,2], λ = 0.5: (XᵀX + λI) w = Xᵀy → [[2.5,1],[1,5.5]] w = [3,6]
  const rows = [{ index: [0], value: [1] }, { index: [0, 1], value: [1, 1] }, { index: [1], value: [2] }];
  const fit = ridgeLeastSquares(rows, [1, 2, 2], 2, 0.5);
  const det = 2.5 * 5.5 - 1;
  assert.ok(Math.abs(fit.weights[0] - (3 * 5.5 - 6) / det) < 1e-9);
  assert.ok(Math.abs(fit.weights[1] - (2.5 * 6 - 3) / det) < 1e-9);
});

test('progress splits each trajectory\'s reward over its steps: the minimum-norm split, summing exactly', () => {
  // root ─ a ─ a1 (success), a2 (failure) ; root ─ b (failure)
  // Trajectories: a + a1 = 1, a + a2 = 0, b = 0. The minimum-norm solution of a² + (1 − a)² + a² is a = 1/3.
  const nodes = [
    node('root', null), node('a', 'root'), node('b', 'root', { terminal: true }),
    node('a1', 'a', { success: true }), node('a2', 'a', { terminal: true }), node('a3', 'a'),
  ];
  const trajectories = finishedTrajectories(nodes);
  assert.deepEqual(trajectories.map((t) => [t.nodes.map((n) => n.id).join('>'), t.outcome]), [['root>b', 0], ['root>a>a1', 1], ['root>a>a2', 0]]);
  const { contributions, fitResidual } = progressAttribution(trajectories);
  const near = (id: string, expected: number) => assert.ok(Math.abs(contributions.get(id)! - expected) < 1e-3, `${id}: ${contributions.get(id)} ≠ ${expected}`);
  near('a', 1 / 3);
  near('a1', 2 / 3);
  near('a2', -1 / 3);
  near('b', 0);
  assert.equal(contributions.has('a3'), false, 'an unfinished branch gets no contribution');
  assert.ok(fitResidual < 1e-2);
  for (const t of trajectories) {
    const sum = t.nodes.slice(1).reduce((s, n) => s + contributions.get(n.id)!, 0);
    assert.ok(Math.abs(sum - t.outcome) < 1e-12, 'exact after the correction');
  }
});

test('invalid steps share one penalty feature, so an invalid step scores below its valid twin', () => {
  // Two failed branches differ only in validity of their last step; a third succeeds.
  const nodes = [
    node('root', null), node('x', 'root'), node('y', 'root'), node('z', 'root'),
    node('x1', 'x', { invalid: true, terminal: true }), node('y1', 'y', { invalid: true, terminal: true }), node('z1', 'z', { success: true }),
  ];
  const { contributions } = progressAttribution(finishedTrajectories(nodes));
  assert.ok(contributions.get('z1')! > 0);
  assert.ok(contributions.get('x1')! < 0.5);
});
