import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TaskError } from '../../../src/core/errors.ts';
import { allSolvablePuzzles, generateGame24Tasks } from '../../../src/envs/game24/generate.ts';
import { isSolvable } from '../../../src/envs/game24/solver.ts';

describe('generateGame24Tasks', () => {
  it('draws the same distinct solvable puzzles for the same seed', () => {
    const first = generateGame24Tasks({ count: 25, seed: 7 });
    const again = generateGame24Tasks({ count: 25, seed: 7 });
    assert.deepEqual(first, again);
    assert.equal(new Set(first.map((t) => t.spec.numbers.join(' '))).size, 25);
    for (const task of first) assert.ok(isSolvable(task.spec.numbers));
    assert.deepEqual(
      first.slice(0, 2).map((t) => [t.id, t.env, t.source]),
      [
        ['g24-0', 'game24', 'generate:game24?count=25&seed=7'],
        ['g24-1', 'game24', 'generate:game24?count=25&seed=7'],
      ],
    );
  });

  it('draws different puzzles for a different seed', () => {
    const a = generateGame24Tasks({ count: 10, seed: 1 }).map((t) => t.spec.numbers.join(' '));
    const b = generateGame24Tasks({ count: 10, seed: 2 }).map((t) => t.spec.numbers.join(' '));
    assert.notDeepEqual(a, b);
  });

  it('does not let callers mutate the shared puzzle list', () => {
    allSolvablePuzzles()[0][0] = 99;
    assert.notEqual(allSolvablePuzzles()[0][0], 99);
  });

  it('refuses counts it cannot satisfy', () => {
    assert.throws(() => generateGame24Tasks({ count: 0, seed: 1 }), TaskError);
    assert.throws(() => generateGame24Tasks({ count: 5000, seed: 1 }), /1362 distinct solvable puzzles/);
  });
});
