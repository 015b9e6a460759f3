import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkAnswer } from '../../../src/envs/game24/answer.ts';

const puzzle = [4, 5, 6, 10];

function reasonOf(text: string, numbers: number[] = puzzle): string {
  const check = checkAnswer(numbers, text);
  assert.equal(check.valid, false, `expected '${text}' to be rejected`);
  return check.reason ?? '';
}

describe('checkAnswer', () => {
  it("accepts ToT's answer line and its variants", () => {
    for (const text of [
      'Answer: (4 * 5) + (10 - 6) = 24',
      '(4 * 5) + (10 - 6) = 24',
      '(4 * 5) + (10 - 6)',
      'answer: (4 × 5) + (10 − 6) = 24.',
      '4x5+10-6',
      '(10 - 4) * 5 - 6 = 24',
      'Steps:\n4 * 5 = 20 (left: 6 10 20)\n10 - 6 = 4 (left: 4 20)\nAnswer: (4 * 5) + (10 - 6) = 24\n',
    ]) {
      assert.equal(checkAnswer(puzzle, text).valid, true, text);
    }
  });

  it('is exact with fractions', () => {
    assert.equal(checkAnswer([3, 3, 8, 8], '8 / (3 - 8 / 3) = 24').valid, true);
    assert.equal(checkAnswer([1, 3, 4, 6], '6 / (1 - 3 / 4)').valid, true);
    assert.equal(checkAnswer([1, 5, 5, 5], '5 * (5 - 1 / 5) = 24').valid, true);
    assert.equal(reasonOf('1 / 2 + 3 + 4', [1, 2, 3, 4]), 'evaluates to 15/2, not 24');
  });

  it('names a number that is missing', () => {
    assert.equal(
      reasonOf('(6 - 4) * 5 = 24'),
      'uses 6 4 5 but the puzzle is 4 5 6 10 (10 is not used); and it evaluates to 10, not 24',
    );
  });

  it('names a number that is not in the puzzle or used too often', () => {
    assert.match(reasonOf('(4 * 5) + (10 - 6) + 7 - 7'), /\(7 7 are not in the puzzle\)/);
    assert.match(reasonOf('4 * 6 * (5 - 4)'), /^uses 4 6 5 4 but the puzzle is 4 5 6 10 \(10 is not used; 4 is used more often than the puzzle has it\)$/);
    assert.match(reasonOf('(7 - 6) * (9 - 8) * 24', [6, 7, 8, 9]), /24 is not in the puzzle/);
  });

  it('says what a wrong expression evaluates to', () => {
    assert.equal(reasonOf('(4 + 5) + (6 + 10) = 24'), 'evaluates to 25, not 24');
    assert.equal(reasonOf('(10 - 6) * (4 + 5) = 21'), 'evaluates to 36, not 24');
  });

  it('rejects an equation whose right side is not 24', () => {
    assert.equal(reasonOf('(4 * 5) + (10 - 6) = 25'), 'the expression equals 24 but the answer says = 25');
  });

  it('reports division by zero with the divisor', () => {
    assert.equal(reasonOf('6 / (4 - 4) * 5', [4, 4, 5, 6]), 'divides by zero: (4 - 4) is 0');
  });

  it('reports unreadable answers precisely', () => {
    assert.match(reasonOf('((4 * 5) + (10 - 6) = 24'), /the '\(' at column 1 is never closed/);
    assert.match(reasonOf('(4 * 5)) + (10 - 6)'), /the '\)' at column 8 has no matching '\('/);
    assert.match(reasonOf('4 (5 + 10 - 6)'), /expected an operator before '\(' at column 3/);
    assert.match(reasonOf('4 * 5 + 10 -'), /expected a number or '\(' but found the end/);
    assert.match(reasonOf('4 ^ 5'), /unexpected '\^' at column 3/);
    assert.match(reasonOf('Answer: None'), /'None' is not an arithmetic expression/);
    assert.match(reasonOf('Answer: '), /the answer is empty/);
  });

  it('treats a minus before a number as a negative literal that must be in the puzzle', () => {
    assert.match(reasonOf('-4 + 5 + 6 + 10 + 7', [4, 5, 6, 10]), /-4 7 are not in the puzzle/);
    assert.equal(checkAnswer([-1, 25], '25 + -1').valid, true);
  });

  it('reports the numbers used and the value in detail', () => {
    assert.deepEqual(checkAnswer(puzzle, '(4 * 5) + (10 - 6)').detail, {
      answer: '(4 * 5) + (10 - 6)',
      used: ['4', '5', '10', '6'],
      puzzle: ['4', '5', '6', '10'],
      missing: [],
      extra: [],
      value: '24',
    });
  });
});
