import type { CandidateRecord, NodeRecord } from '../store/records.ts';
import { growNode, type ExpandedCandidate, type TreeNode } from './node.ts';

/** A recorded path from a task's root to the node a fork starts from, with the candidates executed along it. */
export interface RecordedPath {
  nodes: readonly NodeRecord[];
  candidates: readonly CandidateRecord[];
}

/**
 * Turns a recorded path into tree nodes that answer for their run's nodes: same ids, states and positions
 * (so trajectories, prompts and random streams match the origin), but never recorded again. Returns the last.
 */
export function borrowPath<S, A>(path: RecordedPath, onNode: (node: TreeNode<S, A>) => void): TreeNode<S, A> {
  const byId = new Map(path.candidates.map((c) => [c.id, c]));
  let at: TreeNode<S, A> | null = null;
  for (const record of path.nodes) {
    const candidate = record.candidateId ? byId.get(record.candidateId) : undefined;
    if (record.parentId !== null && !candidate) throw new Error(`the recorded path lacks candidate ${record.candidateId} of node ${record.id}`);
    at = borrowNode<S, A>(record, at, candidate);
    onNode(at);
  }
  if (!at) throw new Error('a recorded path needs at least one node');
  return at;
}

function borrowNode<S, A>(record: NodeRecord, parent: TreeNode<S, A> | null, candidate: CandidateRecord | undefined): TreeNode<S, A> {
  const executed: ExpandedCandidate<S, A> | null = candidate
    ? { action: candidate.action as A, text: candidate.text, proposer: candidate.proposer, id: candidate.id, index: candidate.index,
        scores: candidate.scores, value: candidate.value, child: null }
    : null;
  const node = growNode<S, A>({
    id: record.id,
    parent,
    depth: record.depth,
    action: (record.action ?? null) as A | null,
    actionText: record.actionText,
    candidate: executed,
    state: record.state as S,
    stateKey: record.stateKey,
    observation: record.observation,
    reward: record.reward,
    check: record.check,
    terminal: record.terminal,
    success: record.success,
    duplicateOf: null,
    value: candidate?.value ?? null,
  });
  if (executed) executed.child = node;
  return node;
}
