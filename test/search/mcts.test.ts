import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineProposer, type Proposer } from '../../src/core/step.ts';
import { enumerateProposer } from '../../src/propose/enumerate.ts';
import { heuristicScorer } from '../../src/score/heuristic.ts';
import { runSearch } from '../../src/search/run.ts';
import { mcts, type MctsConfig } from '../../src/search/strategies/mcts.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { graphEnvironment, graphTask, type GraphAction, type GraphSpec, type GraphState } from '../../src/testing/graph-env.ts';

const enumerate = enumerateProposer<GraphState, GraphAction>();
const heuristic = heuristicScorer<GraphState, GraphAction>();

/** A goal-less tree `branching` wide and `depth` deep, with distinct values so selection order is fixed. */
function wideTree(id: string, branching: number, depth: number): GraphSpec {
  const edges: Record<string, string[]> = {};
  const values: Record<string, number> = {};
  const grow = (name: string, level: number) => {
    if (level === depth) return;
    edges[name] = Array.from({ length: branching }, (_, i) => `${name}.${i}`);
    edges[name].forEach((child, i) => {
      values[child] = (i + 1) / (branching + 1);
      grow(child, level + 1);
    });
  };
  grow('r', 0);
  return { start: 'r', goal: `${id}-none`, edges, values };
}

async function search(spec: GraphSpec, config: MctsConfig, extra: { proposer?: Proposer<GraphState, GraphAction>; concurrency?: number } = {}) {
  const store = createMemoryStore();
  const task = graphTask('t', spec);
  const { results, runId } = await runSearch({
    env: graphEnvironment,
    tasks: [task],
    proposer: extra.proposer ?? enumerate,
    scorers: [heuristic],
    strategy: mcts(config),
    concurrency: extra.concurrency ?? 8,
    store,
    seed: 3,
  });
  return { result: results[0], tree: await store.getTree(runId, task.id) };
}

describe('mcts executes candidates lazily', () => {
  it('creates a node only for candidates selection took, each at most once', async () => {
    const { result, tree } = await search(wideTree('wide', 6, 4), { simulations: 40 });
    assert.equal(result.outcome, 'budget_exhausted');
    assert.equal(result.stopReason, 'simulations');
    // Eager expansion would have made 6 nodes per expansion; lazy makes about two.
    assert.ok(tree.nodes.length < 3 * result.expansions, `${tree.nodes.length} nodes for ${result.expansions} expansions`);
    assert.ok(tree.candidates.length >= 6 * result.expansions - 6, 'every expansion still records all its candidates');
    const executed = tree.nodes.map((n) => n.candidateId).filter((id) => id !== null);
    assert.equal(new Set(executed).size, executed.length, 'no candidate executed twice');
  });

  it('a candidate that turns out to lead to a known state costs no simulation', async () => {
    // r → a only; a → c (valued 0.9) and a → r (back to the root: a transposition); c → d.
    const spec: GraphSpec = { start: 'r', goal: 'none', edges: { r: ['a'], a: ['c', 'r'], c: ['d'], d: ['e'] }, values: { a: 0.5, c: 0.9, r: 0.1, d: 0.2 } };
    const { result, tree } = await search(spec, { simulations: 3 });
    // Simulation 3 selects the untried a → r, finds a transposition, and selects again within the same simulation.
    assert.equal(result.expansions, 3);
    assert.ok(tree.nodes.some((n) => n.duplicateOf !== null && n.actionText === 'go r'));
  });

  it('proves unsolvability only after executing every usable candidate', async () => {
    const unreachable: GraphSpec = { start: 's', goal: 'g', edges: { s: ['a', 'b'], a: ['b', 's', 'c'], b: ['a', 'c'], c: ['s'], g: [] } };
    const { result, tree } = await search(unreachable, {});
    assert.equal(result.outcome, 'unsolvable');
    const executed = new Set(tree.nodes.map((n) => n.candidateId));
    for (const candidate of tree.candidates) assert.ok(executed.has(candidate.id), `candidate ${candidate.text} of ${candidate.nodeId} executed`);
  });

  for (const config of [{ variant: 'puct' }, { rolloutDepth: 2 }] as const) {
    it(`solves past a trap with ${JSON.stringify(config)}`, async () => {
      const trapped: GraphSpec = {
        start: 's',
        goal: 'g',
        edges: { s: ['a', 'b'], a: ['trap'], b: ['c', 's'], c: ['g', 'b'] },
        values: { a: 0.9, trap: 0.95, b: 0.5, c: 0.6, g: 1 },
      };
      const { result } = await search(trapped, config);
      assert.equal(result.outcome, 'solved');
      assert.deepEqual(result.plan, ['go b', 'go c', 'go g']);
    });
  }
});

describe('mcts keeps call slots busy', () => {
  it('backs off a subtree whose every leaf is busy instead of waiting, within the concurrency', async () => {
    let active = 0;
    let peak = 0;
    let othersInFlight = 0;
    const nodeIds: string[] = [];
    const slow: Proposer<GraphState, GraphAction> = defineProposer({
      name: 'slow',
      async propose(ctx) {
        nodeIds.push(ctx.nodeId);
        othersInFlight += active;
        peak = Math.max(peak, ++active);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active--;
        return enumerate.propose(ctx);
      },
    });
    // A high-valued chain under a (one leaf to expand at a time) and a wide, low-valued tree under b.
    const edges: Record<string, string[]> = { r: ['a', 'b'] };
    const values: Record<string, number> = { a: 0.9, b: 0.2 };
    for (let i = 0; i < 40; i++) {
      edges[i === 0 ? 'a' : `a${i}`] = [`a${i + 1}`];
      values[`a${i + 1}`] = 0.9;
    }
    const wide = wideTree('b', 4, 4);
    for (const [from, to] of Object.entries(wide.edges)) edges[from.replace(/^r/, 'b')] = to.map((t) => t.replace(/^r/, 'b'));
    const { result } = await search({ start: 'r', goal: 'none', edges, values }, { simulations: 60 }, { proposer: slow, concurrency: 4 });
    assert.equal(result.expansions, 60);
    assert.equal(new Set(nodeIds).size, nodeIds.length, 'no node expanded twice');
    assert.equal(peak, 4, 'all four slots used, and never more');
    // Waiting for the chain instead would leave about one other call in flight on average.
    const meanOthers = othersInFlight / nodeIds.length;
    assert.ok(meanOthers > 2, `mean other calls in flight ${meanOthers.toFixed(2)}`);
  });

  it('is deterministic for a seed with a deterministic proposer', async () => {
    const shape = async () => (await search(wideTree('det', 5, 4), { simulations: 50 })).tree.nodes.map((n) => `${n.depth}:${n.actionText}`);
    assert.deepEqual(await shape(), await shape());
  });
});
