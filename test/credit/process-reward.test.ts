import assert from 'node:assert/strict';
import { test } from 'node:test';
import { processRewards } from '../../src/credit/process-reward.ts';
import { stepQValues } from '../../src/credit/q-values.ts';
import { node, stats } from './tree-fixture.ts';

test('a valid step earns 1, an invalid one 0, and only the highest invalid step on a path is its first', () => {
  // root ─ a ─ b✗ ─ c✗ ─ d ; root ─ e✗
  const nodes = [
    node('root', null), node('a', 'root', { depth: 1 }), node('b', 'a', { invalid: true, depth: 2 }),
    node('c', 'b', { invalid: true, depth: 3 }), node('d', 'c', { terminal: true, depth: 4 }), node('e', 'root', { invalid: true, depth: 1 }),
  ];
  const rewards = processRewards(nodes);
  assert.equal(rewards.has('root'), false, 'the root is not a step');
  assert.deepEqual(Object.fromEntries([...rewards].map(([id, r]) => [id, [r.reward, r.firstInvalid]])), {
    a: [1, false], b: [0, true], c: [0, false], d: [1, false], e: [0, true],
  });
});

test('Q per edge is the visited child\'s mean backed-up value; unvisited edges have none', () => {
  const q = stepQValues(new Map([['a', stats('a', 4, 0.25)], ['b', stats('b', 0, 0.9)], ['c', stats('c', 2, null)]]));
  assert.deepEqual([...q], [['a', { visits: 4, value: 0.25 }]]);
});
