import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { Environment } from '../../src/core/environment.ts';
import { replayRun } from '../../src/replay/replay.ts';
import { runRecipe } from '../../src/replay/run-recipe.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import type { RunRecipe } from '../../src/store/records.ts';
import { startFakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { game24ModelScript } from '../../src/testing/game24-model.ts';
import { graphEnvironment, graphTask, type GraphAction, type GraphSpec, type GraphState } from '../../src/testing/graph-env.ts';
import { parseJsonLine, runCli, tempDb, TOT_CSV } from '../cli/cli-process.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

describe('stepwise replay (CLI)', () => {
  test('replays a model-backed run with the model server gone and finds it identical', { skip: NEEDS_SHARED_DATA }, async () => {
    const server = await startFakeOpenAIServer({ script: game24ModelScript({ illegalEvery: 5 }) });
    const db = tempDb();
    const model = `openai-compatible:${server.url}#fake-gpt`;
    let sent: number;
    try {
      const run = parseJsonLine(await runCli(['run', 'game24', '--tasks', `tot:${TOT_CSV}:900-903`, '--model', model, '--strategy', 'bfs', '--width', '2', '--mode', 'list', '--scorer', 'value', '--db', db, '--json']));
      assert.equal(run.status, 'completed');
      sent = server.requests.length;
      assert.ok(sent > 0);
    } finally {
      await server.close();
    }
    // Nothing listens on the model's port any more: a request sent would fail the replay.
    const replay = await runCli(['replay', 'latest', '--db', db]);
    assert.equal(replay.code, 0, replay.stdout + replay.stderr);
    assert.match(replay.stdout, /^identical: run r\w+ replayed offline step for step \(4 task\(s\), \d+ nodes, \d+ candidates, (\d+) model calls served from the record\)/);
    assert.equal(Number(/(\d+) model calls/.exec(replay.stdout)![1]) >= sent, true);
    const json = parseJsonLine(await runCli(['replay', 'latest', '--db', db, '--json']));
    assert.equal(json.identical, true);
    assert.equal(json.divergence, null);
  });

  test('replays MCTS with parallel simulations exactly, and a run recorded before runs kept their recipe', async () => {
    const db = tempDb();
    parseJsonLine(await runCli(['run', 'strips', '--tasks', 'generate:blocksworld?count=2&blocks=5&length=8', '--strategy', 'mcts', '--simulations', '150', '--db', db, '--json']));
    assert.equal((await runCli(['replay', 'latest', '--db', db])).code, 0);
    // As stepwise 0.1.0 recorded it: no recipe in the provenance; the run record alone says enough to rebuild it.
    const file = new DatabaseSync(db);
    file.exec(`UPDATE runs SET provenance = NULL`);
    file.close();
    const old = await runCli(['replay', 'latest', '--db', db]);
    assert.equal(old.code, 0, old.stdout + old.stderr);
    assert.match(old.stdout, /^identical/);
  });

  test('says why a run from an older format cannot be replayed', async () => {
    const db = tempDb();
    const file = new DatabaseSync(db);
    file.exec(readFileSync(new URL('../store/fixtures/format-v1.sql', import.meta.url), 'utf8'));
    file.close();
    const before = readFileSync(db);
    const result = await runCli(['replay', 'r-v1fixture', '--db', db]);
    assert.equal(result.code, 2);
    assert.ok(readFileSync(db).equals(before), 'replay reads the old format as it is: the file is not migrated');
    assert.match(result.stderr, /^stepwise replay: run r-v1fixture was recorded by stepwise 0\.1\.0 without a recipe, and its proposer "llm" cannot be rebuilt from the record/);
    assert.match(result.stderr, /hint: record the run again/);
  });

  test('refuses a run that did not finish, pointing to resume', async () => {
    const db = tempDb();
    parseJsonLine(await runCli(['run', 'game24', '--tasks', 'puzzle:4 4 6 8', '--db', db, '--json']));
    const file = new DatabaseSync(db);
    file.exec('DELETE FROM run_ends');
    file.close();
    const result = await runCli(['replay', 'latest', '--db', db]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /did not finish \(killed or still running\)/);
    assert.match(result.stderr, /stepwise resume r\w+/);
  });
});

// A graph whose walk from a to g passes c; the edited dynamics below change what stepping onto c observes and pays.
const GRAPH: GraphSpec = { start: 'a', goal: 'g', edges: { a: ['b', 'c'], b: ['d'], c: ['e', 'f'], d: ['g'], e: ['g'], f: [] }, values: { c: 0.6, e: 0.8 } };

function editedGraph(change: 'observation' | 'version'): Environment<GraphState, GraphAction, GraphSpec> {
  return {
    ...graphEnvironment,
    version: change === 'version' ? '2' : graphEnvironment.version,
    load(task) {
      const problem = graphEnvironment.load(task);
      return {
        ...problem,
        step(state, action) {
          const transition = problem.step(state, action) as ReturnType<typeof problem.step> & object;
          return change === 'observation' && action.to === 'e' ? { ...transition, observation: 'at e (edited)', reward: 0.25 } : transition;
        },
      };
    },
  };
}

describe('replayRun (library)', () => {
  const recipe: RunRecipe = { env: 'graph', tasks: 'inline', strategy: 'bfs', strategyOptions: { width: 'all' }, budget: {}, seed: 3, scorers: ['heuristic'], model: null };
  const record = async () => {
    const store = createMemoryStore();
    const result = await runRecipe(recipe, { store, environment: graphEnvironment, tasks: [graphTask('walk', GRAPH), graphTask('again', GRAPH)] });
    return { store, runId: result.runId };
  };

  test('finds the unchanged environment identical', async () => {
    const { store, runId } = await record();
    const report = await replayRun({ store, runRef: runId, environment: graphEnvironment });
    assert.equal(report.identical, true, JSON.stringify(report.divergence));
    assert.equal(report.tasks, 2);
  });

  test('names the first step whose recomputed transition differs once the environment code changed', async () => {
    const { store, runId } = await record();
    const tree = await store.getTree(runId, 'walk');
    const atE = tree.nodes.find((n) => n.actionText === 'go e')!;
    const report = await replayRun({ store, runRef: runId, environment: editedGraph('observation') });
    assert.equal(report.identical, false);
    assert.deepEqual(report.divergence, { taskId: 'walk', nodeId: atE.id, path: ['go c', 'go e'], field: 'observation', recorded: 'at e', recomputed: 'at e (edited)' });
  });

  test('notes an environment version bump, and still compares the steps', async () => {
    const { store, runId } = await record();
    const report = await replayRun({ store, runRef: runId, environment: editedGraph('version') });
    assert.equal(report.identical, true);
    assert.match(report.notes.join('\n'), /environment graph is version 2; the run was recorded under 1/);
  });
});
