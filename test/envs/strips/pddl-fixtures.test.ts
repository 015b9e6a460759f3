import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createRng } from '../../../src/core/rng.ts';
import { loadPddlTasks, parsePlanText, stripsEnvironment } from '../../../src/envs/strips/index.ts';
import type { StripsProblem, StripsState } from '../../../src/envs/strips/index.ts';
import { bruteForceLegal, formatted, runPlan } from './run-plan.ts';

const FIXTURES = 'test/fixtures/pddl';
const fixtures = ['mystery', 'logistics', 'pusher'] as const;

function loadFixture(name: string): { problem: StripsProblem; plan: string[] } {
  const [task] = loadPddlTasks(`${FIXTURES}/${name}-domain.pddl`, [`${FIXTURES}/${name}-problem.pddl`]);
  return { problem: stripsEnvironment.load(task) as StripsProblem, plan: parsePlanText(readFileSync(`${FIXTURES}/${name}-plan.txt`, 'utf8')) };
}

test('a hand-written plan solves each fixture, and only at its last step', () => {
  for (const name of fixtures) {
    const { problem, plan } = loadFixture(name);
    const { states, last, failedAt } = runPlan(problem, plan);
    assert.equal(failedAt, undefined, `${name}: ${last?.check.reason}`);
    assert.equal(last?.success, true, `${name} reaches its goal`);
    assert.ok(states.slice(0, -1).every((s) => !problem.isGoal(s)), `${name} is not solved early`);
  }
});

/** States along the plan plus random walks, to compare legalActions with the brute-force oracle. */
function sampleStates(problem: StripsProblem, plan: string[]): StripsState[] {
  const states = runPlan(problem, plan).states;
  const rng = createRng(7);
  for (let walk = 0; walk < 3; walk++) {
    let state = problem.initialState;
    for (let i = 0; i < 8; i++) {
      const legal = problem.legalActions(state);
      if (legal.length === 0) break;
      state = problem.step(state, legal[rng.int(legal.length)]).state;
      states.push(state);
    }
  }
  return states;
}

test('legalActions equals a brute-force enumeration over all typed object tuples, in sorted order', () => {
  for (const name of fixtures) {
    const { problem, plan } = loadFixture(name);
    for (const state of sampleStates(problem, plan)) {
      const legal = formatted(problem.legalActions(state));
      assert.deepEqual(legal, bruteForceLegal(problem, state), `${name} at ${state.facts.join(' ')}`);
      for (const action of problem.legalActions(state)) assert.equal(problem.step(state, action).check.valid, true);
    }
  }
});

test('the mystery domain reads mixed-case names and comments as plain Blocksworld dynamics', () => {
  const { problem } = loadFixture('mystery');
  assert.deepEqual(problem.objects.names, ['k1', 'k2', 'k3']);
  assert.deepEqual([...problem.domain.actions.keys()], ['gather', 'release', 'weave', 'unravel']);
  assert.equal(problem.isBlocksworld, false, 'disguised names are not rendered as coloured blocks');
  assert.equal(problem.goalText, '(leans k2 k3), (leans k3 k1)');
  assert.deepEqual(formatted(problem.legalActions(problem.initialState)), ['(gather k3)', '(unravel k1 k2)']);
  const step = problem.step(problem.initialState, stripsEnvironment.parseAction('(RELEASE K1)'));
  assert.equal(step.check.reason, '(release k1) is not applicable: unmet preconditions (grasping k1)');
});

test('logistics: the type hierarchy decides which objects fill a parameter', () => {
  const { problem } = loadFixture('logistics');
  const { objects } = problem;
  assert.deepEqual(objects.objectsOfTypes(['place']), ['north-depot', 'north-port', 'south-depot', 'south-port']);
  assert.deepEqual(objects.objectsOfTypes(['vehicle']), ['jet', 'van-n', 'van-s']);
  assert.deepEqual(objects.objectsOfTypes(['physobj']), ['crate', 'jet', 'van-n', 'van-s']);
  assert.deepEqual(objects.objectsOfTypes(['object']), objects.names);
  // fly-airplane's destination is bound by no precondition, so it ranges over the airports only.
  const flights = formatted(problem.legalActions(problem.initialState)).filter((a) => a.startsWith('(fly-airplane'));
  assert.deepEqual(flights, ['(fly-airplane jet north-port north-port)', '(fly-airplane jet north-port south-port)']);
  const wrongType = problem.step(problem.initialState, { name: 'drive-truck', args: ['jet', 'north-port', 'north-depot', 'north'] });
  assert.equal(wrongType.check.valid, false);
  assert.match(wrongType.check.reason!, /'jet' .* has type airplane, but \?truck of drive-truck needs type truck/);
});

test('pusher: constants, negative preconditions and equality all constrain the step', () => {
  const { problem, plan } = loadFixture('pusher');
  assert.equal(problem.objects.typeOf('pusher'), 'agent');
  assert.ok(problem.objects.isOfType('pusher', ['thing']), 'agent is a thing through (:types crate agent - thing)');
  // Walking right from c21 would enter the wall at c22.
  const intoWall = problem.step(problem.initialState, { name: 'walk', args: ['c21', 'c22', 'right'] });
  assert.deepEqual(intoWall.check.detail, { unmet: ['(not (blocked c22))'] });
  const nowhere = problem.step(problem.initialState, { name: 'walk', args: ['c21', 'c21', 'up'] });
  assert.deepEqual(nowhere.check.detail, { unmet: ['(next c21 c21 up)', '(not (= c21 c21))'] });
  // After the push only the negative goal literal is unmet: the heuristic must still see a step left.
  const afterPush = runPlan(problem, plan.slice(0, 2)).states.at(-1)!;
  assert.equal(problem.isGoal(afterPush), false);
  assert.equal(problem.relaxedDistance(afterPush), 1);
  assert.equal(problem.goalText, '(at box c13), (not (at pusher c12))');
});
