import type { CandidateRecord, NodeRecord, TaskResultRecord } from '../store/records.ts';
import type { StoredTree } from '../store/store.ts';
import { candidateIndexOf } from './recorded-run.ts';

/** The first place a recomputed task tree differs from its record. */
export interface Divergence {
  taskId: string;
  /** The recorded node (or, for an extra node, the recomputed one's parent in the record). */
  nodeId: string | null;
  /** The actions from the root to that node, for people. */
  path: string[];
  field: string;
  recorded: unknown;
  recomputed: unknown;
}

const NODE_FIELDS = ['actionText', 'stateKey', 'observation', 'reward', 'check', 'terminal', 'success'] as const;
const CANDIDATE_FIELDS = ['text', 'action', 'proposer', 'invalidReason', 'prior', 'scores', 'value'] as const;

/**
 * Compares two trees of one task position by position (a node is named by its parent and the index of the
 * candidate it executes, so ids may differ), in the record's order. Returns the first difference, or null.
 */
export function firstDivergence(recorded: StoredTree, recomputed: StoredTree): Divergence | null {
  const taskId = recorded.task.taskId;
  const recomputedAt = new Map<string, NodeRecord>();
  for (const node of recomputed.nodes) recomputedAt.set(`${node.parentId}|${candidateIndexOf(node.candidateId)}`, node);
  const recordedById = new Map(recorded.nodes.map((n) => [n.id, n]));
  const candidatesOf = (tree: StoredTree) => {
    const byNode = new Map<string, CandidateRecord[]>();
    for (const c of tree.candidates) byNode.set(c.nodeId, [...(byNode.get(c.nodeId) ?? []), c]);
    return byNode;
  };
  const recordedCandidates = candidatesOf(recorded);
  const recomputedCandidates = candidatesOf(recomputed);
  const pathOf = (node: NodeRecord): string[] => {
    const steps: string[] = [];
    for (let n: NodeRecord | undefined = node; n?.parentId; n = recordedById.get(n.parentId)) steps.push(n.actionText ?? '?');
    return steps.reverse();
  };
  // Recorded id → recomputed id; roots first, then children as the record made them.
  const twin = new Map<string, string>();
  const diverge = (node: NodeRecord | null, field: string, was: unknown, now: unknown): Divergence => ({
    taskId, nodeId: node?.id ?? null, path: node ? pathOf(node) : [], field, recorded: was, recomputed: now,
  });

  for (const node of recorded.nodes) {
    // A parent outside the record is a node a fork borrowed: the same node in both trees.
    const parent = node.parentId === null ? null : twin.get(node.parentId) ?? (recordedById.has(node.parentId) ? undefined : node.parentId);
    if (node.parentId !== null && parent === undefined) continue; // under a node that already diverged
    const other = recomputedAt.get(`${parent ?? null}|${candidateIndexOf(node.candidateId)}`);
    if (!other) return diverge(node, 'node', node.actionText ?? '(start)', 'not created');
    twin.set(node.id, other.id);
    for (const field of NODE_FIELDS) {
      if (!same(node[field], other[field])) return diverge(node, field, node[field], other[field]);
    }
    const wasDuplicate = node.duplicateOf === null ? null : twin.get(node.duplicateOf) ?? node.duplicateOf;
    if (wasDuplicate !== other.duplicateOf) return diverge(node, 'duplicateOf', node.duplicateOf, other.duplicateOf);
    const was = recordedCandidates.get(node.id) ?? [];
    const now = recomputedCandidates.get(other.id) ?? [];
    for (let i = 0; i < Math.max(was.length, now.length); i++) {
      if (!was[i] || !now[i]) return diverge(node, `candidate ${i}`, was[i]?.text ?? 'none', now[i]?.text ?? 'none');
      for (const field of CANDIDATE_FIELDS) {
        if (!same(was[i][field], now[i][field])) return diverge(node, `candidate ${i} ${field}`, was[i][field], now[i][field]);
      }
    }
  }
  if (recomputed.nodes.length !== recorded.nodes.length) {
    const known = new Set(twin.values());
    const extra = recomputed.nodes.find((n) => !known.has(n.id));
    const parent = recorded.nodes.find((n) => twin.get(n.id) === extra?.parentId) ?? null;
    return diverge(parent, 'node', 'not created', extra?.actionText ?? `${recomputed.nodes.length} nodes`);
  }
  return resultDivergence(taskId, recorded.result, recomputed.result);
}

function resultDivergence(taskId: string, was: TaskResultRecord | null, now: TaskResultRecord | null): Divergence | null {
  for (const field of ['outcome', 'stopReason', 'plan', 'expansions', 'nodes'] as const) {
    if (!same(was?.[field] ?? null, now?.[field] ?? null)) {
      return { taskId, nodeId: null, path: [], field: `result ${field}`, recorded: was?.[field] ?? null, recomputed: now?.[field] ?? null };
    }
  }
  return null;
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
