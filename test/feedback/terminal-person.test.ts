import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChoiceLine, parseJudgmentLine } from '../../src/feedback/terminal-person.ts';

test('a choice line: positions (once each), the person\'s own actions after "+", q to stop; a slip is an error, not "none"', () => {
  assert.deepEqual(parseChoiceLine(' 3, 1 3 ', 4), { picked: [3, 1], custom: [] });
  assert.deepEqual(parseChoiceLine('2 + Add a section on costs + Cite more', 4), { picked: [2], custom: ['Add a section on costs', 'Cite more'] });
  assert.deepEqual(parseChoiceLine('', 4), { picked: [], custom: [] });
  assert.deepEqual(parseChoiceLine(' Q ', 4), { picked: [], custom: [], stop: true });
  for (const [line, says] of [['5', /"5" is not one of the actions 1-4/], ['0', /"0"/], ['1.5', /"1.5"/], ['two', /"two"/], ['+', /after "\+"/], ['2 +  ', /after "\+"/], ['1 + a +', /after "\+"/]] as const) {
    const parsed = parseChoiceLine(line, 4);
    assert.ok('error' in parsed, `${JSON.stringify(line)} should be refused`);
    assert.match(parsed.error, says);
  }
});

test('a judgment line: a verdict word or letter and an optional comment; anything else says what to type', () => {
  assert.deepEqual(parseJudgmentLine('A'), { verdict: 'applied' });
  assert.deepEqual(parseJudgmentLine('p  the table misses costs '), { verdict: 'partly', comment: 'the table misses costs' });
  assert.deepEqual(parseJudgmentLine('not'), { verdict: 'not_applied' });
  for (const line of ['', 'maybe', 'x a']) {
    const parsed = parseJudgmentLine(line);
    assert.ok('error' in parsed && /a \(applied\), p \(partly\) or n \(not applied\)/.test(parsed.error), line);
  }
});
