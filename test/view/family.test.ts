import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { storeCredit } from '../../src/credit/annotations.ts';
import { computeCredit } from '../../src/credit/compute.ts';
import { forkRun } from '../../src/replay/fork.ts';
import { runRecipe } from '../../src/replay/run-recipe.ts';
import type { NodeRecord, RunRecipe } from '../../src/store/records.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/store.ts';
import { startViewServer, type ViewServer } from '../../src/view/server.ts';
import { tempStorePath } from '../store/temp-store-path.ts';
import { fakeDist, getJson } from './view-server-kit.ts';

const recipe: RunRecipe = { env: 'strips', tasks: 'generate:blocksworld?count=1&blocks=5&length=8', strategy: 'bfs', strategyOptions: { width: 3 }, budget: {}, seed: 2, scorers: ['heuristic'], model: null };

let store: Store;
let storePath: string;
let server: ViewServer;
let ids: { origin: string; fork: string; forkOfFork: string; other: string; taskId: string; forkAt: NodeRecord; forkAt2: string; forkSolution: string | null };

before(async () => {
  const path = (storePath = tempStorePath());
  const writer = openSqliteStore(path);
  const origin = await runRecipe(recipe, { store: writer });
  const other = await runRecipe({ ...recipe, seed: 3 }, { store: writer });
  const taskId = origin.results[0].taskId;
  const tree = await writer.getTree(origin.runId, taskId);
  const forkAt = tree.nodes.find((n) => n.depth === 2 && n.duplicateOf === null && !n.terminal)!;
  const fork = await forkRun({ store: writer, nodeId: forkAt.id, changes: { strategy: 'dfs' } });
  const forkTree = await writer.getTree(fork.runId, taskId);
  const forkAt2 = forkTree.nodes.find((n) => !n.terminal && n.duplicateOf === null)!.id;
  const forkOfFork = await forkRun({ store: writer, nodeId: forkAt2, changes: { strategy: 'greedy' } });
  storeCredit(writer, origin.runId, taskId, computeCredit(tree));
  await writer.close();
  ids = { origin: origin.runId, fork: fork.runId, forkOfFork: forkOfFork.runId, other: other.runId, taskId, forkAt, forkAt2, forkSolution: fork.results[0].solutionNodeId };
  store = openSqliteStore(path, { readonly: true });
  server = await startViewServer({ store, port: 0, distDir: fakeDist() });
});

after(async () => {
  await server?.close();
  await store?.close();
});

test('a run’s family lists its origin, its forks and forks of forks, each placed under the run it comes from', async () => {
  for (const member of [ids.origin, ids.fork, ids.forkOfFork]) {
    const { status, body } = await getJson(server, `/api/runs/${member}/family`);
    assert.equal(status, 200);
    assert.equal(body.rootId, ids.origin, `the family of ${member} starts at the first run`);
    assert.deepEqual(body.members.map((m: { row: { id: string }; parentId: string | null; generation: number }) => [m.row.id, m.parentId, m.generation]), [
      [ids.origin, null, 0],
      [ids.fork, ids.origin, 1],
      [ids.forkOfFork, ids.fork, 2],
    ]);
  }
  const alone = await getJson(server, `/api/runs/${ids.other}/family`);
  assert.deepEqual(alone.body.members.map((m: { row: { id: string } }) => m.row.id), [ids.other], 'an unrelated run is a family of one');
  assert.equal((await getJson(server, '/api/runs/no-such-run/family')).status, 404);
});

test('each fork names what to compare with its origin: the task, the fork point and both runs’ ends', async () => {
  const { body } = await getJson(server, `/api/runs/${ids.fork}/family`);
  const [first, fork, forkOfFork] = body.members;
  assert.equal(first.compare, null);
  assert.equal(fork.compare.taskId, ids.taskId);
  assert.equal(fork.compare.forkAt, ids.forkAt.id);
  assert.equal(fork.compare.forkNode, ids.forkSolution ?? fork.compare.forkNode);
  assert.notEqual(fork.compare.forkNode, ids.forkAt.id, 'the fork went past its fork point');
  assert.equal(forkOfFork.compare.forkAt, ids.forkAt2);
  assert.deepEqual(fork.origin, { kind: 'fork', runId: ids.origin, nodeId: ids.forkAt.id });

  // The compare endpoint takes those ends: the fork's path runs through the fork point.
  const { originNode, forkNode } = fork.compare;
  const compared = await getJson(server, `/api/compare?runA=${ids.origin}&nodeA=${originNode}&runB=${ids.fork}&nodeB=${forkNode}`);
  assert.equal(compared.status, 200);
  const shared = compared.body.b.steps.slice(0, ids.forkAt.depth + 1).map((s: { id: string }) => s.id);
  assert.equal(shared.at(-1), ids.forkAt.id);
  assert.equal(compared.body.a.steps.at(-1).id, originNode);
  assert.equal(compared.body.b.steps.at(-1).id, forkNode);
});

test('a tree with stored credit carries each node’s Monte Carlo value; one without says it has none', async () => {
  const stored = new Map((await store.getAnnotations(ids.origin, { kind: 'credit', taskId: ids.taskId })).filter((a) => a.nodeId !== null).map((a) => [a.nodeId!, (a.data as { mcValue: number | null }).mcValue]));
  const { body } = await getJson(server, `/api/runs/${ids.origin}/tasks/${ids.taskId}/tree?whole=1&rows=20000`);
  assert.equal(body.hasCredit, true);
  const nodes = body.items.filter((i: { kind: string }) => i.kind === 'node');
  assert.ok(nodes.some((n: { mc: number | null }) => n.mc !== null));
  for (const item of nodes) assert.equal(item.mc, stored.get(item.id) ?? null, item.id);
  const children = await getJson(server, `/api/runs/${ids.origin}/tasks/${ids.taskId}/children?node=${nodes[0].id}`);
  assert.equal(children.body.items[0].mc, stored.get(children.body.items[0].id) ?? null);

  // The fork has no credit of its own, but its borrowed path shows the origin's.
  const forkTree = await getJson(server, `/api/runs/${ids.fork}/tasks/${ids.taskId}/tree?whole=1&rows=20000`);
  assert.equal(forkTree.body.hasCredit, true);
  assert.equal(forkTree.body.items.find((i: { id: string }) => i.id === ids.forkAt.id).mc, stored.get(ids.forkAt.id) ?? null);
  const other = await getJson(server, `/api/runs/${ids.other}/tasks/${ids.taskId}/tree?whole=1`);
  assert.equal(other.body.hasCredit, false);
});

// Issue 17: a fork's cached tree was kept while only its own credit was unchanged; its borrowed path shows its origin's credit.
test('credit written to the origin after a fork’s tree was cached shows on the fork’s borrowed path', async () => {
  const treePath = (runId: string) => `/api/runs/${runId}/tasks/${ids.taskId}/tree?whole=1&rows=20000`;
  const mcOf = (body: { items: { id: string; mc: number | null }[] }, id: string) => body.items.find((item) => item.id === id)?.mc;
  for (const runId of [ids.fork, ids.forkOfFork]) assert.notEqual(mcOf((await getJson(server, treePath(runId))).body, ids.forkAt.id), 0.125);
  const writer = openSqliteStore(storePath);
  try {
    const credit = computeCredit(await writer.getTree(ids.origin, ids.taskId));
    for (const [nodeId, node] of credit.nodes) credit.nodes.set(nodeId, { ...node, mcValue: 0.125 });
    storeCredit(writer, ids.origin, ids.taskId, credit);
    await writer.flush();
  } finally {
    await writer.close();
  }
  const fork = (await getJson(server, treePath(ids.fork))).body;
  assert.equal(mcOf(fork, ids.forkAt.id), 0.125, 'the fork point, borrowed from the origin, carries the new value');
  assert.equal(mcOf(fork, fork.rootId), 0.125);
  // The fork of the fork borrows the same path, through the first fork.
  assert.equal(mcOf((await getJson(server, treePath(ids.forkOfFork))).body, ids.forkAt.id), 0.125);
});
