import type { AnnotationRecord, CandidateRecord, NodeRecord } from '../store/records.ts';
import type { ExpandedCandidate, TreeNode } from './node.ts';

/** The store record of a node the search just made (`borrowPath` reads such records back). */
export function nodeRecordOf<S, A>(runId: string, taskId: string, node: TreeNode<S, A>): NodeRecord {
  return {
    type: 'node',
    runId,
    taskId,
    id: node.id,
    parentId: node.parent?.id ?? null,
    depth: node.depth,
    action: node.action,
    actionText: node.actionText,
    candidateId: node.candidate?.id ?? null,
    state: node.state,
    stateKey: node.stateKey,
    observation: node.observation,
    reward: node.reward,
    check: node.check,
    terminal: node.terminal,
    success: node.success,
    duplicateOf: node.duplicateOf?.id ?? null,
    createdAt: Date.now(),
  };
}

/** The store record of a candidate expanded (or added) at `nodeId`, invalid ones included. */
export function candidateRecordOf<S, A>(runId: string, taskId: string, nodeId: string, ec: ExpandedCandidate<S, A>): CandidateRecord {
  return {
    type: 'candidate',
    runId,
    taskId,
    id: ec.id,
    nodeId,
    index: ec.index,
    action: ec.action,
    text: ec.text,
    proposer: ec.proposer,
    prior: ec.prior ?? null,
    invalidReason: ec.invalidReason ?? null,
    scores: ec.scores,
    value: ec.value,
  };
}

/** Annotation kind of the guards' decisions on a candidate (data: GuardRecord[], key: the candidate id). */
export const GUARD_ANNOTATION = 'guard';

/** The guards' decisions on a candidate, as an annotation on its node keyed by the candidate id. */
export function guardAnnotationOf<S, A>(runId: string, taskId: string, nodeId: string, ec: ExpandedCandidate<S, A>): AnnotationRecord {
  return { type: 'annotation', runId, taskId, nodeId, kind: GUARD_ANNOTATION, key: ec.id, data: ec.guardDecisions ?? [], createdAt: Date.now() };
}
