import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NodeOutline, TreeOutline } from '../../src/store/store.ts';
import { buildTreeIndex } from '../../src/view/tree-index.ts';

function node(id: string, parentId: string | null, depth: number): NodeOutline {
  return {
    id, parentId, depth, actionText: id, value: null, reward: 0, valid: true, terminal: false, success: false,
    duplicateOf: null, visits: null, searchValue: null, selected: false, pruned: null,
  };
}

/** root → a, b; a → a1, a2, a3; b → b1; a2 → (candidate a2/0 not executed); a3 is the solution. */
function outline(): TreeOutline {
  const nodes = [node('r', null, 0), node('a', 'r', 1), node('b', 'r', 1), node('a1', 'a', 2), node('a2', 'a', 2), node('b1', 'b', 2), node('a3', 'a', 2)];
  return {
    task: { type: 'task', runId: 'run', taskId: 't', index: 0, source: 's', spec: {}, goalText: 'g', startedAt: '' },
    result: { type: 'task_result', runId: 'run', taskId: 't', outcome: 'solved', stopReason: null, solutionNodeId: 'a3', plan: null, expansions: 3, nodes: 7, wallMs: 1, finishedAt: '' },
    nodes,
    unexecuted: [{ id: 'a2/0', nodeId: 'a2', index: 0, text: 'x', invalidReason: 'bad', value: null }],
    totalNodes: nodes.length,
  };
}

test('children come with the chosen path first, then in append order, nodes before unexecuted candidates, with counts and subtree sizes', () => {
  const index = buildTreeIndex(outline());
  assert.equal(index.rootId, 'r');
  const root = index.children('r', 0, 10);
  assert.deepEqual(root.items.map((item) => [item.id, item.childCount, item.subtreeSize]), [['a', 3, 5], ['b', 1, 2]]);
  // a3 is on the solution path: listed first among a's children, as `show` lists it.
  assert.deepEqual(index.children('a', 0, 5).items.map((item) => item.id), ['a3', 'a1', 'a2']);
  assert.deepEqual(index.children('a', 1, 5).items.map((item) => item.id), ['a1', 'a2']);
  assert.deepEqual(index.children('a2', 0, 5).items.map((item) => [item.kind, item.id, item.depth]), [['candidate', 'a2/0', 3]]);
  assert.equal(index.item('r')?.subtreeSize, 8);
  assert.deepEqual(index.children('nope', 0, 5), { items: [], total: 0 });
});

test('paths run from the root; the solution path is marked on its nodes', () => {
  const index = buildTreeIndex(outline());
  assert.deepEqual(index.solutionPath, ['r', 'a', 'a3']);
  assert.deepEqual(index.pathTo('b1'), ['r', 'b', 'b1']);
  assert.deepEqual(index.pathTo('nope'), []);
  const onPath = (id: string) => {
    const item = index.item(id);
    return item?.kind === 'node' && item.onSolutionPath;
  };
  assert.equal(onPath('a3'), true);
  assert.equal(onPath('b'), false);
});

test('an opening keeps to its budget, puts parents before children, and always holds the solution path', () => {
  const index = buildTreeIndex(outline());
  for (const budget of [1, 2, 3, 5, 50]) {
    const items = index.opening(budget);
    const ids = items.map((item) => item.id);
    for (const id of index.solutionPath) assert.ok(ids.includes(id), `budget ${budget} holds ${id}`);
    for (const item of items) if (item.parentId !== null) assert.ok(ids.indexOf(item.parentId) < ids.indexOf(item.id), `${item.id} after its parent`);
    const siblingsOfA = ids.filter((id) => ['a1', 'a2', 'a3'].includes(id));
    assert.deepEqual(siblingsOfA, ['a3', 'a1', 'a2'].filter((id) => siblingsOfA.includes(id)), 'the chosen child first, then append order');
    assert.ok(items.length <= Math.max(budget, 1 + index.solutionPath.length * 3), `budget ${budget}: ${items.length} items`);
  }
  assert.equal(index.opening(50).length, 8, 'a small tree opens whole');
});
