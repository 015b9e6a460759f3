import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkAnswer } from '../../../src/envs/game24/answer.ts';
import { allSolvablePuzzles } from '../../../src/envs/game24/generate.ts';
import { isSolvable, solve } from '../../../src/envs/game24/solver.ts';
import { loadTotCsv } from '../../../src/envs/game24/tot-csv.ts';
import { TOT_CSV } from './data.ts';
import { NEEDS_SHARED_DATA } from '../../shared-data.ts';

describe('solver', () => {
  it('finds solutions that need fractions', () => {
    const expression = solve([3, 3, 8, 8]);
    assert.ok(expression !== null);
    assert.ok(expression.includes('/'), expression);
    assert.equal(checkAnswer([3, 3, 8, 8], expression).valid, true, expression);
  });

  it('reports unsolvable multisets', () => {
    assert.equal(solve([1, 1, 1, 1]), null);
    assert.equal(isSolvable([1, 1, 1, 1]), false);
    assert.equal(isSolvable([13, 13, 13, 13]), false);
    assert.equal(isSolvable(['24']), true);
    assert.equal(isSolvable(['23']), false);
    assert.equal(isSolvable([]), false);
  });

  it('works on mid-game states with fractions and negatives', () => {
    assert.equal(isSolvable(['8/3', '9']), true, '9 * 8/3 = 24');
    assert.equal(isSolvable(['-1', '25']), true);
    const expression = solve(['3/2', '16']);
    assert.ok(expression !== null && expression.includes('(3/2)'), String(expression));
  });
});

describe('the ToT puzzle set', { skip: NEEDS_SHARED_DATA }, () => {
  const csvPuzzles = loadTotCsv(TOT_CSV).map((task) => [...task.spec.numbers].sort((a, b) => a - b).join(' '));

  it('is exactly the solvable multisets of four numbers from 1 to 13', () => {
    const generated = allSolvablePuzzles().map((puzzle) => puzzle.join(' '));
    assert.equal(csvPuzzles.length, 1362);
    assert.equal(new Set(csvPuzzles).size, 1362, 'the CSV has no duplicate puzzles');
    assert.deepEqual(new Set(generated), new Set(csvPuzzles));
  });

  it('is solved by the solver, with answers that checkAnswer accepts', () => {
    for (const puzzle of loadTotCsv(TOT_CSV)) {
      const expression = solve(puzzle.spec.numbers);
      assert.ok(expression !== null, `no solution for ${puzzle.spec.numbers.join(' ')}`);
      const check = checkAnswer(puzzle.spec.numbers, `Answer: ${expression} = 24`);
      assert.equal(check.valid, true, `${expression}: ${check.reason}`);
    }
  });
});
