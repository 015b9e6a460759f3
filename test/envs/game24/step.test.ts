import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Problem, Transition } from '../../../src/core/environment.ts';
import { TaskError } from '../../../src/core/errors.ts';
import { game24Environment } from '../../../src/envs/game24/env.ts';
import { applyOperator } from '../../../src/envs/game24/solver.ts';
import { parseRational, toString } from '../../../src/envs/game24/rational.ts';
import type { Game24Action, Game24State } from '../../../src/envs/game24/index.ts';

const problem = game24Environment.load({ id: 't', env: 'game24', source: 'test', spec: { numbers: [10, 4, 6, 5] } });

function run(state: Game24State, text: string): Transition<Game24State> {
  return problem.step(state, game24Environment.parseAction(text)) as Transition<Game24State>;
}

function playAll(p: Problem<Game24State, Game24Action>, lines: string[]): Transition<Game24State> {
  let state = p.initialState;
  let last: Transition<Game24State> | undefined;
  for (const line of lines) {
    last = p.step(state, game24Environment.parseAction(line)) as Transition<Game24State>;
    assert.equal(last.check.valid, true, `${line}: ${last.check.reason}`);
    state = last.state;
  }
  assert.ok(last);
  return last;
}

describe('loading a puzzle', () => {
  it('starts from the numbers in ascending order with a goal and a rendering', () => {
    assert.deepEqual(problem.initialState, { numbers: ['4', '5', '6', '10'] });
    assert.match(problem.goalText, /4 5 6 10/);
    assert.match(problem.goalText, /24/);
    assert.equal(problem.render({ numbers: ['4', '6', '12'] }), 'Numbers left: 4 6 12');
    assert.equal(problem.stateKey({ numbers: ['3/2', '5', '10'] }), '3/2 5 10');
  });

  it('rejects a malformed spec with a TaskError', () => {
    const bad = { id: 'bad', env: 'game24', source: 'test', spec: { numbers: ['4', 5] } as unknown as { numbers: number[] } };
    assert.throws(() => game24Environment.load(bad), (error: unknown) => error instanceof TaskError && /task bad/.test(error.message));
  });
});

describe('step', () => {
  it('applies a valid step and keeps numbers sorted as canonical rationals', () => {
    const t = run(problem.initialState, '6 / 4 = 1.5 (left: 1.5 5 10)');
    assert.equal(t.check.valid, true);
    assert.deepEqual(t.state, { numbers: ['3/2', '5', '10'] });
    assert.equal(t.done, false);
    assert.equal(t.reward, 0);
  });

  it('accepts a left list in any order, as GPT-4 writes it', () => {
    assert.equal(run(problem.initialState, '4 - 5 = -1 (left: -1 6 10)').check.valid, true);
    assert.equal(run(problem.initialState, '5 - 6 = -1 (left: 4 -1 10)').check.valid, true);
  });

  it('reaches 24 with success, reward 1 and done', () => {
    const last = playAll(problem, ['4 * 5 = 20 (left: 6 10 20)', '10 - 6 = 4 (left: 4 20)', '4 + 20 = 24 (left: 24)']);
    assert.deepEqual(last.state, { numbers: ['24'] });
    assert.equal(last.done, true);
    assert.equal(last.success, true);
    assert.equal(last.reward, 1);
  });

  it('ends without success when the last number is not 24', () => {
    const last = playAll(problem, ['4 + 5', '6 + 9', '10 + 15']);
    assert.deepEqual(last.state, { numbers: ['25'] });
    assert.equal(last.done, true);
    assert.equal(last.success, false);
    assert.equal(last.reward, 0);
    assert.match(last.observation, /25, not 24/);
  });

  it('solves 3 3 8 8 exactly through fractions', () => {
    const p = game24Environment.load({ id: 'f', env: 'game24', source: 'test', spec: { numbers: [3, 3, 8, 8] } });
    const last = playAll(p, ['8 / 3 = 8/3', '3 - 8/3 = 1/3 (left: 1/3 8)', '8 / 1/3 = 24 (left: 24)']);
    assert.equal(last.success, true);
  });

  const invalidCases: [string, string, RegExp][] = [
    ['an operand that is not left', '7 + 4 = 11', /^7 is not among the numbers left \(4 5 6 10\)$/],
    ['two operands that are not left', '7 + 8', /^7 and 8 are not among the numbers left/],
    ['one number used twice', '4 + 4 = 8', /uses 4 twice but only one 4 is left/],
    ['a wrong claimed result', '10 * 4 = 24', /^10 \* 4 = 40, not 24$/],
    ['a rounded claimed result', '10 / 6 = 1.666', /10 \/ 6 = 5\/3, not 1\.666 \(1\.666 is 5\/3 rounded; steps must be exact\)/],
    ['a wrong left list', '10 - 4 = 6 (left: 5 6)', /the numbers left are 5 6 6, not 5 6 \(missing 6\)/],
    ['a left list with a wrong number', '10 - 4 = 6 (left: 5 6 7)', /missing 6; unexpected 7/],
  ];
  for (const [what, text, reason] of invalidCases) {
    it(`rejects ${what} and keeps the state`, () => {
      const t = run(problem.initialState, text);
      assert.equal(t.check.valid, false);
      assert.match(t.check.reason ?? '', reason);
      assert.deepEqual(t.state, problem.initialState);
      assert.equal(t.reward, 0);
      assert.match(t.observation, /^Invalid step/);
    });
  }

  it('rejects division by zero', () => {
    const t = problem.step({ numbers: ['0', '4', '24'] }, { a: '4', op: '/', b: '0' }) as Transition<Game24State>;
    assert.equal(t.check.valid, false);
    assert.equal(t.check.reason, '4 / 0 divides by zero');
  });

  it('names both faults of a step like GPT-4’s 10 * 1 = 24', () => {
    const t = problem.step({ numbers: ['10', '10'] }, game24Environment.parseAction('10 * 1 = 24 (left: 24)')) as Transition<Game24State>;
    assert.equal(t.check.reason, '1 is not among the numbers left (10 10); and 10 * 1 = 10, not 24');
  });

  it('points out a rounded operand', () => {
    const t = problem.step({ numbers: ['2/3', '15'] }, game24Environment.parseAction('15 / 0.666')) as Transition<Game24State>;
    assert.match(t.check.reason ?? '', /0\.666 is 2\/3 rounded; use the exact value 2\/3/);
  });
});

describe('legalActions', () => {
  /** Every ordered pair and operator, applied directly: the reference the enumeration must match. */
  function bruteForceOutcomes(numbers: string[]): Set<string> {
    const outcomes = new Set<string>();
    for (let i = 0; i < numbers.length; i++) {
      for (let j = 0; j < numbers.length; j++) {
        if (i === j) continue;
        for (const op of ['+', '-', '*', '/'] as const) {
          const b = parseRational(numbers[j]);
          if (op === '/' && b.num === 0n) continue;
          const result = applyOperator(parseRational(numbers[i]), op, b);
          const rest = numbers.filter((_, k) => k !== i && k !== j).map(parseRational);
          const left = [...rest, result].sort((x, y) => (x.num * y.den < y.num * x.den ? -1 : 1)).map(toString);
          outcomes.add(`${numbers[i]} ${op} ${numbers[j]} → ${left.join(' ')}`);
        }
      }
    }
    return outcomes;
  }

  for (const numbers of [['4', '5', '6', '10'], ['5', '6', '6'], ['0', '3/2', '7'], ['-1', '2'], ['2', '2', '2', '2']]) {
    it(`matches brute force on ${numbers.join(' ')}`, () => {
      const actions = problem.legalActions!({ numbers }) as Game24Action[];
      const texts = actions.map((a) => game24Environment.formatAction(a));
      assert.equal(new Set(texts).size, texts.length, 'no duplicates');
      const outcomes = new Set<string>();
      for (const action of actions) {
        const t = problem.step({ numbers }, action) as Transition<Game24State>;
        assert.equal(t.check.valid, true, `${game24Environment.formatAction(action)}: ${t.check.reason}`);
        outcomes.add(`${action.a} ${action.op} ${action.b} → ${t.state.numbers.join(' ')}`);
      }
      const reference = bruteForceOutcomes(numbers);
      const commuted = (text: string) => text.replace(/^(\S+) ([+*]) (\S+)/, '$3 $2 $1');
      for (const outcome of reference) assert.ok(outcomes.has(outcome) || outcomes.has(commuted(outcome)), `missing ${outcome}`);
      for (const outcome of outcomes) assert.ok(reference.has(outcome), `unexpected ${outcome}`);
    });
  }

  it('is deterministic', () => {
    const state = { numbers: ['1', '2', '3', '4'] };
    assert.deepEqual(problem.legalActions!(state), problem.legalActions!(state));
  });
});

describe('heuristic', () => {
  it('is 1 exactly when 24 is still reachable', () => {
    assert.equal(problem.heuristic!(problem.initialState), 1);
    assert.equal(problem.heuristic!({ numbers: ['1', '1', '1', '1'] }), 0);
    assert.equal(problem.heuristic!({ numbers: ['24'] }), 1);
    assert.equal(problem.heuristic!({ numbers: ['8/3', '9'] }), 1);
    assert.equal(problem.heuristic!({ numbers: ['2', '5'] }), 0);
  });
});
