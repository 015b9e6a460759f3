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

test('a transposition stands for the subtree of the node it duplicates, and state loops add nothing', () => {
  // root ─ x ─ x1 (success)
  //      └ y ─ d (duplicate of x) ; x ─ loop (duplicate of root)
  const nodes = [
    node('root', null), node('x', 'root'), node('y', 'root'), node('d', 'y', { duplicateOf: 'x' }),
    node('x1', 'x', { success: true }), node('loop', 'x', { duplicateOf: 'root' }),
  ];
  const values = monteCarloValues({ nodes });
  assert.equal(values.get('d')?.value, 1);
  assert.equal(values.get('y')?.value, 1);
  assert.equal(values.get('x')?.value, 1);
  assert.equal(values.get('root')?.leaves, 2, 'x1 counted under x and again through d');
});

test('with unfinished leaves counted as failures, every branch has a value', () => {
  const nodes = [node('root', null), node('a', 'root'), node('b', 'root'), node('a1', 'a', { success: true }), node('a2', 'a')];
  const values = monteCarloValues({ nodes }, { unfinished: 'failure' });
  assert.deepEqual(values.get('a'), { value: 0.5, leaves: 2, successes: 1 });
  assert.deepEqual(values.get('b'), { value: 0, leaves: 1, successes: 0 });
  assert.equal(values.get('root')?.value, 1 / 3);
  assert.equal(monteCarloValues({ nodes }).get('b')?.value, null);
});
