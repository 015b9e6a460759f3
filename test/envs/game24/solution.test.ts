import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGame24Solution, selectAnswerText } from '../../../src/envs/game24/solution.ts';

describe('parseGame24Solution', () => {
  it('splits step lines from the Answer line, skipping blanks and the Steps: heading', () => {
    const text = 'Steps:\n4 * 5 = 20 (left: 6 10 20)\n\n10 - 6 = 4 (left: 4 20)\r\n4 + 20 = 24 (left: 24)\nAnswer: (4 * 5) + (10 - 6) = 24\n';
    assert.deepEqual(parseGame24Solution(text), {
      steps: ['4 * 5 = 20 (left: 6 10 20)', '10 - 6 = 4 (left: 4 20)', '4 + 20 = 24 (left: 24)'],
      answer: '(4 * 5) + (10 - 6) = 24',
    });
  });

  it('has no answer when there is no Answer line, and keeps prose as steps for the verifier to reject', () => {
    assert.deepEqual(parseGame24Solution('10 - 4 = 6 (left: 5 6 6)\nNo solution found.'), {
      steps: ['10 - 4 = 6 (left: 5 6 6)', 'No solution found.'],
      answer: null,
    });
  });
});

describe('selectAnswerText', () => {
  it('prefers the Answer line and falls back to the last line, as ToT does', () => {
    assert.equal(selectAnswerText('a\nAnswer: 1 + 2\nb'), '1 + 2');
    assert.equal(selectAnswerText('10 - 4 = 6\n(4 * 5) + (10 - 6)\n\n'), '(4 * 5) + (10 - 6)');
    assert.equal(selectAnswerText('  '), '');
  });
});
