import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';
import { loadRunTree } from '../../src/replay/family.ts';
import type { NodeRecord } from '../../src/store/records.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { StoredTree } from '../../src/store/store.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { game24ModelScript } from '../../src/testing/game24-model.ts';
import { assertUsageFailure, parseJsonLine, runCli, tempDb, TOT_CSV } from '../cli/cli-process.ts';
import { requestKey, snapshotStore } from './kill-cli.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

function rowCounts(db: string): Record<string, number> {
  const file = new DatabaseSync(db, { readOnly: true });
  try {
    const count = (table: string) => Number(file.prepare(`SELECT count(*) AS n FROM ${table}`).get()!.n);
    return { nodes: count('nodes'), candidates: count('candidates'), model_calls: count('model_calls'), runs: count('runs') };
  } finally {
    file.close();
  }
}

async function treeOf(db: string, runId: string, taskId: string): Promise<{ own: StoredTree; stitched: StoredTree }> {
  const store = openSqliteStore(db, { readonly: true });
  try {
    return { own: await store.getTree(runId, taskId), stitched: await loadRunTree(store, runId, taskId) };
  } finally {
    await store.close();
  }
}

function pathTo(tree: StoredTree, id: string): NodeRecord[] {
  const byId = new Map(tree.nodes.map((n) => [n.id, n]));
  const path: NodeRecord[] = [];
  for (let n = byId.get(id); n; n = n.parentId ? byId.get(n.parentId) : undefined) path.unshift(n);
  return path;
}

describe('stepwise fork', () => {
  const TASK = 'bw-5-8-1';
  let db: string;
  let origin: { runId: string; tree: StoredTree; forkNode: NodeRecord; solution: NodeRecord[] };
  before(async () => {
    db = tempDb();
    const run = parseJsonLine(await runCli(['run', 'strips', '--tasks', 'generate:blocksworld?count=1&blocks=5&length=8', '--strategy', 'bfs', '--width', '4', '--db', db, '--json']));
    const { own: tree } = await treeOf(db, run.runId, TASK);
    // A node two steps down the recorded solution: the fork shares two steps.
    const solution = pathTo(tree, (await snapshotStore(db)).runs[0].results[0].solutionNodeId!);
    origin = { runId: run.runId, tree, forkNode: solution[2], solution };
  });

  test('--action takes the step at the node and searches on, borrowing the shared path without copying it', async () => {
    const before = rowCounts(db);
    const { forkNode } = origin;
    // A different legal step at the node than the one the recorded solution took.
    const sibling = origin.tree.candidates.find((c) => c.nodeId === forkNode.id && c.id !== origin.solution[3].candidateId && c.invalidReason === null)!;
    const fork = parseJsonLine(await runCli(['fork', forkNode.id, '--action', sibling.text, '--db', db, '--json']));
    assert.deepEqual(fork.origin, { runId: origin.runId, nodeId: forkNode.id, kind: 'fork' });
    assert.deepEqual(fork.sharedSteps, pathTo(origin.tree, forkNode.id).slice(1).map((n) => n.actionText));
    assert.equal(fork.solved, 1);

    const { own, stitched } = await treeOf(db, fork.runId, TASK);
    const after = rowCounts(db);
    assert.equal(after.nodes - before.nodes, own.nodes.length, 'only the fork’s own nodes were written');
    assert.ok(own.nodes.every((n) => n.runId === fork.runId && n.id.startsWith(`${fork.runId}.`)));
    assert.equal(own.candidates.filter((c) => c.nodeId === forkNode.id).length, 1, 'the given action is the one candidate attached to the fork node');
    assert.equal(after.candidates - before.candidates, own.candidates.length);

    // Read back, the fork's tree is the shared path followed by its own steps, starting with the given action.
    const shared = pathTo(origin.tree, forkNode.id);
    assert.deepEqual(stitched.nodes.slice(0, shared.length), shared);
    const first = own.nodes[0];
    assert.equal(first.parentId, forkNode.id);
    assert.equal(first.actionText, sibling.text);
    const result = stitched.result!;
    assert.deepEqual(result.plan!.slice(0, shared.length), [...shared.slice(1).map((n) => n.actionText), sibling.text]);
    assert.deepEqual(pathTo(stitched, result.solutionNodeId!).map((n) => n.actionText), [null, ...result.plan!]);

    const replay = await runCli(['replay', fork.runId, '--db', db]);
    assert.equal(replay.code, 0, replay.stdout + replay.stderr);
    const shown = await runCli(['show', fork.runId, '--db', db]);
    assert.match(shown.stdout, new RegExp(`family: fork of ${origin.runId} at node ${forkNode.id.replace('.', '\\.')}`));
    const originShown = await runCli(['show', origin.runId, '--db', db]);
    assert.match(originShown.stdout, new RegExp(`forks: .*${fork.runId} \\(at ${forkNode.id.replace('.', '\\.')}, bfs\\)`));
  });

  test('--strategy continues with another strategy from the node; forks of forks stitch through both', async () => {
    const fork = parseJsonLine(await runCli(['fork', origin.forkNode.id, '--strategy', 'dfs', '--db', db, '--json']));
    assert.equal(fork.strategy, 'dfs');
    assert.equal(fork.solved, 1);
    const { own, stitched } = await treeOf(db, fork.runId, TASK);
    assert.equal(own.nodes[0].parentId, origin.forkNode.id);
    const deeper = own.nodes.find((n) => n.depth === origin.forkNode.depth + 2 && n.check.valid && !n.terminal && n.duplicateOf === null)!;
    const second = parseJsonLine(await runCli(['fork', deeper.id, '--strategy', 'greedy', '--budget', '5', '--db', db, '--json']));
    assert.deepEqual(second.origin, { runId: fork.runId, nodeId: deeper.id, kind: 'fork' });
    const grand = await treeOf(db, second.runId, TASK);
    assert.deepEqual(grand.stitched.nodes.slice(0, deeper.depth + 1), pathTo(stitched, deeper.id), 'root to the node through both runs');
    assert.ok(grand.stitched.result!.expansions <= 5);
    const runs = await runCli(['runs', '--db', db]);
    assert.match(runs.stdout, new RegExp(`${second.runId} .*fork of ${deeper.id.replace('.', '\\.')}`));
  });

  test('refuses a step the environment does not allow there, and a node with nothing to continue', async () => {
    const refused = await runCli(['fork', origin.forkNode.id, '--action', '(pick-up zz)', '--db', db]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^stepwise fork: /);
    // Undoing the step that led to the node returns to the state of its parent on the shared path.
    const undo = origin.forkNode.actionText!.replace(/^\(put-down (\w+)\)$/, '(pick-up $1)').replace(/^\(stack (\w+) (\w+)\)$/, '(unstack $1 $2)');
    const back = await runCli(['fork', origin.forkNode.id, '--action', undo, '--db', db]);
    assert.equal(back.code, 2, back.stderr);
    assert.match(back.stderr, new RegExp(`leads back to the state of node ${origin.solution[1].id.replace('.', '\\.')} on the shared path`));
    const goal = origin.tree.nodes.find((n) => n.success)!;
    const terminal = await runCli(['fork', goal.id, '--db', db]);
    assert.equal(terminal.code, 2);
    assert.match(terminal.stderr, /reaches the goal; there is nothing to continue from it/);
    const unknown = await runCli(['fork', `${origin.runId}.999999`, '--db', db]);
    assert.match(unknown.stderr, /has no node/);
    const runOnly = await runCli(['fork', origin.runId, '--db', db]);
    assertUsageFailure(runOnly, 'fork', [new RegExp(`"${origin.runId}" is not a node id`), new RegExp(`that names a run; its nodes are ${origin.runId}\\.0`)]);
    for (const bad of ['.3', `${origin.runId}.x`, `${origin.runId}.1.2.3`]) assertUsageFailure(await runCli(['fork', bad, '--db', db]), 'fork', [/is not a node id: node ids are <run id>\.<n>/]);
  });
});

describe('stepwise fork with a model', () => {
  let server: FakeOpenAIServer;
  before(async () => {
    server = await startFakeOpenAIServer({ script: game24ModelScript() });
  });
  after(() => server.close());

  test('repeats no model call: the shared path is not re-run and the node’s own requests come from the store; --model asks another model', { skip: NEEDS_SHARED_DATA }, async () => {
    const db = tempDb();
    const model = `openai-compatible:${server.url}#fake-gpt`;
    const run = parseJsonLine(await runCli(['run', 'game24', '--tasks', `tot:${TOT_CSV}:901`, '--model', model, '--strategy', 'bfs', '--width', '2', '--mode', 'list', '--scorer', 'value', '--db', db, '--json']));
    const [{ results }] = (await snapshotStore(db)).runs;
    const { own: tree } = await treeOf(db, run.runId, results[0].taskId);
    const node = tree.nodes.find((n) => n.depth === 1 && n.check.valid && !n.terminal)!;
    const answered = (await snapshotStore(db)).answered;
    const sentBefore = server.requests.length;
    const calls = rowCounts(db).model_calls;

    const fork = parseJsonLine(await runCli(['fork', node.id, '--strategy', 'dfs', '--db', db, '--json']));
    assert.equal(fork.model, model, 'the fork keeps the origin’s model');
    const repeated = server.requests.slice(sentBefore).filter((body) => answered.has(requestKey(body.messages ?? [], Number(body.seed ?? 0))));
    assert.equal(repeated.length, 0, 'no request answered before was sent again');
    const { own } = await treeOf(db, fork.runId, results[0].taskId);
    const atNode = own.modelCalls.filter((c) => c.nodeId === node.id);
    assert.ok(atNode.length > 0 && atNode.every((c) => c.cacheHit), 'the fork node’s requests were served from the store');
    assert.equal(rowCounts(db).model_calls - calls, own.modelCalls.length, 'no call of the shared path was copied');
    assert.ok(own.modelCalls.every((c) => c.runId === fork.runId));

    // --model: the same prompts and settings, sent to another model from the fork node on.
    const other = await startFakeOpenAIServer({ script: game24ModelScript() });
    try {
      const otherModel = `openai-compatible:${other.url}#other-gpt`;
      const switched = parseJsonLine(await runCli(['fork', node.id, '--model', otherModel, '--db', db, '--json']));
      assert.equal(switched.model, otherModel);
      assert.ok(other.requests.length > 0, 'the new model was asked');
      assert.ok(other.requests.every((body) => body.model === 'other-gpt'));
      const recipe = (await snapshotStore(db)).runs.find((r) => r.run.id === switched.runId)!.run.provenance!.recipe!;
      assert.deepEqual(recipe.model, { spec: otherModel, mode: 'list' });
      assert.equal(recipe.strategy, 'bfs', 'everything not given is the origin’s');
    } finally {
      await other.close();
    }
  });
});
