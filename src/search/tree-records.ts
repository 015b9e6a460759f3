import type { CandidateRecord, NodeRecord } from '../store/records.ts';
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
