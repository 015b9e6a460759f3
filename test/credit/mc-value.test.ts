import assert from 'node:assert/strict';
import { test } from 'node:test';
import { advantages, monteCarloValues } from '../../src/credit/mc-value.ts';
import type { NodeRecord } from '../../src/store/records.ts';

function node(id: string, parentId: string | null, flags: { terminal?: boolean; success?: boolean; duplicateOf?: string } = {}): NodeRecord {
  return {
    type: 'node', runId: 'r', taskId: 't', id, parentId, depth: 0, action: null, actionText: null, candidateId: null, state: null,
    stateKey: id, observation: '', reward: 0, check: { valid: true }, terminal: flags.terminal ?? flags.success ?? false,
    success: flags.success ?? false, duplicateOf: flags.duplicateOf ?? null, createdAt: 0,
  };
}

test('a node is worth the mean outcome of the finished leaves below it; unfinished leaves do not count', () => {
  // root ─ a ─ a1 (success), a2 (failure), a3 (unfinished)
  //      └ b ─ b1 (failure)
  //      └ c (unfinished)
  const nodes = [
    node('root', null), node('a', 'root'), node('b', 'root'), node('c', 'root'),
    node('a1', 'a', { success: true }), node('a2', 'a', { terminal: true }), node('a3', 'a'), node('b1', 'b', { terminal: true }),
  ];
  const values = monteCarloValues({ nodes });
  assert.deepEqual(values.get('a'), { value: 0.5, leaves: 2, successes: 1 });
  assert.deepEqual(values.get('root'), { value: 1 / 3, leaves: 3, successes: 1 });
  assert.deepEqual(values.get('c'), { value: null, leaves: 0, successes: 0 });
  const adv = advantages({ nodes }, values);
  assert.equal(adv.get('a'), 0.5 - 1 / 3);
  assert.equal(adv.get('b'), 0 - 1 / 3);
  assert.equal(adv.get('c'), null);
  assert.equal(adv.has('root'), false);
});

test('a transposition stands for the subtree of the node it duplicates', () => {
  // root ─ x ─ x1 (success)
  //      └ y ─ d (duplicate of x) ─ (x's future)
  //      └ z ─ z1 (failure)
  const nodes = [
    node('root', null), node('x', 'root'), node('y', 'root'), node('z', 'root'), node('d', 'y', { duplicateOf: 'x' }),
    node('x1', 'x', { success: true }), node('z1', 'z', { terminal: true }),
  ];
  const values = monteCarloValues({ nodes });
  assert.equal(values.get('d')?.value, 1);
  assert.equal(values.get('y')?.value, 1);
  assert.deepEqual(values.get('root'), { value: 2 / 3, leaves: 3, successes: 2 }, 'x1 counted under x and again through d');
});

test('nodes on a loop of transpositions share one future, whatever order they are valued in', () => {
  // root ─ x ─ x1 (success), loop (duplicate of root) ; root ─ y ─ d (duplicate of x) ; root ─ z ─ z1 (failure)
  // root, x, loop, y and d all reach one another, so each reaches x1 and z1.
  const nodes = [
    node('root', null), node('x', 'root'), node('y', 'root'), node('z', 'root'), node('d', 'y', { duplicateOf: 'x' }),
    node('x1', 'x', { success: true }), node('loop', 'x', { duplicateOf: 'root' }), node('z1', 'z', { terminal: true }),
  ];
  for (const order of [nodes, [...nodes].reverse()]) {
    const values = monteCarloValues({ nodes: order });
    for (const id of ['root', 'x', 'y', 'd', 'loop']) assert.deepEqual(values.get(id), { value: 0.5, leaves: 2, successes: 1 }, id);
    assert.deepEqual(values.get('z'), { value: 0, leaves: 1, successes: 0 });
  }
});

test('a loop through an ancestor does not leave the nodes above the solution without a value', () => {
  // root ─ a ─ back (duplicate of root) ; root ─ b (success). a can return to root's state, so it reaches b.
  const nodes = [node('root', null), node('a', 'root'), node('b', 'root', { success: true }), node('back', 'a', { duplicateOf: 'root' })];
  const values = monteCarloValues({ nodes });
  assert.equal(values.get('a')?.value, 1);
  assert.equal(values.get('root')?.value, 1);
});

test('with unfinished leaves counted as failures, every branch has a value', () => {
  const nodes = [node('root', null), node('a', 'root'), node('b', 'root'), node('a1', 'a', { success: true }), node('a2', 'a')];
  const values = monteCarloValues({ nodes }, { unfinished: 'failure' });
  assert.deepEqual(values.get('a'), { value: 0.5, leaves: 2, successes: 1 });
  assert.deepEqual(values.get('b'), { value: 0, leaves: 1, successes: 0 });
  assert.equal(values.get('root')?.value, 1 / 3);
  assert.equal(monteCarloValues({ nodes }).get('b')?.value, null);
});
