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
    ['a wrong decimal result', '10 / 6 = 1.8', /^10 \/ 6 = 5\/3, not 1\.8$/],
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

  it('points out an operand that is close to a number left but not its rounding', () => {
    // 0.34 is 1/3 rounded the wrong way (0.333… rounds to 0.33).
    const t = problem.step({ numbers: ['1/3', '15'] }, game24Environment.parseAction('15 / 0.34')) as Transition<Game24State>;
    assert.match(t.check.reason ?? '', /0\.34 is 1\/3 rounded; use the exact value 1\/3/);
  });

  it('says when a claimed decimal is close to the result but neither its rounding nor its cut-off', () => {
    const t = problem.step({ numbers: ['1', '3', '8'] }, game24Environment.parseAction('1 / 3 = 0.34')) as Transition<Game24State>;
    assert.equal(t.check.reason, '1 / 3 = 1/3, not 0.34 (0.34 is close to 1/3 but neither its rounding nor its cut-off to the digits shown)');
  });
});

describe('rounded decimals', () => {
  const refusing = game24Environment.load({ id: 'r', env: 'game24', source: 'test', spec: { numbers: [10, 4, 6, 5], roundedDecimals: 'refuse' } });
  const stepIn = (p: Problem<Game24State, Game24Action>, numbers: string[], text: string) =>
    p.step({ numbers }, game24Environment.parseAction(text)) as Transition<Game24State>;

  it('reads a rounded or cut-off result as the exact number, keeps it exact in the state, and says so', () => {
    const rounded = stepIn(problem, ['3', '8', '11'], '8 / 3 = 2.67 (left: 2.67 11)');
    assert.equal(rounded.check.valid, true, rounded.check.reason);
    assert.deepEqual(rounded.state, { numbers: ['8/3', '11'] });
    assert.equal(rounded.check.note, 'rounded: 2.67 read as 8/3');
    assert.deepEqual(rounded.check.detail, { rounded: [{ text: '2.67', exact: '8/3', role: 'result' }, { text: '2.67', exact: '8/3', role: 'left' }] });
    assert.match(rounded.observation, /rounded: 2\.67 read as 8\/3/);
    const cut = stepIn(problem, ['4', '5', '6', '10'], '10 / 6 = 1.666 (left: 1.666 4 5)');
    assert.equal(cut.check.valid, true, cut.check.reason);
    assert.deepEqual(cut.state, { numbers: ['5/3', '4', '5'] });
  });

  it('reads a rounded operand as the one number left it rounds, and reaches 24 only exactly', () => {
    const win = stepIn(problem, ['8/3', '9'], '2.67 * 9 = 24 (left: 24)');
    assert.equal(win.check.valid, true, win.check.reason);
    assert.equal(win.success, true);
    assert.deepEqual(win.check.detail, { rounded: [{ text: '2.67', exact: '8/3', role: 'operand' }] });
    // 2.67 × 9 is 24.03 in decimals; the exact step is 8/3 × 9 = 24, so a claim of 24.03 is wrong, not rounded.
    const drift = stepIn(problem, ['8/3', '9'], '2.67 * 9 = 24.03');
    assert.equal(drift.check.valid, false);
    assert.match(drift.check.reason ?? '', /= 24, not 24\.03/);
  });

  it('refuses a decimal that could stand for two of the numbers left, naming both', () => {
    // 1.7 is 5/3 rounded and 7/4 cut off.
    const t = stepIn(problem, ['5/3', '7/4', '2'], '1.7 * 2');
    assert.equal(t.check.valid, false);
    assert.match(t.check.reason ?? '', /^1\.7 could be 5\/3 or 7\/4 rounded \(numbers left: 5\/3 7\/4 2\); write the exact value$/);
    assert.deepEqual(t.state, { numbers: ['5/3', '7/4', '2'] });
  });

  it('refuses a left list whose decimal matches none of the numbers left', () => {
    const t = stepIn(problem, ['3', '8', '11'], '8 / 3 = 2.67 (left: 2.7 11)');
    assert.equal(t.check.valid, true, 'one digit: 2.7 is 8/3 rounded too');
    const wrong = stepIn(problem, ['3', '8', '11'], '8 / 3 = 2.67 (left: 2.76 11)');
    assert.equal(wrong.check.valid, false);
    assert.match(wrong.check.reason ?? '', /the numbers left are 8\/3 11, not 2\.76 11/);
  });

  it('under roundedDecimals: refuse, every decimal must be exact, with a nudge', () => {
    const result = stepIn(refusing, ['4', '5', '6', '10'], '10 / 6 = 1.666');
    assert.equal(result.check.valid, false);
    assert.match(result.check.reason ?? '', /10 \/ 6 = 5\/3, not 1\.666 \(1\.666 is 5\/3 rounded; steps must be exact\)/);
    const operand = stepIn(refusing, ['2/3', '15'], '15 / 0.666');
    assert.match(operand.check.reason ?? '', /0\.666 is 2\/3 rounded; use the exact value 2\/3/);
    const left = stepIn(refusing, ['3', '8', '11'], '8 / 3 = 8/3 (left: 2.67 11)');
    assert.equal(left.check.valid, false);
  });

  it('refuses an unknown rule in the spec, naming the field', () => {
    const bad = { id: 'bad', env: 'game24', source: 'test', spec: { numbers: [1, 2, 3, 4], roundedDecimals: 'round' } as unknown as { numbers: number[] } };
    assert.throws(() => game24Environment.load(bad), (error: unknown) => error instanceof TaskError && /roundedDecimals/.test(error.message));
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

describe('the rule in a task spec', () => {
  it('takes ?rounded=refuse on puzzle:, tot: and generate: specs, records it in the task, and refuses unknown rules', async () => {
    const { game24Plugin } = await import('../../../src/envs/game24/plugin.ts');
    const load = (spec: string) => game24Plugin.loadTasks(spec, {}) as { spec: { numbers: number[]; roundedDecimals?: string } }[];
    assert.deepEqual(load('puzzle:4 4 6 8?rounded=refuse')[0].spec, { numbers: [4, 4, 6, 8], roundedDecimals: 'refuse' });
    assert.deepEqual(load('puzzle:4 4 6 8')[0].spec, { numbers: [4, 4, 6, 8] });
    assert.equal(load('generate:game24?count=2&seed=1&rounded=resolve')[1].spec.roundedDecimals, 'resolve');
    assert.throws(() => load('puzzle:4 4 6 8?rounded=round'), /rounded=round is not a rule for rounded decimals/);
    assert.throws(() => load('puzzle:4 4 6 8?seed=1'), /game24 task specs take only \?rounded=…, not "seed"/);
  });
});
