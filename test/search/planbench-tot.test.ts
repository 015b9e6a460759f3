import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Environment, Task } from '../../src/core/environment.ts';
import { game24Environment, loadTotCsv } from '../../src/envs/game24/index.ts';
import { loadPddlTasks, stripsEnvironment } from '../../src/envs/strips/index.ts';
import { enumerateProposer } from '../../src/propose/enumerate.ts';
import { heuristicScorer } from '../../src/score/heuristic.ts';
import { runSearch, type RunResult } from '../../src/search/run.ts';
import { createStrategy } from '../../src/search/strategies/index.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

// The project's headline claims, on the real public data: PlanBench Blocksworld and ToT's 24.csv.
const PLANBENCH = '../shared/data/planbench/blocksworld';
const planbenchTasks = NEEDS_SHARED_DATA ? [] : loadPddlTasks(`${PLANBENCH}/domain.pddl`, [`${PLANBENCH}/instances`]);
const goldPlans: Record<string, { length: number }> = NEEDS_SHARED_DATA ? {} : JSON.parse(readFileSync(`${PLANBENCH}/plans.json`, 'utf8'));

function search(env: Environment<any, any>, tasks: readonly Task[], strategy: string, options: Record<string, string> = {}): Promise<RunResult> {
  return runSearch({
    env,
    tasks,
    proposer: enumerateProposer(),
    scorers: [heuristicScorer()],
    strategy: createStrategy(strategy, options),
    budget: { expansions: 20_000 },
  });
}

/** Replays every plan from the task's initial state: each step valid, the last one reaching the goal. */
async function assertPlansReachGoal(env: Environment<any, any>, tasks: readonly Task[], run: RunResult) {
  for (const [i, result] of run.results.entries()) {
    const problem = env.load(tasks[i]);
    let state = problem.initialState;
    let success = false;
    for (const text of result.plan!) {
      const transition = await problem.step(state, env.parseAction(text));
      assert.ok(transition.check.valid, `${result.taskId}: ${text}: ${transition.check.reason}`);
      state = transition.state;
      success = transition.success;
    }
    assert.ok(success, `${result.taskId}: the plan ends at the goal`);
  }
}

describe('headline results', { skip: NEEDS_SHARED_DATA }, () => {
  it('bfs with the enumerator and heuristic solves all 42 PlanBench Blocksworld instances', async () => {
    assert.equal(planbenchTasks.length, 42);
    const run = await search(stripsEnvironment, planbenchTasks, 'bfs');
    assert.equal(run.stats.solved, 42, run.results.filter((r) => r.outcome !== 'solved').map((r) => `${r.taskId}: ${r.outcome}`).join(', '));
    await assertPlansReachGoal(stripsEnvironment, planbenchTasks, run);
    for (const result of run.results) assert.ok(result.plan!.length >= goldPlans[`${result.taskId}.pddl`].length, `${result.taskId} beats the optimal plan`);
  });

  it('exhaustive bfs (width all) finds a plan of exactly the optimal length for every PlanBench instance', async () => {
    const run = await search(stripsEnvironment, planbenchTasks, 'bfs', { width: 'all' });
    assert.equal(run.stats.solved, 42);
    for (const result of run.results) assert.equal(result.plan!.length, goldPlans[`${result.taskId}.pddl`].length, result.taskId);
  });

  it('dfs with the enumerator and heuristic solves all 1,362 Game of 24 puzzles in ToT\'s 24.csv', async () => {
    const tasks = loadTotCsv('../shared/data/tot/24.csv');
    assert.equal(tasks.length, 1362);
    const run = await search(game24Environment, tasks, 'dfs');
    assert.equal(run.stats.solved, 1362, run.results.filter((r) => r.outcome !== 'solved').map((r) => `${r.taskId}: ${r.outcome}`).join(', '));
    assert.equal(run.status, 'completed');
    await assertPlansReachGoal(game24Environment, tasks, run);
  });
});
