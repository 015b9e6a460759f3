import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionParseError } from '../../../src/core/errors.ts';
import { formatGame24Action, game24ActionSchema, type Game24Action } from '../../../src/envs/game24/action.ts';
import { parseGame24Action } from '../../../src/envs/game24/parse-action.ts';
import { game24LegalActions } from '../../../src/envs/game24/step.ts';

function parseError(text: string): ActionParseError {
  try {
    parseGame24Action(text);
  } catch (error) {
    if (error instanceof ActionParseError) return error;
    throw error;
  }
  assert.fail(`expected '${text}' not to parse`);
}

describe('parseGame24Action', () => {
  it("reads ToT's step with its claim", () => {
    assert.deepEqual(parseGame24Action('10 - 4 = 6 (left: 5 6 6)'), {
      a: '10',
      op: '-',
      b: '4',
      claimed: { result: '6', left: ['5', '6', '6'] },
    });
  });

  it('reads the variants models write', () => {
    const cases: [string, Game24Action][] = [
      ['10-4=6(left:5 6 6)', { a: '10', op: '-', b: '4', claimed: { result: '6', left: ['5', '6', '6'] } }],
      ['4 × 5 = 20', { a: '4', op: '*', b: '5', claimed: { result: '20' } }],
      ['4x5=20 (left: 6, 10, 20)', { a: '4', op: '*', b: '5', claimed: { result: '20', left: ['6', '10', '20'] } }],
      ['12 ÷ 3 = 4 (left: 4 4)', { a: '12', op: '/', b: '3', claimed: { result: '4', left: ['4', '4'] } }],
      ['10 − 4 = 6', { a: '10', op: '-', b: '4', claimed: { result: '6' } }],
      ['6/4=1.5 (left: 1.5 5 10)', { a: '6', op: '/', b: '4', claimed: { result: '1.5', left: ['1.5', '5', '10'] } }],
      ['2/3 * 9 = 6', { a: '2/3', op: '*', b: '9', claimed: { result: '6' } }],
      ['6 / 9 = 2/3 (left: 2/3 10)', { a: '6', op: '/', b: '9', claimed: { result: '2/3', left: ['2/3', '10'] } }],
      ['10 - (-1) = 11 (left: 6 11)', { a: '10', op: '-', b: '-1', claimed: { result: '11', left: ['6', '11'] } }],
      ['-1 + 6 = 5', { a: '-1', op: '+', b: '6', claimed: { result: '5' } }],
      ['10 - 4', { a: '10', op: '-', b: '4' }],
      ['  10 - 4 = 6 (left: 5 6 6).  ', { a: '10', op: '-', b: '4', claimed: { result: '6', left: ['5', '6', '6'] } }],
      ['Step 2: 10 - 4 = 6', { a: '10', op: '-', b: '4', claimed: { result: '6' } }],
    ];
    for (const [text, expected] of cases) assert.deepEqual(parseGame24Action(text), expected, text);
  });

  it("keeps the numbers of GPT-4's approximate steps and drops its notes", () => {
    assert.deepEqual(parseGame24Action('10 / 1.5 ≈ 6.67 (left: 6.67)').claimed, { result: '6.67', left: ['6.67'] });
    assert.deepEqual(parseGame24Action('19 / 7 = approx. 2.71 (left: approx. 2.71)').claimed, {
      result: '2.71',
      left: ['2.71'],
    });
    assert.deepEqual(parseGame24Action('12 / 7 = 1.71 (rounded, left: 1.71)').claimed, { result: '1.71', left: ['1.71'] });
    assert.deepEqual(parseGame24Action('4 / 3 = 1.33 (left: 1.33 7) (if decimals are allowed)').claimed, {
      result: '1.33',
      left: ['1.33', '7'],
    });
    assert.deepEqual(parseGame24Action('7 / 8 (not a whole number)'), { a: '7', op: '/', b: '8' });
  });

  it('names what is wrong with text that is not a step', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['Since there is only one number', /does not start with a number/],
      ['1. Round the number: round(2.18) = 2', /after '1\.' expected a number but found 'Round/],
      ['2.18^2 = 4.7524', /expected one of \+ - \* \/ but found '\^2/],
      ['4 * (2 * 2) = 24 (left: 24)', /combines exactly two numbers/],
      ['24', /one number and no operator/],
      ['10 - 4 = (left: 5 6 6)', /expected the result after '='/],
      ['10 - 4 = 6 (left: 5 6 6', /never closed/],
      ['10 - 4 = 6 (left: 5 six 6)', /'six', which is not a number/],
      ['10 - 4 = 6 which is good', /unexpected text after the step: 'which is good'/],
      ['10 - 4 (left: 5 6 6)', /not the result/],
      ['10 - 4 = 6 (left: 5 6 6) (left: 6)', /2 \(left: …\) lists/],
      ['Answer: (4 * 5) + (10 - 6) = 24', /final answer, not a step/],
    ];
    for (const [text, reason] of cases) assert.match(parseError(text).message, reason, text);
  });
});

describe('formatGame24Action', () => {
  it("writes ToT's form with a claim and the bare expression without one", () => {
    assert.equal(formatGame24Action({ a: '10', op: '-', b: '4', claimed: { result: '6', left: ['5', '6', '6'] } }), '10 - 4 = 6 (left: 5 6 6)');
    assert.equal(formatGame24Action({ a: '10', op: '-', b: '4' }), '10 - 4');
    assert.equal(formatGame24Action({ a: '6', op: '-', b: '-1', claimed: { result: '7' } }), '6 - (-1) = 7');
  });

  it('round-trips every legal action of fraction-heavy states through text', () => {
    for (const numbers of [['4', '5', '6', '10'], ['-1', '1/2', '3/2', '7'], ['0', '2/3', '2/3']]) {
      for (const action of game24LegalActions({ numbers })) {
        const text = formatGame24Action(action);
        assert.deepEqual(parseGame24Action(text), action, text);
        assert.equal(formatGame24Action(parseGame24Action(text)), text);
      }
    }
  });
});

describe('game24ActionSchema', () => {
  it('accepts actions and rejects operands that are not numbers', () => {
    assert.equal(game24ActionSchema.safeParse({ a: '3/2', op: '*', b: '16', claimed: { result: '24' } }).success, true);
    assert.equal(game24ActionSchema.safeParse({ a: 'four', op: '+', b: '5' }).success, false);
    assert.equal(game24ActionSchema.safeParse({ a: '4', op: '^', b: '5' }).success, false);
  });
});
