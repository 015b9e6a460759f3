import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { deriveKeyNodes } from '../../src/eval/derive.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

const DOMAIN = '../shared/data/planbench/blocksworld/domain.pddl';

function stripsTask(init: string, goal: string) {
  const problem = `(define (problem p) (:domain blocksworld-4ops) (:objects a b c)
    (:init (handempty) ${init}) (:goal (and ${goal})))`;
  return { id: 'p', env: 'strips', source: 'inline', spec: { domain: readFileSync(DOMAIN, 'utf8'), problem } };
}

describe('derived key nodes', () => {
  test('STRIPS: one node per goal fact false at the start; facts already true are not subgoals', { skip: NEEDS_SHARED_DATA }, () => {
    const task = stripsTask('(on a b) (ontable b) (ontable c) (clear a) (clear c)', '(on a b) (on c a)');
    assert.deepEqual(deriveKeyNodes(task), [{ type: 'facts', contains: ['(on c a)'], id: 'g1', label: '(on c a) becomes true' }]);
  });

  test('Game of 24: the solvable states at each depth, whichever solution reaches them, then 24', () => {
    // From 2 3 4: 2*3 → {4 6}, 2*4 → {3 8}, 3*4 → {2 12} can still make 24; every other first step cannot.
    const nodes = deriveKeyNodes({ id: 't', env: 'game24', source: 'inline', spec: { numbers: [2, 3, 4] } })!;
    assert.equal(nodes.length, 2);
    assert.equal(nodes[0].type, 'facts');
    const firstStep = nodes[0].type === 'facts' ? nodes[0].anyOf!.map((set) => set.join(' ')).sort() : [];
    assert.deepEqual(firstStep, ['2 12', '3 8', '4 6']);
    assert.deepEqual(nodes[1], { type: 'facts', anyOf: [['24']], id: 's2', label: 'reaches 24' });
  });

  test('Game of 24: an unsolvable puzzle has no key nodes; other environments derive none', () => {
    assert.deepEqual(deriveKeyNodes({ id: 't', env: 'game24', source: 'inline', spec: { numbers: [1, 1, 1, 1] } }), []);
    assert.equal(deriveKeyNodes({ id: 't', env: 'graph', source: 'inline', spec: {} }), null);
  });
});
