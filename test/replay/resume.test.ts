import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planResume, resumeRun } from '../../src/replay/resume.ts';
import { runRecipe } from '../../src/replay/run-recipe.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import type { RunRecipe, StoreRecord } from '../../src/store/records.ts';
import { forkRun } from '../../src/replay/fork.ts';
import { loadRunTree } from '../../src/replay/family.ts';
import type { Store } from '../../src/store/store.ts';
import type { Task, Transition } from '../../src/core/environment.ts';
import { ReplayError } from '../../src/core/errors.ts';
import { graphEnvironment, graphTask, type GraphAction, type GraphSpec, type GraphState } from '../../src/testing/graph-env.ts';
import { treeShape } from './kill-cli.ts';

const RECIPE: RunRecipe = {
  env: 'strips',
  tasks: 'generate:blocksworld?count=4&blocks=5&length=8',
  strategy: 'mcts',
  strategyOptions: { simulations: 120 },
  budget: {},
  seed: 5,
  scorers: ['heuristic'],
  model: null,
  taskConcurrency: 2,
};

async function outcome(store: Store, runId: string) {
  const { results, end } = await store.getRun(runId);
  const tasks = [];
  for (const r of [...results].sort((a, b) => a.taskId.localeCompare(b.taskId))) {
    const tree = await store.getTree(runId, r.taskId);
    tasks.push({ task: r.taskId, outcome: r.outcome, plan: r.plan, expansions: r.expansions, nodes: r.nodes, shape: treeShape(tree), candidates: tree.candidates.length });
  }
  return { status: end?.status, tasks };
}

describe('resumeRun', () => {
  test('an interrupted run (Ctrl-C) resumes in place to the uninterrupted result, tasks searched two at a time', async () => {
    const reference = createMemoryStore();
    const whole = await runRecipe(RECIPE, { store: reference });
    const expected = await outcome(reference, whole.runId);

    const store = createMemoryStore();
    const stop = new AbortController();
    let ended = 0;
    const cut = await runRecipe(RECIPE, { store, signal: stop.signal, onEvent: (e) => e.type === 'task_end' && ++ended === 1 && stop.abort() });
    assert.equal(cut.status, 'interrupted');
    const before = await store.getRun(cut.runId);
    assert.ok(before.results.some((r) => r.stopReason === 'interrupted'), 'a task was cut short and recorded as interrupted');
    const nodesBefore = (await Promise.all(before.results.map((r) => store.getTree(cut.runId, r.taskId)))).flatMap((t) => t.nodes);

    const resumed = await resumeRun(await planResume(store, cut.runId), { store });
    assert.equal(resumed.runId, cut.runId, 'resumed in place');
    assert.equal(resumed.status, 'completed');
    assert.ok(resumed.kept.nodes >= nodesBefore.length && resumed.kept.tasksFinished >= 1);
    const actual = await outcome(store, cut.runId);
    assert.deepEqual(actual, expected);
    assert.equal((await store.listRuns()).length, 1);
    // Every node recorded before the interruption is still there, as it was.
    const after = new Map((await Promise.all(actual.tasks.map((t) => store.getTree(cut.runId, t.task)))).flatMap((t) => t.nodes).map((n) => [n.id, n]));
    for (const node of nodesBefore) assert.deepEqual(after.get(node.id), node);

    await assert.rejects(planResume(store, cut.runId), /already completed/);
  });

  test('a fork cut off after any number of its records resumes from its node, with its given action, to the same tree', async () => {
    const recipe: RunRecipe = { ...RECIPE, tasks: 'generate:blocksworld?count=1&blocks=5&length=8', strategy: 'bfs', strategyOptions: { width: 3 }, taskConcurrency: 1 };
    const written: StoreRecord[] = [];
    const full = createMemoryStore();
    const recording: Store = Object.create(full, { append: { value: (r: StoreRecord) => (written.push(r), full.append(r)) } });
    const origin = await runRecipe(recipe, { store: recording });
    const originRecords = written.length;
    const tree = await full.getTree(origin.runId, origin.results[0].taskId);
    const node = tree.nodes.find((n) => n.depth === 2 && n.duplicateOf === null && !n.terminal)!;
    // A step to a state not reached before (a step back would lead onto the shared path, which fork refuses).
    const action = tree.candidates.find((c) => c.nodeId === node.id && tree.nodes.some((n) => n.candidateId === c.id && n.duplicateOf === null))!.text;
    const fork = await forkRun({ store: recording, nodeId: node.id, changes: { action, strategy: 'dfs' } });
    const expected = await loadRunTree(full, fork.runId, fork.results[0].taskId);
    const forkRecords = written.slice(originRecords);
    // A crash keeps a prefix of what was appended; cut the fork's records at several points and resume each.
    for (const keep of [1, 3, Math.floor(forkRecords.length / 2), forkRecords.length - 2]) {
      const crashed = createMemoryStore();
      for (const r of [...written.slice(0, originRecords), ...forkRecords.slice(0, keep)]) crashed.append(r);
      const resumed = await resumeRun(await planResume(crashed, fork.runId), { store: crashed });
      assert.equal(resumed.status, 'completed');
      const again = await loadRunTree(crashed, fork.runId, fork.results[0].taskId);
      assert.deepEqual(treeShape(again), treeShape(expected), `cut after ${keep} of ${forkRecords.length} records`);
      assert.deepEqual(again.result?.plan, expected.result?.plan);
      assert.equal(again.nodes.filter((n) => n.runId === fork.runId).length, expected.nodes.filter((n) => n.runId === fork.runId).length);
      assert.equal((await crashed.getRun(fork.runId)).run.origin?.nodeId, node.id);
    }
  });

  test('stops, naming the node, when a step recomputes differently from its record (the environment changed)', async () => {
    const written: StoreRecord[] = [];
    const full = createMemoryStore();
    const recording: Store = Object.create(full, { append: { value: (r: StoreRecord) => (written.push(r), full.append(r)) } });
    const graph = { start: 'a', goal: 'g', edges: { a: ['b', 'c'], b: ['d'], c: ['e'], d: ['g'], e: ['f'], f: ['g'] } };
    const recipe: RunRecipe = { env: 'graph', tasks: 'inline', strategy: 'bfs', strategyOptions: { width: 'all' }, budget: {}, seed: 1, scorers: ['heuristic'], model: null };
    const { runId } = await runRecipe(recipe, { store: recording, environment: graphEnvironment, tasks: [graphTask('walk', graph)] });
    const crashed = createMemoryStore();
    for (const r of written.filter((r) => r.type !== 'task_result' && r.type !== 'run_end' && r.type !== 'node_stats')) crashed.append(r);
    const edited = { ...graphEnvironment, load: (task: Task<GraphSpec>) => {
      const problem = graphEnvironment.load(task);
      return { ...problem, step: (state: GraphState, action: GraphAction) => ({ ...(problem.step(state, action) as Transition<GraphState>), reward: action.to === 'd' ? 0.5 : 0 }) };
    } };
    const atD = (await full.getTree(runId, 'walk')).nodes.find((n) => n.actionText === 'go d')!;
    await assert.rejects(resumeRun(await planResume(crashed, runId, edited), { store: crashed, environment: edited }), (error: unknown) =>
      error instanceof ReplayError && error.message === `resuming run ${runId} diverged from its record at node ${atD.id}: reward was 0, now 0.5`);
  });
});
