import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { parseJsonLine, PLANBENCH, runCli, tempDb, TOT_CSV } from './cli-process.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

const INSTANCES = `${PLANBENCH}/instances`;

describe('stepwise run', { concurrency: true }, () => {
  for (const strategy of ['bfs', 'mcts', 'dfs', 'beam']) {
    it(`strips --strategy ${strategy} solves all 42 PlanBench instances, domain found beside the folder`, { skip: NEEDS_SHARED_DATA }, async () => {
      const db = tempDb();
      const result = await runCli(['run', 'strips', '--tasks', INSTANCES, '--strategy', strategy, '--json', '--db', db]);
      const summary = parseJsonLine(result);
      assert.equal(result.stderr, '', '--json keeps stderr quiet (no progress bar, no warnings)');
      assert.equal(summary.strategy, strategy);
      assert.equal(summary.status, 'completed');
      assert.equal(summary.tasks, 42);
      assert.equal(summary.solved, 42);
      assert.equal(summary.failed + summary.unsolvable + summary.budgetExhausted, 0);
      // Optimal PlanBench plans average 7 steps; a plan can be longer, never shorter.
      assert.ok(summary.meanPlanLength >= 7, `mean plan ${summary.meanPlanLength}`);
      assert.equal(summary.db, db);
      assert.match(summary.runId, /^r[0-9a-z]+$/);
    });
  }

  it('game24 on ToT rows 900-909 solves all 10 and reports the same shape', { skip: NEEDS_SHARED_DATA }, async () => {
    const summary = parseJsonLine(await runCli(['run', 'game24', '--tasks', `tot:${TOT_CSV}:900-909`, '--json', '--db', tempDb()]));
    assert.equal(summary.env, 'game24');
    assert.equal(summary.tasks, 10);
    assert.equal(summary.solved, 10);
    assert.equal(summary.meanPlanLength, 3, 'four numbers always take three steps');
  });

  it('records every node in SQLite: the store reads back what the JSON summary counted', { skip: NEEDS_SHARED_DATA }, async () => {
    const db = tempDb();
    const summary = parseJsonLine(await runCli(['run', 'strips', '--tasks', INSTANCES, '--json', '--db', db]));
    const store = openSqliteStore(db, { readonly: true });
    try {
      const [run, ...others] = await store.listRuns();
      assert.equal(others.length, 0);
      assert.equal(run.run.id, summary.runId);
      assert.equal(run.end?.status, 'completed');
      assert.equal(run.end?.outcomes.solved, summary.solved);
      const tasks = await store.getTasks(summary.runId);
      assert.equal(tasks.length, 42);
      let nodes = 0;
      let expansions = 0;
      for (const task of tasks) {
        const tree = await store.getTree(summary.runId, task.taskId);
        assert.equal(tree.result?.nodes, tree.nodes.length, `${task.taskId}: result counts the stored nodes`);
        assert.equal(tree.result?.outcome, 'solved');
        const solution = tree.nodes.find((n) => n.id === tree.result?.solutionNodeId);
        assert.equal(solution?.success, true, `${task.taskId}: the solution node reached the goal`);
        assert.equal(solution?.depth, tree.result?.plan?.length);
        nodes += tree.nodes.length;
        expansions += tree.result!.expansions;
      }
      assert.equal(nodes, summary.nodes);
      assert.equal(expansions, summary.expansions);
    } finally {
      await store.close();
    }
  });

  it('without --json prints the summary table and a "Next:" pointer that names the store', async () => {
    const db = tempDb();
    const { code, stdout, stderr } = await runCli(['run', 'game24', '--tasks', 'puzzle:4 4 6 8', '--db', db]);
    assert.equal(code, 0);
    assert.match(stdout, /^run +tasks +solved +unsolvable +budget +failed/m);
    const next = /Next: (stepwise show (r[0-9a-z]+) --db (\S+))$/m.exec(stdout);
    assert.ok(next, stdout);
    assert.equal(next[3], db);
    assert.match(stderr, /game24 bfs \[.*\] 1\/1 solved 1/, 'progress goes to stderr');
    const shown = await runCli(['show', next[2], '--db', db]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /puzzle-4-4-6-8 +solved/);
  });

  it('Ctrl-C stops a long run within moments, exits 130 and keeps what ran', { skip: NEEDS_SHARED_DATA }, async () => {
    const db = tempDb();
    // Exhaustive bfs over 301 puzzles takes ~25 s; interrupt at the first progress line (after ~2 s).
    const args = ['run', 'game24', '--tasks', `tot:${TOT_CSV}:0-300`, '--strategy', 'bfs', '--width', 'all', '--db', db];
    const result = await runCli(args, { interruptWhen: /game24 bfs \[/ });
    assert.equal(result.code, 130, result.stderr);
    // Measured from the SIGINT, not from spawn: a loaded machine slows start-up, not the stop.
    assert.ok(result.msAfterInterrupt! < 5_000, `exited ${Math.round(result.msAfterInterrupt!)} ms after Ctrl-C`);
    assert.match(result.stderr, /interrupted after \d+ task\(s\)/);
    const [run] = JSON.parse((await runCli(['runs', '--json', '--db', db])).stdout);
    assert.equal(run.end.status, 'interrupted');
    assert.ok(run.results.length > 0 && run.results.length < 301, `${run.results.length} tasks recorded`);
  });

  it('--db :memory: says nothing was kept instead of pointing at a store that does not exist', async () => {
    const { code, stdout } = await runCli(['run', 'game24', '--tasks', 'puzzle:4 4 6 8', '--db', ':memory:']);
    assert.equal(code, 0);
    assert.match(stdout, /Nothing was kept/);
    assert.doesNotMatch(stdout, /Next: stepwise show/);
  });
});
