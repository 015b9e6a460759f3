import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parseJsonLine, PLANBENCH, runCli, tempDb, tempDir } from './cli-process.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

// Three blocks, goal a on b and b on a: no state satisfies both, so no plan exists.
const IMPOSSIBLE = `(define (problem impossible)
  (:domain blocksworld-4ops)
  (:objects a b c)
  (:init (handempty) (ontable a) (ontable b) (ontable c) (clear a) (clear b) (clear c))
  (:goal (and (on a b) (on b a))))
`;

describe('stepwise run: unsolvable tasks', { concurrency: true, skip: NEEDS_SHARED_DATA }, () => {
  let problem = '';
  before(() => {
    const dir = tempDir();
    copyFileSync(`${PLANBENCH}/domain.pddl`, join(dir, 'domain.pddl'));
    problem = join(dir, 'impossible.pddl');
    writeFileSync(problem, IMPOSSIBLE);
  });

  it('exhaustive bfs proves a contradictory STRIPS goal unsolvable after visiting every state', async () => {
    const summary = parseJsonLine(await runCli(['run', 'strips', '--tasks', problem, '--strategy', 'bfs', '--width', 'all', '--json', '--db', tempDb()]));
    assert.equal(summary.tasks, 1);
    assert.equal(summary.unsolvable, 1);
    assert.equal(summary.solved + summary.failed + summary.budgetExhausted, 0);
    assert.equal(summary.meanPlanLength, null);
    // Three blocks have 22 reachable states (13 with the hand empty, 9 holding one block); each is expanded once.
    assert.equal(summary.expansions, 22);
  });

  it('the same search cut off by --max-expansions 1 is budget-exhausted, not unsolvable', async () => {
    const db = tempDb();
    const summary = parseJsonLine(
      await runCli(['run', 'strips', '--tasks', problem, '--strategy', 'bfs', '--width', 'all', '--max-expansions', '1', '--json', '--db', db]),
    );
    assert.equal(summary.budgetExhausted, 1);
    assert.equal(summary.unsolvable, 0);
    assert.equal(summary.expansions, 1);
    const shown = await runCli(['show', 'latest', '--db', db]);
    assert.match(shown.stdout, /impossible +budget_exhausted .* expansions$/m);
  });

  it('game24 "1 1 1 1" cannot make 24: bfs with width all reports unsolvable', async () => {
    const summary = parseJsonLine(await runCli(['run', 'game24', '--tasks', 'puzzle:1 1 1 1', '--strategy', 'bfs', '--width', 'all', '--json', '--db', tempDb()]));
    assert.equal(summary.unsolvable, 1);
    assert.equal(summary.solved, 0);
  });
});
