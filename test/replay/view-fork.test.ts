import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forkRun } from '../../src/replay/fork.ts';
import { runRecipe } from '../../src/replay/run-recipe.ts';
import type { RunRecipe } from '../../src/store/records.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { startViewServer } from '../../src/view/server.ts';
import { tempStorePath } from '../store/temp-store-path.ts';
import { fakeDist, getJson } from '../view/view-server-kit.ts';

test('the viewer shows a fork as its shared path followed by its own steps, and compares it with its origin', async () => {
  const path = tempStorePath();
  const writer = openSqliteStore(path);
  const recipe: RunRecipe = { env: 'strips', tasks: 'generate:blocksworld?count=1&blocks=5&length=8', strategy: 'bfs', strategyOptions: { width: 3 }, budget: {}, seed: 2, scorers: ['heuristic'], model: null };
  const origin = await runRecipe(recipe, { store: writer });
  const taskId = origin.results[0].taskId;
  const tree = await writer.getTree(origin.runId, taskId);
  const node = tree.nodes.find((n) => n.depth === 2 && n.duplicateOf === null && !n.terminal)!;
  const fork = await forkRun({ store: writer, nodeId: node.id, changes: { strategy: 'dfs' } });
  await writer.close();

  const store = openSqliteStore(path, { readonly: true });
  const server = await startViewServer({ store, port: 0, distDir: fakeDist() });
  try {
    const forkTree = await getJson(server, `/api/runs/${fork.runId}/tasks/${taskId}/tree?whole=1`);
    assert.equal(forkTree.status, 200);
    assert.equal(forkTree.body.rootId, tree.nodes[0].id, 'the fork’s tree starts at its origin’s root');
    const own = (await store.getTree(fork.runId, taskId)).nodes.length;
    assert.equal(forkTree.body.nodeCount, own + node.depth + 1);
    const quick = await getJson(server, `/api/runs/${fork.runId}/tasks/${taskId}/tree?rows=5`);
    assert.equal(quick.body.rootId, tree.nodes[0].id);

    const borrowed = await getJson(server, `/api/runs/${fork.runId}/nodes/${node.id}`);
    assert.equal(borrowed.status, 200);
    assert.equal(borrowed.body.node.id, node.id);

    const compared = await getJson(server, `/api/compare?runA=${origin.runId}&nodeA=${node.id}&runB=${fork.runId}&nodeB=${fork.results[0].solutionNodeId}`);
    assert.equal(compared.status, 200);
    assert.deepEqual(compared.body.b.steps.slice(0, node.depth + 1).map((s: { actionText: string | null }) => s.actionText), compared.body.a.steps.slice(0, node.depth + 1).map((s: { actionText: string | null }) => s.actionText));
    assert.equal(compared.body.divergeAt, node.depth + 1, 'the paths part right after the shared one');
  } finally {
    await server.close();
    await store.close();
  }
});
