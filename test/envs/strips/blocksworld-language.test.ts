import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  blockLabel,
  blocksworldActionText,
  blocksworldStateText,
  parseBlocksworldActionText,
  stripsEnvironment,
} from '../../../src/envs/strips/index.ts';
import type { StripsProblem } from '../../../src/envs/strips/index.ts';
import { loadPddlTasks } from '../../../src/envs/strips/index.ts';
import { NEEDS_SHARED_DATA } from '../../shared-data.ts';

const DIR = '../shared/data/planbench/blocksworld';
const [instance1] = NEEDS_SHARED_DATA ? [] : loadPddlTasks(`${DIR}/domain.pddl`, [`${DIR}/instances/instance-1.pddl`]);

test('PlanBench colour names for a..l, and the object name beyond', () => {
  assert.deepEqual('abcdefghijkl'.split('').map(blockLabel), [
    'red block', 'blue block', 'orange block', 'yellow block', 'white block', 'magenta block',
    'black block', 'cyan block', 'green block', 'violet block', 'silver block', 'gold block',
  ]);
  assert.equal(blockLabel('m'), 'block m');
});

test('a Blocksworld state renders as PlanBench words in predicate order, with the facts above', { skip: NEEDS_SHARED_DATA }, () => {
  const problem = stripsEnvironment.load(instance1) as StripsProblem;
  const rendered = problem.render(problem.initialState);
  assert.equal(rendered.split('\n')[0], 'State: (clear a) (clear b) (clear d) (handempty) (on b c) (ontable a) (ontable c) (ontable d)');
  assert.equal(
    rendered.split('\n')[1],
    'In words: the red block is clear, the blue block is clear, the yellow block is clear, the hand is empty, ' +
      'the blue block is on top of the orange block, the red block is on the table, the orange block is on the table and the yellow block is on the table',
  );
  assert.equal(problem.goalText, 'the orange block is on top of the blue block');
  const holding = problem.step(problem.initialState, { name: 'unstack', args: ['b', 'c'] }).state;
  assert.match(blocksworldStateText(holding.facts), /the hand is currently holding blue block/);
});

test('the four actions in words, and the parser reads each back to the same action', () => {
  const actions = [
    { name: 'pick-up', args: ['a'] },
    { name: 'put-down', args: ['e'] },
    { name: 'stack', args: ['a', 'b'] },
    { name: 'unstack', args: ['l', 'm'] },
  ];
  assert.deepEqual(actions.map(blocksworldActionText), [
    'pick up the red block',
    'put down the white block',
    'stack the red block on top of the blue block',
    'unstack the gold block from on top of the block m',
  ]);
  const objects = 'abcdefghijklm'.split('');
  for (const action of actions) assert.deepEqual(parseBlocksworldActionText(blocksworldActionText(action), objects), action);
  assert.deepEqual(parseBlocksworldActionText('  Stack the RED block on the blue block. '), { name: 'stack', args: ['a', 'b'] });
  assert.deepEqual(parseBlocksworldActionText('stack the block b7 on top of the red block'), { name: 'stack', args: ['b7', 'a'] });
  assert.throws(() => parseBlocksworldActionText('juggle the red block'), /Cannot read "juggle the red block" as a Blocksworld action/);
});

test('describeAction uses words for Blocksworld problems', { skip: NEEDS_SHARED_DATA }, () => {
  const problem = stripsEnvironment.load(instance1) as StripsProblem;
  assert.equal(problem.describeAction({ name: 'unstack', args: ['b', 'c'] }), 'unstack the blue block from on top of the orange block');
});
