import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineGuard, defineProposer, type Proposer } from '../../src/core/step.ts';
import { enumerateProposer } from '../../src/propose/enumerate.ts';
import { scriptedProposer } from '../../src/propose/scripted.ts';
import { heuristicScorer } from '../../src/score/heuristic.ts';
import { runSearch } from '../../src/search/run.ts';
import { createStrategy, strategies } from '../../src/search/strategies/index.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { graphEnvironment, graphTask, type GraphAction, type GraphState } from '../../src/testing/graph-env.ts';

// s → a → trap (dead end, but valued highly), s → b → c → g. Shortest solution: go b, go c, go g.
const trapped = graphTask('trapped', {
  start: 's',
  goal: 'g',
  edges: { s: ['a', 'b'], a: ['trap'], b: ['c', 's'], c: ['g', 'b'] },
  values: { a: 0.9, trap: 0.95, b: 0.5, c: 0.6, g: 1 },
});
// A cycle with no way out to the goal.
const unreachable = graphTask('unreachable', {
  start: 's',
  goal: 'g',
  edges: { s: ['a', 'b'], a: ['b', 's'], b: ['a'], g: [] },
});

const enumerate = enumerateProposer<GraphState, GraphAction>();
const heuristic = heuristicScorer<GraphState, GraphAction>();

function run(strategy: string, tasks = [trapped], options: Record<string, string> = {}, extra = {}) {
  return runSearch({
    env: graphEnvironment,
    tasks,
    proposer: enumerate,
    scorers: [heuristic],
    strategy: createStrategy(strategy, options),
    seed: 7,
    ...extra,
  });
}

describe('strategies', () => {
  it('greedy follows the heuristic into the trap and reports failed, not unsolvable', async () => {
    const { results } = await run('greedy');
    assert.equal(results[0].outcome, 'failed');
    assert.equal(results[0].plan, null);
  });

  for (const name of ['bfs', 'dfs', 'beam', 'mcts']) {
    it(`${name} escapes the trap and returns the plan in the shared result shape`, async () => {
      const { results, stats } = await run(name, [trapped], name === 'bfs' || name === 'beam' ? { width: '2' } : {});
      const [result] = results;
      assert.equal(result.outcome, 'solved');
      assert.deepEqual(result.plan, ['go b', 'go c', 'go g']);
      assert.ok(result.solutionNodeId);
      assert.equal(stats.solved, 1);
      assert.ok(result.expansions > 0 && result.nodes > result.expansions);
    });
  }

  it('exhaustive strategies prove an unreachable goal unsolvable; greedy and a pruning beam cannot', async () => {
    for (const [name, options] of [['bfs', { width: 'all' }], ['dfs', {}], ['mcts', {}]] as const) {
      const { results } = await run(name, [unreachable], options);
      assert.equal(results[0].outcome, 'unsolvable', name);
    }
    assert.equal((await run('greedy', [unreachable])).results[0].outcome, 'failed');
    assert.equal((await run('beam', [unreachable], { width: '1' })).results[0].outcome, 'failed');
  });

  it('a sampled proposal (k below the legal count) never claims unsolvable', async () => {
    const { results } = await run('dfs', [unreachable], { k: '1' });
    assert.equal(results[0].outcome, 'failed');
  });

  it('a depth limit that cuts the search makes it failed, not unsolvable', async () => {
    const { results } = await run('bfs', [trapped], { width: 'all' }, { maxDepth: 2 });
    assert.equal(results[0].outcome, 'failed');
  });

  it('stops at the expansion budget and says which budget', async () => {
    const { results } = await run('dfs', [trapped], {}, { budget: { expansions: 1 } });
    assert.equal(results[0].outcome, 'budget_exhausted');
    assert.equal(results[0].stopReason, 'expansions');
    assert.equal(results[0].expansions, 1);
  });

  it('stops on the wall-time budget', async () => {
    const slow: Proposer<GraphState, GraphAction> = defineProposer({
      name: 'slow',
      async propose(ctx) {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return enumerate.propose(ctx);
      },
    });
    const { results } = await run('dfs', [unreachable], {}, { proposer: slow, budget: { wallMs: 40 } });
    assert.equal(results[0].outcome, 'budget_exhausted');
    assert.equal(results[0].stopReason, 'wallMs');
  });

  it('records the same kinds of records for every strategy, and nothing after the task result', async () => {
    for (const name of strategies.names()) {
      const store = createMemoryStore();
      const { runId } = await run(name, [trapped], {}, { store });
      const tree = await store.getTree(runId, 'trapped');
      assert.ok(tree.result, `${name} wrote a task result`);
      assert.equal(tree.result.nodes, tree.nodes.length, `${name}: every node recorded`);
      const ids = new Set(tree.nodes.map((n) => n.id));
      for (const node of tree.nodes) if (node.parentId) assert.ok(ids.has(node.parentId), `${name}: parent recorded`);
      for (const c of tree.candidates) assert.ok(ids.has(c.nodeId));
      const selected = [...tree.stats.values()].filter((s) => s.selected);
      assert.ok(selected.length > 0, `${name}: a chosen path is marked`);
    }
  });

  it('is deterministic for a seed, including sampled selection and MCTS', async () => {
    for (const [name, options] of [['bfs', { select: 'sample', width: '1' }], ['mcts', { simulations: '30' }], ['best-of-k', { k: '1' }]] as const) {
      const texts = async () => {
        const store = createMemoryStore();
        const { runId } = await run(name, [trapped, unreachable], options, { store });
        const tree = await store.getTree(runId, 'trapped');
        return tree.nodes.map((n) => `${n.parentId?.split('.')[1]}>${n.actionText}`);
      };
      assert.deepEqual(await texts(), await texts(), name);
    }
  });

  it('recognises transpositions and never expands a repeated state', async () => {
    const store = createMemoryStore();
    const { runId } = await run('bfs', [unreachable], { width: 'all' }, { store });
    const tree = await store.getTree(runId, 'unreachable');
    const expanded = new Set(tree.candidates.map((c) => c.nodeId));
    const expandedKeys = tree.nodes.filter((n) => expanded.has(n.id)).map((n) => n.stateKey);
    assert.equal(new Set(expandedKeys).size, expandedKeys.length);
    assert.ok(tree.nodes.some((n) => n.duplicateOf !== null));
  });

  it('turns unparsable proposals into invalid candidates instead of crashing', async () => {
    const store = createMemoryStore();
    const proposer = scriptedProposer<GraphState, GraphAction>({ 0: ['go b', '!!nonsense', 'go nowhere'], 1: ['go c'], 2: ['go g'] });
    const { results, runId } = await runSearch({ env: graphEnvironment, tasks: [trapped], proposer, strategy: createStrategy('greedy'), store });
    assert.equal(results[0].outcome, 'solved');
    const tree = await store.getTree(runId, 'trapped');
    const rootCandidates = tree.candidates.filter((c) => c.nodeId === tree.nodes[0].id);
    assert.equal(rootCandidates.length, 3);
    assert.match(rootCandidates[1].invalidReason ?? '', /expected "go <vertex>"/);
    assert.equal(rootCandidates[1].action, null);
  });

  it('guards deny candidates with a recorded reason, or stop the run', async () => {
    const noA = defineGuard<GraphState, GraphAction>({
      name: 'no-a',
      check: (_ctx, c) => (c.action?.to === 'a' ? { decision: 'deny', reason: 'a is off limits' } : { decision: 'allow' }),
    });
    const store = createMemoryStore();
    const { results, runId } = await run('greedy', [trapped], {}, { guards: [noA], store });
    assert.equal(results[0].outcome, 'solved');
    const tree = await store.getTree(runId, 'trapped');
    assert.ok(tree.candidates.some((c) => c.invalidReason === 'denied by guard no-a: a is off limits'));

    const halt = defineGuard<GraphState, GraphAction>({ name: 'halt', check: () => ({ decision: 'stop', reason: 'enough' }) });
    const stopped = await run('bfs', [trapped], {}, { guards: [halt] });
    assert.equal(stopped.results[0].outcome, 'budget_exhausted');
    assert.equal(stopped.results[0].stopReason, 'guard halt: enough');
  });
});

describe('mcts in parallel', () => {
  it('keeps parallel simulations on different nodes (virtual loss) and expands each node once', async () => {
    const calls: string[] = [];
    let active = 0;
    let peak = 0;
    const slow: Proposer<GraphState, GraphAction> = defineProposer({
      name: 'slow',
      async propose(ctx) {
        calls.push(ctx.nodeId);
        peak = Math.max(peak, ++active);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active--;
        return enumerate.propose(ctx);
      },
    });
    // A wide, deep graph with no goal: the search runs all its simulations.
    const edges: Record<string, string[]> = {};
    for (let d = 0; d < 4; d++) for (let i = 0; i < 6 ** d; i++) edges[`n${d}_${i}`] = Array.from({ length: 6 }, (_, j) => `n${d + 1}_${i * 6 + j}`);
    const wide = graphTask('wide', { start: 'n0_0', goal: 'none', edges });
    const { results } = await runSearch({
      env: graphEnvironment,
      tasks: [wide],
      proposer: slow,
      strategy: createStrategy('mcts', { simulations: '60' }),
      concurrency: 8,
    });
    assert.equal(new Set(calls).size, calls.length, 'no node expanded twice');
    assert.ok(peak >= 6, `parallel simulations ran concurrently (peak ${peak})`);
    assert.equal(results[0].outcome, 'budget_exhausted');
    assert.equal(results[0].stopReason, 'simulations');
  });
});

describe('fatal errors', () => {
  it('a fatal proposer error ends the run, records why, and stops the other tasks', async () => {
    const { StepwiseError } = await import('../../src/core/errors.ts');
    let calls = 0;
    const broken = defineProposer<GraphState, GraphAction>({
      name: 'broken',
      propose() {
        calls++;
        throw new StepwiseError('model', 'OPENAI_API_KEY is not set', { fatal: true });
      },
    });
    const store = createMemoryStore();
    await assert.rejects(
      runSearch({ env: graphEnvironment, tasks: [trapped, unreachable], proposer: broken, strategy: createStrategy('bfs'), store, runId: 'rfatal' }),
      /OPENAI_API_KEY is not set/,
    );
    assert.equal(calls, 1, 'the second task never started');
    const { end } = await store.getRun('rfatal');
    assert.equal(end?.status, 'failed: OPENAI_API_KEY is not set');
  });

  it('a non-fatal proposer error becomes an invalid candidate and the search goes on', async () => {
    const flaky = defineProposer<GraphState, GraphAction>({
      name: 'flaky',
      propose(ctx) {
        if (ctx.depth === 0) throw new Error('reply was cut off');
        return enumerate.propose(ctx);
      },
    });
    const store = createMemoryStore();
    const { results, runId } = await runSearch({ env: graphEnvironment, tasks: [trapped], proposer: flaky, strategy: createStrategy('greedy'), store });
    assert.equal(results[0].outcome, 'failed');
    const tree = await store.getTree(runId, 'trapped');
    assert.equal(tree.candidates[0].invalidReason, 'proposer failed: reply was cut off');
  });
});
