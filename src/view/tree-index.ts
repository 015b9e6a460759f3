import type { CandidateOutline, NodeOutline, TreeOutline } from '../store/store.ts';

/** One row of the drawn tree: a node, or a candidate no node executes (drawn muted). */
export type TreeItem =
  | (NodeOutline & { kind: 'node'; childCount: number; subtreeSize: number; onSolutionPath: boolean })
  | (CandidateOutline & { kind: 'candidate'; parentId: string; depth: number; childCount: 0; subtreeSize: 1 });

/** A task's outline indexed for the viewer: children lists, subtree sizes and the solution path, built once per change. */
export interface TreeIndex {
  outline: TreeOutline;
  rootId: string | null;
  /** Root first; empty when the task has no solution. */
  solutionPath: string[];
  has(id: string): boolean;
  /** Children (nodes, then unexecuted candidates) of `id`, `limit` from `offset`, and how many there are. */
  children(id: string, offset: number, limit: number): { items: TreeItem[]; total: number };
  item(id: string): TreeItem | undefined;
  /** Root first, ending at `id`; [] when unknown. */
  pathTo(id: string): string[];
  /**
   * The first rows to draw: the root and its descendants breadth-first up to `budget` rows, plus the solution path and
   * its siblings, so first paint needs one small request whatever the tree's size. Parents come before children.
   */
  opening(budget: number): TreeItem[];
}

export function buildTreeIndex(outline: TreeOutline): TreeIndex {
  const nodes = new Map<string, NodeOutline>();
  const childIds = new Map<string, string[]>();
  const ghosts = new Map<string, CandidateOutline[]>();
  let rootId: string | null = null;
  for (const node of outline.nodes) {
    nodes.set(node.id, node);
    if (node.parentId === null) rootId ??= node.id;
    else listOf(childIds, node.parentId).push(node.id);
  }
  for (const candidate of outline.unexecuted) listOf(ghosts, candidate.nodeId).push(candidate);

  // Append order puts parents before children, so one backward pass adds up subtree sizes.
  const subtreeSize = new Map<string, number>();
  for (let i = outline.nodes.length - 1; i >= 0; i--) {
    const node = outline.nodes[i];
    const size = 1 + (subtreeSize.get(node.id) ?? 0) + (ghosts.get(node.id)?.length ?? 0);
    subtreeSize.set(node.id, size);
    if (node.parentId !== null) subtreeSize.set(node.parentId, (subtreeSize.get(node.parentId) ?? 0) + size);
  }

  const pathTo = (id: string): string[] => {
    const path: string[] = [];
    for (let node = nodes.get(id); node; node = node.parentId === null ? undefined : nodes.get(node.parentId)) path.push(node.id);
    return path.reverse();
  };
  const solutionId = outline.result?.solutionNodeId ?? null;
  const solutionPath = solutionId === null ? [] : pathTo(solutionId);
  const onPath = new Set(solutionPath);

  const nodeItem = (node: NodeOutline): TreeItem => ({
    ...node,
    kind: 'node',
    childCount: (childIds.get(node.id)?.length ?? 0) + (ghosts.get(node.id)?.length ?? 0),
    subtreeSize: subtreeSize.get(node.id) ?? 1,
    onSolutionPath: onPath.has(node.id),
  });
  const ghostItem = (candidate: CandidateOutline): TreeItem => ({
    ...candidate,
    kind: 'candidate',
    parentId: candidate.nodeId,
    depth: (nodes.get(candidate.nodeId)?.depth ?? 0) + 1,
    childCount: 0,
    subtreeSize: 1,
  });
  const childItems = (id: string): TreeItem[] => [
    ...(childIds.get(id) ?? []).map((childId) => nodeItem(nodes.get(childId)!)),
    ...(ghosts.get(id) ?? []).map(ghostItem),
  ];

  return {
    outline,
    rootId,
    solutionPath,
    has: (id) => nodes.has(id),
    children(id, offset, limit) {
      const all = childItems(id);
      return { items: all.slice(offset, offset + limit), total: all.length };
    },
    item(id) {
      const node = nodes.get(id);
      return node ? nodeItem(node) : undefined;
    },
    pathTo,
    opening(budget) {
      if (rootId === null) return [];
      const shown = new Map<string, TreeItem>([[rootId, nodeItem(nodes.get(rootId)!)]]);
      // The solution path with its siblings first: it is what a reader opens the tree to see.
      for (const id of solutionPath) {
        for (const child of childItems(id).slice(0, budget)) shown.set(child.id, child);
      }
      // A family cut short by the budget is finished on demand (the client asks for the rest of its children).
      const queue = [rootId];
      for (let head = 0; head < queue.length && shown.size < budget; head++) {
        for (const child of childItems(queue[head])) {
          if (shown.size >= budget) break;
          shown.set(child.id, child);
          if (child.kind === 'node') queue.push(child.id);
        }
      }
      return [...shown.values()].sort((a, b) => a.depth - b.depth);
    },
  };
}

function listOf<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}
