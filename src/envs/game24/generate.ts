import type { Task } from '../../core/environment.ts';
import { TaskError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import { isSolvable } from './solver.ts';
import type { Game24Spec } from './spec.ts';

let solvablePuzzles: number[][] | null = null;

/** Every multiset of four numbers from 1 to 13 (ascending) that can make 24: ToT's 1,362 puzzles. */
export function allSolvablePuzzles(): number[][] {
  if (solvablePuzzles === null) {
    const found: number[][] = [];
    for (let a = 1; a <= 13; a++)
      for (let b = a; b <= 13; b++)
        for (let c = b; c <= 13; c++)
          for (let d = c; d <= 13; d++) if (isSolvable([a, b, c, d])) found.push([a, b, c, d]);
    solvablePuzzles = found;
  }
  return solvablePuzzles.map((puzzle) => [...puzzle]);
}

/** Draws `count` distinct solvable puzzles, the same ones for the same seed. */
export function generateGame24Tasks(options: { count: number; seed: number }): Task<Game24Spec>[] {
  const { count, seed } = options;
  const pool = allSolvablePuzzles();
  if (!Number.isInteger(count) || count < 1 || count > pool.length) {
    throw new TaskError(`cannot generate ${count} Game of 24 tasks: there are ${pool.length} distinct solvable puzzles`, {
      hint: `ask for a whole number of tasks between 1 and ${pool.length}`,
    });
  }
  const source = `generate:game24?count=${count}&seed=${seed}`;
  return createRng(seed)
    .shuffle(pool)
    .slice(0, count)
    .map((numbers, i) => ({ id: `g24-${i}`, env: 'game24', source, spec: { numbers } }));
}
