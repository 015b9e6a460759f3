import type { CandidateOutline, NodeOutline, TreeOutline } from '../store/store.ts';
import { valueHistogram, type ValueHistogram } from './value-histogram.ts';

/** One row of the drawn tree: a node, or a candidate no node executes (drawn muted). */
export type TreeItem =
  | (NodeOutline & { kind: 'node'; childCount: number; subtreeSize: number; onSolutionPath: boolean; mc: number | null })
  | (CandidateOutline & { kind: 'candidate'; parentId: string; depth: number; childCount: 0; subtreeSize: 1 });

/** A task's outline indexed for the viewer: children lists, subtree sizes and the solution path, built once per change. */
export interface TreeIndex {
  outline: TreeOutline;
  rootId: string | null;
  /** Whether `stepwise credit` stored values for this tree (items then carry their Monte Carlo value, `mc`). */
  hasCredit: boolean;
  /** Root first; empty when the task has no solution. */
  solutionPath: string[];
  /** The distribution of step values, for the tree's colour scale. */
  values: ValueHistogram;
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

/** Monte Carlo values by node id, from the task's stored `credit` annotations (see credit-values.ts). */
export type McValues = ReadonlyMap<string, number | null>;

export function buildTreeIndex(outline: TreeOutline, mcValues: McValues = new Map()): TreeIndex {
  // Positions in outline.nodes instead of string-keyed maps: a 100,000-node tree indexes in tens of milliseconds.
  const count = outline.nodes.length;
  const position = new Map<string, number>();
  for (let i = 0; i < count; i++) position.set(outline.nodes[i].id, i);
  const parentAt = new Int32Array(count).fill(-1);
  const childCounts = new Int32Array(count);
  let rootAt = -1;
  for (let i = 0; i < count; i++) {
    const parentId = outline.nodes[i].parentId;
    const parent = parentId === null ? undefined : position.get(parentId);
    if (parent === undefined) {
      if (rootAt < 0 && parentId === null) rootAt = i;
      continue;
    }
    parentAt[i] = parent;
    childCounts[parent]++;
  }
  // Children of node p are childList[childStart[p] .. childStart[p + 1]), in append order.
  const childStart = new Int32Array(count + 1);
  for (let i = 0; i < count; i++) childStart[i + 1] = childStart[i] + childCounts[i];
  const childList = new Int32Array(childStart[count]);
  const filled = childStart.slice(0, count);
  for (let i = 0; i < count; i++) if (parentAt[i] >= 0) childList[filled[parentAt[i]]++] = i;
  // The chosen path's child first, then the ones the strategy kept, then the rest in append order, as `show` lists them.
  const solutionNodeId = outline.result?.solutionNodeId ?? null;
  const chosen = new Set<number>();
  for (let at = solutionNodeId === null ? -1 : position.get(solutionNodeId) ?? -1; at >= 0; at = parentAt[at]) chosen.add(at);
  const rankOf = (at: number) => (chosen.has(at) ? 2 : outline.nodes[at].selected ? 1 : 0);
  for (let p = 0; p < count; p++) {
    if (childCounts[p] < 2) continue;
    const family = childList.subarray(childStart[p], childStart[p + 1]);
    if (family.every((at) => rankOf(at) === 0)) continue;
    family.sort((x, y) => rankOf(y) - rankOf(x) || x - y);
  }
  // Where each node sits among its siblings' list, for ordering the opening the same way.
  const listedAt = new Int32Array(count);
  for (let k = 0; k < childList.length; k++) listedAt[childList[k]] = k;

  const ghosts = new Map<number, CandidateOutline[]>();
  for (const candidate of outline.unexecuted) {
    const at = position.get(candidate.nodeId);
    if (at !== undefined) listOf(ghosts, at).push(candidate);
  }
  // Append order puts parents before children, so one backward pass adds up subtree sizes.
  const subtreeSize = new Int32Array(count);
  for (let i = count - 1; i >= 0; i--) {
    subtreeSize[i] += 1 + (ghosts.get(i)?.length ?? 0);
    if (parentAt[i] >= 0) subtreeSize[parentAt[i]] += subtreeSize[i];
  }

  const pathTo = (id: string): string[] => {
    const path: string[] = [];
    for (let at = position.get(id) ?? -1; at >= 0; at = parentAt[at]) path.push(outline.nodes[at].id);
    return path.reverse();
  };
  const solutionId = outline.result?.solutionNodeId ?? null;
  const solutionPath = solutionId === null ? [] : pathTo(solutionId);
  const onPath = new Set(solutionPath);

  const nodeItem = (at: number): TreeItem => {
    const node = outline.nodes[at];
    return {
      ...node,
      kind: 'node',
      childCount: childCounts[at] + (ghosts.get(at)?.length ?? 0),
      subtreeSize: subtreeSize[at],
      onSolutionPath: onPath.has(node.id),
      mc: mcValues.get(node.id) ?? null,
    };
  };
  const ghostItem = (candidate: CandidateOutline, parentAt: number): TreeItem => ({
    ...candidate,
    kind: 'candidate',
    parentId: candidate.nodeId,
    depth: outline.nodes[parentAt].depth + 1,
    childCount: 0,
    subtreeSize: 1,
  });
  const childItems = (at: number, offset = 0, limit = Infinity): TreeItem[] => {
    const items: TreeItem[] = [];
    const nodeCount = childCounts[at];
    const family = ghosts.get(at) ?? [];
    for (let i = offset; i < Math.min(nodeCount + family.length, offset + limit); i++) {
      items.push(i < nodeCount ? nodeItem(childList[childStart[at] + i]) : ghostItem(family[i - nodeCount], at));
    }
    return items;
  };

  return {
    outline,
    rootId: rootAt < 0 ? null : outline.nodes[rootAt].id,
    hasCredit: mcValues.size > 0,
    solutionPath,
    values: valueHistogram(outline),
    has: (id) => position.has(id),
    children(id, offset, limit) {
      const at = position.get(id);
      if (at === undefined) return { items: [], total: 0 };
      return { items: childItems(at, offset, limit), total: childCounts[at] + (ghosts.get(at)?.length ?? 0) };
    },
    item(id) {
      const at = position.get(id);
      return at === undefined ? undefined : nodeItem(at);
    },
    pathTo,
    opening(budget) {
      if (rootAt < 0) return [];
      const shown = new Map<string, TreeItem>([[outline.nodes[rootAt].id, nodeItem(rootAt)]]);
      // The solution path with its siblings first: it is what a reader opens the tree to see.
      for (const id of solutionPath) {
        const at = position.get(id)!;
        shown.set(id, nodeItem(at));
        for (const child of childItems(at, 0, budget)) shown.set(child.id, child);
      }
      // A family cut short by the budget is finished on demand (the client asks for the rest of its children).
      const queue = [rootAt];
      for (let head = 0; head < queue.length && shown.size < budget; head++) {
        for (const child of childItems(queue[head], 0, budget - shown.size + 1)) {
          if (shown.size >= budget) break;
          if (!shown.has(child.id)) shown.set(child.id, child);
          if (child.kind === 'node') queue.push(position.get(child.id)!);
        }
      }
      // Parents before children, and siblings in the children pages' order (unexecuted candidates last).
      const rank = (item: TreeItem) => (item.kind === 'node' ? listedAt[position.get(item.id)!] : count + position.get(item.parentId)!);
      return [...shown.values()].sort((a, b) => a.depth - b.depth || rank(a) - rank(b));
    },
  };
}

function listOf<K, T>(map: Map<K, T[]>, key: K): T[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}
