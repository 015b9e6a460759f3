import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { registerPlugin } from '../../src/registry/plugin.ts';
import { guards } from '../../src/recipe/components.ts';
import { parseRecipe } from '../../src/recipe/schema.ts';
import { runRecipe } from '../../src/recipe/run-recipe.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { graphEnvironment, graphTask, type GraphAction, type GraphState } from '../../src/testing/graph-env.ts';
import type { Guard, Proposer } from '../../src/core/step.ts';
import type { RunRecipe } from '../../src/store/records.ts';

// s → a → g and s → b → g; the guard forbids b.
const task = graphTask('two-ways', { start: 's', goal: 'g', edges: { s: ['b', 'a'], a: ['g'], b: ['g'] } });

registerPlugin({
  name: 'graph-rules',
  version: '0.1.0',
  environments: [{ env: graphEnvironment, describe: 'a test graph', taskSpecs: ['two-ways'], loadTasks: () => [task] }],
  guards: [{
    name: 'avoid',
    describe: 'denies steps to one vertex',
    options: z.object({ vertex: z.string() }).strict(),
    create: ({ vertex }): Guard<GraphState, GraphAction> => ({ name: `avoid:${vertex}`, check: (_ctx, c) => (c.action?.to === vertex ? { decision: 'deny', reason: `${vertex} is out of bounds` } : { decision: 'allow' }) }),
  }],
  proposers: [{
    name: 'alphabetical',
    describe: 'legal actions, sorted by target vertex',
    options: z.object({}).strict(),
    create: (): Proposer<GraphState, GraphAction> => ({
      name: 'alphabetical',
      local: true,
      async propose(ctx) {
        const actions = [...(await ctx.problem.legalActions!(ctx.state))].sort((x, y) => x.to.localeCompare(y.to));
        return { candidates: actions.map((action) => ({ action, text: ctx.env.formatAction(action), proposer: 'alphabetical' })), complete: true };
      },
    }),
  }],
}, '/plugins/graph-rules.mjs');

const recipe: RunRecipe = {
  env: 'graph', tasks: 'two-ways', strategy: 'bfs', strategyOptions: { width: 'all' }, budget: {}, seed: 0, scorers: ['none'], model: null,
  proposer: { name: 'alphabetical' },
  guards: [{ name: 'avoid', options: { vertex: 'b' } }],
};

describe('the recipe builds every component through the registries', () => {
  it("uses a plug-in's proposer and guard by name, and records the plug-in in the run's recipe", async () => {
    const store = createMemoryStore();
    const result = await runRecipe(recipe, { store });
    const tree = await store.getTree(result.runId, 'two-ways');
    const denied = tree.candidates.filter((c) => c.invalidReason);
    assert.deepEqual(denied.map((c) => [c.text, c.invalidReason]), [['go b', 'denied by guard avoid:b: b is out of bounds']]);
    assert.equal(tree.candidates[0].proposer, 'alphabetical');
    assert.equal(tree.result?.outcome, 'solved');
    const { run } = await store.getRun(result.runId);
    assert.deepEqual(run.provenance?.recipe?.plugins, [{ name: 'graph-rules', version: '0.1.0', specifier: '/plugins/graph-rules.mjs' }]);
  });

  it('refuses a guard option of the wrong type, naming the guard and the option', async () => {
    await assert.rejects(runRecipe({ ...recipe, guards: [{ name: 'avoid', options: { vertex: 3 } }] }, { store: createMemoryStore() }), /option "vertex" of guard avoid/);
  });

  it('names the built-in guards in the same registry', () => {
    assert.equal(guards.create('policy', {}, { client: null, model: null }).name, 'policy');
    assert.equal(guards.create('flow', {}, { client: null, model: null }).name, 'information-flow');
    assert.throws(() => guards.create('policy', { policy: 3 }, { client: null, model: null }), /option "policy" of guard policy/);
    assert.throws(() => guards.create('flow', { rules: { outside: { write: 'maybe' } } }, { client: null, model: null }), /the guard policy in the run's recipe is not a valid guard policy: outside\.write/);
    assert.throws(() => guards.create('judged', {}, { client: null, model: null }), /guard judged is a model judge, but no model is configured/);
  });

  it('reads a recipe as JSON, keeping fields it does not know, and names bad fields', () => {
    const parsed = parseRecipe({ env: 'graph', tasks: 'x', strategy: 'bfs', future: 1 });
    assert.deepEqual([parsed.scorers, parsed.seed, (parsed as unknown as { future: number }).future], [['heuristic'], 0, 1]);
    assert.throws(() => parseRecipe({ env: 'graph', tasks: 'x', strategy: 'bfs', seed: 1.5 }), /seed: /);
  });
});
