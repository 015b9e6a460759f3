import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TaskError } from '../../../src/core/errors.ts';
import { generateBlocksworldTasks, stripsEnvironment } from '../../../src/envs/strips/index.ts';
import type { StripsProblem } from '../../../src/envs/strips/index.ts';

/**
 * Optimal plan length by breadth-first search over a separate Blocksworld model: each block is
 * on the table, on a block, or in the hand; one move takes a clear block or sets the held one down.
 */
function independentOptimalLength(problemText: string): number {
  const blocks = /\(:objects([^)]*)\)/.exec(problemText)![1].trim().split(/\s+/);
  const [initText, goalText] = problemText.split('(:goal');
  const below: Record<string, string> = {};
  for (const b of blocks) below[b] = 'table';
  for (const [, x, y] of initText.matchAll(/\(on (\w+) (\w+)\)/g)) below[x] = y;
  const goal = [...goalText.matchAll(/\(on (\w+) (\w+)\)/g)].map(([, x, y]) => [x, y]);
  const key = (s: Record<string, string>): string => blocks.map((b) => s[b]).join(',');
  const isClear = (s: Record<string, string>, x: string): boolean => s[x] !== 'hand' && !blocks.some((b) => s[b] === x);
  let layer = [below];
  const seen = new Set([key(below)]);
  for (let depth = 0; layer.length > 0; depth++) {
    if (layer.some((s) => goal.every(([x, y]) => s[x] === y))) return depth;
    const next: Record<string, string>[] = [];
    for (const s of layer) {
      const held = blocks.find((b) => s[b] === 'hand');
      const moves = held === undefined
        ? blocks.filter((x) => isClear(s, x)).map((x) => ({ ...s, [x]: 'hand' }))
        : ['table', ...blocks.filter((y) => y !== held && isClear(s, y))].map((y) => ({ ...s, [held]: y }));
      for (const m of moves) {
        if (!seen.has(key(m))) {
          seen.add(key(m));
          next.push(m);
        }
      }
    }
    layer = next;
  }
  return Infinity;
}

test('every generated instance has exactly the requested optimal plan length', () => {
  for (const [blocks, length] of [[3, 2], [4, 4], [4, 6], [5, 8], [4, 12]]) {
    const tasks = generateBlocksworldTasks({ count: 4, blocks, length, seed: 11 });
    assert.equal(tasks.length, 4);
    for (const task of tasks) {
      assert.equal(independentOptimalLength(task.spec.problem), length, `${task.id}:\n${task.spec.problem}`);
      assert.deepEqual(task.meta, { optimalLength: length, blocks });
    }
  }
});

test('generated tasks load into the environment with a goal of on facts and ids and source that say how they were made', () => {
  const tasks = generateBlocksworldTasks({ count: 3, blocks: 5, length: 6, seed: 3 });
  assert.deepEqual(tasks.map((t) => t.id), ['bw-5-6-1', 'bw-5-6-2', 'bw-5-6-3']);
  assert.equal(tasks[0].source, 'generate:blocksworld?count=3&blocks=5&length=6&seed=3');
  for (const task of tasks) {
    const problem = stripsEnvironment.load(task) as StripsProblem;
    assert.equal(problem.isBlocksworld, true);
    assert.deepEqual(problem.objects.names, ['a', 'b', 'c', 'd', 'e']);
    assert.ok(problem.goal.length > 0 && problem.goal.every((l) => l.kind === 'atom' && l.positive && l.predicate === 'on'));
    assert.equal(problem.isGoal(problem.initialState), false);
  }
  assert.equal(new Set(tasks.map((t) => t.spec.problem)).size, 3, 'instances in one batch differ');
});

test('the same seed gives the same tasks; different seeds give different tasks', () => {
  const request = { count: 5, blocks: 4, length: 6, seed: 42 };
  assert.deepEqual(generateBlocksworldTasks(request), generateBlocksworldTasks(request));
  const other = generateBlocksworldTasks({ ...request, seed: 43 });
  assert.notDeepEqual(other.map((t) => t.spec.problem), generateBlocksworldTasks(request).map((t) => t.spec.problem));
});

test('impossible requests fail with a message saying what to change', () => {
  const fails = (request: { count: number; blocks: number; length: number; seed: number }, pattern: RegExp): void => {
    assert.throws(() => generateBlocksworldTasks(request), (e: unknown) => e instanceof TaskError && pattern.test(`${e.message} ${e.hint}`));
  };
  fails({ count: 1, blocks: 4, length: 5, seed: 1 }, /must be an even number ≥ 2, got 5.*2, 4, 6/);
  fails({ count: 1, blocks: 3, length: 10, seed: 1 }, /with 3 blocks has an optimal plan of length 10; the longest possible is at most 8.*at most 8; length 10 needs at least 4 blocks/);
  fails({ count: 1, blocks: 1, length: 2, seed: 1 }, /between 2 and 26 blocks/);
  // Two blocks allow only two instances of length 4 (swap a tower of two).
  fails({ count: 5, blocks: 2, length: 4, seed: 1 }, /Could not generate 5 distinct Blocksworld instances with 2 blocks.*found 2 .*Try at most 2 task\(s\)/);
});

test('the hints never contradict the request or the generator\'s own limits', () => {
  const hintOf = (request: { count: number; blocks: number; length: number; seed: number }): string => {
    try {
      generateBlocksworldTasks(request);
    } catch (error) {
      assert.ok(error instanceof TaskError);
      return `${error.message} ${error.hint}`;
    }
    assert.fail('expected the request to fail');
  };
  // A length no allowed block count reaches: no advice to use more than 26 blocks.
  assert.match(hintOf({ count: 1, blocks: 3, length: 120, seed: 1 }), /at most 8; no count of blocks the generator allows \(2 to 26\) reaches 120/);
  // Too few instances at a length already short for the blocks: no advice to shorten it to what was asked.
  const few = hintOf({ count: 50, blocks: 3, length: 6, seed: 1 });
  assert.doesNotMatch(few, /length of at most 6/);
  assert.match(few, /Try at most \d+ task\(s\)/);
  // The search's limit names the length within reach for these blocks, which then generates.
  const cut = hintOf({ count: 1, blocks: 26, length: 8, seed: 1 });
  const reach = Number(/use a length of at most (\d+)/.exec(cut)?.[1]);
  assert.ok(reach >= 2 && reach < 8, cut);
  assert.doesNotMatch(cut, /more blocks/);
  assert.equal(generateBlocksworldTasks({ count: 1, blocks: 26, length: reach, seed: 1 }).length, 1);
  // A count of 0 would be a run with no tasks, which `stepwise run` refuses: the generator says so itself.
  assert.match(hintOf({ count: 0, blocks: 4, length: 4, seed: 1 }), /count must be a whole number ≥ 1, got 0/);
});
