import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePickedIndex, parseValueVerdict } from '../../src/score/judge-replies.ts';

describe('parseValueVerdict', () => {
  const cases: [string, string | null][] = [
    ['10 14\n10 + 14 = 24\nsure', 'sure'],
    ['5 + 7 + 8 = 20\n(8 - 5) * 7 = 21\nI cannot obtain 24 now, but numbers are within a reasonable range\nlikely', 'likely'],
    ['**Verdict:** Impossible.', 'impossible'],
    ['<think>sure? no, likely</think>\nThe numbers are too small.\nimpossible', 'impossible'],
    ['Sure, let me check: 3 * 8 = 24 but 1 is left over, so it is likely', 'likely'],
    ['Honestly I am not sure.', null],
    ['It might be unlikely to work.', null],
    ['', null],
  ];
  for (const [reply, expected] of cases) {
    it(`${JSON.stringify(reply.slice(0, 40))} → ${expected}`, () => assert.equal(parseValueVerdict(reply), expected));
  }

  it('prefers a line that is only a verdict over a verdict word later in prose', () => {
    assert.equal(parseValueVerdict('sure\n(I considered that it is likely too)'), 'sure');
  });
});

describe('parsePickedIndex', () => {
  const picks: [string, number][] = [
    ['Best: 2', 1],
    ['Candidate 1 frees the blue block.\nCandidate 3 wastes a move.\nBest: 1', 0],
    ['The best candidate is 3.', 2],
    ['**Answer: #2**', 1],
    ['2', 1],
    ['[3]', 2],
    ['I compared them all.\n\n**1.**', 0],
    ['<think>Best: 3? No.</think>\nOption 2 is the only one that keeps 24 reachable.', 1],
    ['Candidate 1 looks best to me.', 0],
  ];
  for (const [reply, index] of picks) {
    it(`${JSON.stringify(reply.slice(0, 40))} → index ${index}`, () => assert.deepEqual(parsePickedIndex(reply, 3), { index }));
  }

  it('gives a reason instead of an index when there is no usable number', () => {
    assert.deepEqual(parsePickedIndex('Best: 7', 3), { reason: 'the reply picks 7, but the candidates are numbered 1 to 3' });
    assert.deepEqual(parsePickedIndex('Best: 0', 3), { reason: 'the reply picks 0, but the candidates are numbered 1 to 3' });
    assert.deepEqual(parsePickedIndex('They all look fine to me.', 3), { reason: 'the reply has no candidate number' });
    assert.match((parsePickedIndex('Candidate 1 and candidate 2 are both good.', 3) as { reason: string }).reason, /names candidates 1, 2 without saying which is best/);
    assert.deepEqual(parsePickedIndex('<think>Best: 2</think>', 3), { reason: 'the reply has no candidate number' });
  });
});
