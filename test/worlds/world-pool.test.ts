import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineScorer, type Scorer } from '../../src/core/step.ts';
import { enumerateProposer } from '../../src/propose/enumerate.ts';
import { heuristicScorer } from '../../src/score/heuristic.ts';
import { runSearch, type RunOptions } from '../../src/search/run.ts';
import { bfs, mcts } from '../../src/search/strategies/index.ts';
import type { Strategy } from '../../src/search/strategy.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { ledgerEnvironment, ledgerTask, type LedgerAction, type LedgerOptions, type LedgerState, type LedgerTally } from '../../src/testing/ledger-world.ts';
import type { NodeRecord } from '../../src/store/records.ts';

type Options = Partial<RunOptions<LedgerState, LedgerAction>> & { ledger?: LedgerOptions; target?: number; amounts?: number[] };

async function ledgerRun(options: Options = {}) {
  const { env, tally } = ledgerEnvironment(options.ledger);
  const store = createMemoryStore();
  const task = ledgerTask('t', options.target ?? 7, options.amounts ?? [1, 2, 5]);
  let error: unknown = null;
  let result: Awaited<ReturnType<typeof runSearch>> | null = null;
  try {
    result = await runSearch<LedgerState, LedgerAction>({
      env,
      tasks: [task],
      proposer: enumerateProposer(),
      strategy: options.strategy ?? bfs(),
      maxDepth: 4,
      store,
      ...options,
    });
  } catch (caught) {
    error = caught;
  }
  const tree = await store.getTree(result?.runId ?? (await store.listRuns())[0].run.id, 't');
  return { result, error, tally, tree };
}

/** Every world the run opened was closed, and the problem too, once. */
function assertAllClosed(tally: LedgerTally) {
  assert.ok(tally.opened > 0, 'the run opened worlds');
  assert.equal(tally.live, 0, `${tally.live} world(s) left open`);
  assert.equal(tally.closed, tally.opened);
  assert.equal(tally.problemsClosed, 1);
}

/** The world a step ran in was at the node's position: each observation's total is the sum of its path's amounts. */
function assertPositioned(nodes: NodeRecord[]) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const totalOf = (node: NodeRecord): number => (node.parentId ? totalOf(byId.get(node.parentId)!) + (node.action as LedgerAction).add : 0);
  for (const node of nodes) {
    if (!node.parentId || !node.check.valid) continue;
    assert.equal(node.observation, `the total is now ${totalOf(node)}`, `node ${node.id} ran in a world at the wrong position`);
  }
}

describe('world pool: each step once, in a world at its parent', () => {
  for (const [label, ledger, maxWorlds] of [
    ['snapshot/restore', { snapshots: true }, 2],
    ['re-execution (no snapshots)', { snapshots: false }, 2],
    ['one world for the whole tree', { snapshots: false }, 1],
  ] as const) {
    it(`BFS solves the ledger with ${label}, every world closed`, async () => {
      const { result, tally, tree } = await ledgerRun({ ledger, maxWorlds });
      assert.equal(result!.results[0].outcome, 'solved');
      assertPositioned(tree.nodes);
      assertAllClosed(tally);
      assert.ok(tally.peak <= maxWorlds, `peak ${tally.peak} worlds > bound ${maxWorlds}`);
      // Each recorded node was stepped once for itself; repositioning is counted apart.
      if (ledger.snapshots) assert.ok(tally.restores > 0, 'siblings were reached by restore');
      else assert.ok(tally.steps > tree.nodes.length - 1, 'siblings were reached by re-executing their prefix');
    });
  }

  it('MCTS with parallel simulations stays within the bound and positions every world', async () => {
    const { result, tally, tree } = await ledgerRun({
      strategy: mcts({ simulations: 60, parallel: 6, stopOnSolution: false }),
      concurrency: 4,
      maxWorlds: 3,
      target: 40,
      amounts: [1, 2, 3],
      maxDepth: 8,
      scorers: [heuristicScorer()],
    });
    assert.equal(result!.status, 'completed');
    assert.ok(tree.nodes.length > 20);
    assertPositioned(tree.nodes);
    assert.ok(tally.peak <= 3);
    assertAllClosed(tally);
  });

  it('the heuristic scorer gives no score instead of looking ahead', async () => {
    const { tree } = await ledgerRun({ scorers: [heuristicScorer()] });
    assert.ok(tree.candidates.length > 0);
    assert.ok(tree.candidates.every((c) => c.scores.length === 0));
  });

  it('a scorer that looks ahead gets a clear error, and the failed run still closes every world', async () => {
    const peeking: Scorer<LedgerState, LedgerAction> = defineScorer({ name: 'peek', local: true, score: async (ctx, cs) => Promise.all(cs.map(async (c) => (await ctx.lookahead(c)).reward)) });
    const { error, tally } = await ledgerRun({ scorers: [peeking] });
    assert.match(String(error), /has side effects: a scorer cannot look ahead/);
    assert.equal(tally.live, 0);
    assert.equal(tally.problemsClosed, 1);
  });

  it('a world that crashes is a failed step with its reason; the run goes on and closes everything', async () => {
    const { result, tally, tree } = await ledgerRun({ ledger: { crashOn: 5 } });
    assert.equal(result!.results[0].outcome, 'solved');
    const crashed = tree.nodes.filter((n) => (n.action as LedgerAction | null)?.add === 5);
    assert.ok(crashed.length > 0);
    for (const node of crashed) {
      assert.equal(node.check.valid, false);
      assert.match(node.check.reason!, /the world failed: the ledger crashed adding 5/);
    }
    assertAllClosed(tally);
  });

  it('Ctrl-C while a world hangs: the run ends interrupted and every world is closed', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { result, tally } = await ledgerRun({ ledger: { hangOn: 2 }, signal: controller.signal });
    assert.equal(result!.status, 'interrupted');
    assertAllClosed(tally);
  });

  it('a budget stop closes every world', async () => {
    const { result, tally } = await ledgerRun({ budget: { expansions: 2 }, target: 30, maxDepth: 10 });
    assert.equal(result!.results[0].outcome, 'budget_exhausted');
    assertAllClosed(tally);
  });

  it('an exception in a strategy closes every world', async () => {
    const failing: Strategy = { name: 'failing', config: {}, async search(tree) {
      await tree.expandAll(tree.root);
      throw new Error('strategy bug');
    } };
    const { error, tally } = await ledgerRun({ strategy: failing });
    assert.match(String(error), /strategy bug/);
    assertAllClosed(tally);
  });

  it('re-execution that gives another observation is a recorded divergence, never accepted silently', async () => {
    const { tally, tree } = await ledgerRun({ ledger: { snapshots: false, diverge: true }, maxWorlds: 1 });
    const diverged = tree.nodes.filter((n) => n.check.detail?.field === 'observation');
    assert.ok(diverged.length > 0, 'a divergence was recorded');
    assert.match(diverged[0].check.reason!, /re-executing the recorded step of node .* gave another observation: recorded "the total is now \d+", now "the total is now \d+ \(world \d+\)"/);
    assert.equal(tally.live, 0);
  });
});
