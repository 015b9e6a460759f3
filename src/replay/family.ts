import { ReplayError, StoreError } from '../core/errors.ts';
import { runOfNode } from '../core/ids.ts';
import type { RecordedPath } from '../search/borrowed-path.ts';
import type { NodeRecord, RunRecord, RunSummary } from '../store/records.ts';
import type { Store, StoredTree, TreeOutline, TreeOutlineOptions } from '../store/store.ts';

/**
 * A task's tree as its run sees it. A fork records only what it added; its tree is the path it borrowed from its
 * origin (root to the fork node, with the candidates executed along it and the model calls that made them) followed
 * by its own records. Other runs' trees are returned as stored.
 */
export async function loadRunTree(store: Store, runId: string, taskId: string): Promise<StoredTree> {
  const own = await store.getTree(runId, taskId);
  const fork = await forkBase(store, runId, (originRunId) => loadRunTree(store, originRunId, taskId));
  if (!fork) return own;
  const path = pathIn(fork.base, fork.nodeId);
  const onPath = new Set(path.nodes.map((n) => n.id));
  const borrowedCalls = fork.base.modelCalls.filter((c) => c.nodeId !== null && onPath.has(c.nodeId) && c.nodeId !== fork.nodeId);
  return {
    ...own,
    nodes: [...path.nodes, ...own.nodes],
    candidates: [...path.candidates, ...own.candidates],
    modelCalls: [...borrowedCalls, ...own.modelCalls],
  };
}

/** `loadRunTree` for the viewer's light outline: a fork's outline starts with the path it borrowed from its origin. */
export async function loadTreeOutline(store: Store, runId: string, taskId: string, options?: TreeOutlineOptions): Promise<TreeOutline> {
  const own = await store.getTreeOutline(runId, taskId, options);
  const fork = await forkBase(store, runId, (originRunId) => loadTreeOutline(store, originRunId, taskId));
  if (!fork) return own;
  const path = rootPath(fork.base.nodes, fork.nodeId);
  return { ...own, nodes: [...path, ...own.nodes], totalNodes: own.totalNodes + path.length };
}

/**
 * For a fork, its origin's tree (or outline), loaded by `load`, and the node it branched at; null for any other run,
 * and for a fork whose origin run is not in this store.
 */
async function forkBase<T>(store: Store, runId: string, load: (originRunId: string) => Promise<T>): Promise<{ base: T; nodeId: string } | null> {
  const { origin } = (await store.getRun(runId)).run;
  if (origin?.kind !== 'fork' || !origin.nodeId) return null;
  try {
    return { base: await load(origin.runId), nodeId: origin.nodeId };
  } catch (error) {
    if (error instanceof StoreError) return null;
    throw error;
  }
}

/** The nodes from the root to `nodeId`, root first; shorter than the whole path when a parent is missing. */
function rootPath<N extends { id: string; parentId: string | null }>(nodes: readonly N[], nodeId: string): N[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const path: N[] = [];
  for (let n = byId.get(nodeId); n; n = n.parentId === null ? undefined : byId.get(n.parentId)) path.push(n);
  return path.reverse();
}

/** The recorded path from the root of `tree` to `nodeId`, with the candidates executed along it. */
export function pathIn(tree: StoredTree, nodeId: string): RecordedPath {
  const nodes = rootPath(tree.nodes, nodeId);
  if (nodes.length === 0 || nodes[0].parentId !== null) {
    throw new ReplayError(`the tree of task ${tree.task.taskId} has no whole path from its root to node ${nodeId}`);
  }
  const executed = new Set(nodes.map((n) => n.candidateId));
  return { nodes, candidates: tree.candidates.filter((c) => executed.has(c.id)) };
}

/** Finds a node by id: its run, task and the task's tree (a fork's borrowed prefix included). */
export async function findNode(store: Store, nodeId: string): Promise<{ run: RunRecord; tree: StoredTree; node: NodeRecord }> {
  const runId = runOfNode(nodeId);
  if (runId === '' || !/^[^.]+\.\d+(\.\d+)?$/.test(nodeId)) {
    throw new ReplayError(`"${nodeId}" is not a node id: node ids are <run id>.<n> (<run id>.<task index>.<n> for tasks a queue worker searched)`, {
      hint: runId && !nodeId.includes('.') ? `that names a run; its nodes are ${runId}.0, ${runId}.1, …: \`stepwise show ${runId} --task <id>\` shows each node's id ending` : 'e.g. r1a2b3.17; `stepwise show <run> --task <id>` shows each node\'s id ending',
    });
  }
  let summary: RunSummary;
  try {
    summary = await store.getRun(runId);
  } catch (error) {
    if (error instanceof StoreError) {
      throw new ReplayError(`no run ${runId} for node ${nodeId} in ${store.location}`, { hint: 'node ids look like <run id>.<n>; `stepwise show <run> --task <id>` lists a tree with each node\'s id ending' });
    }
    throw error;
  }
  // The run part may be a unique prefix of the run id (`show` prints ids short): the node's full id uses the whole one.
  const fullId = `${summary.run.id}${nodeId.slice(runId.length)}`;
  for (const task of await store.getTasks(summary.run.id)) {
    const tree = await loadRunTree(store, summary.run.id, task.taskId);
    const node = tree.nodes.find((n) => n.id === fullId);
    if (node) return { run: summary.run, tree, node };
  }
  throw new ReplayError(`run ${summary.run.id} has no node ${fullId}`, { hint: `\`stepwise show ${summary.run.id} --task <id>\` shows each node's id ending (.17)` });
}

/** The runs a run comes from (origin first) and the runs that come from it, read from every run's origin. */
export async function runFamily(store: Store, run: RunRecord): Promise<{ origin: RunRecord | null; forks: RunRecord[] }> {
  const all = await store.listRuns();
  const origin = run.origin ? all.find((s) => s.run.id === run.origin!.runId)?.run ?? null : null;
  const forks = all.map((s) => s.run).filter((r) => r.origin?.runId === run.id).reverse();
  return { origin, forks };
}
