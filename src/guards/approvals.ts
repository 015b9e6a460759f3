import { UsageError } from '../core/errors.ts';
import type { ApprovalDecision, GuardRecord } from '../core/step.ts';
import { APPROVAL_KIND } from '../replay/resume.ts';
import { GUARD_ANNOTATION } from '../search/tree-records.ts';
import type { CandidateRecord, NodeRecord } from '../store/records.ts';
import type { PendingApproval } from './approval-types.ts';

export type { PendingApproval } from './approval-types.ts';
import type { Store } from '../store/store.ts';

/** Every candidate of the run a guard held for approval, answered or not, in the order they were held. */
export async function approvalsOf(store: Store, runId: string): Promise<PendingApproval[]> {
  const asks = (await store.getAnnotations(runId, { kind: GUARD_ANNOTATION })).filter((a) => (a.data as GuardRecord[]).some((d) => d.decision === 'ask'));
  if (asks.length === 0) return [];
  const decisions = new Map((await store.getAnnotations(runId, { kind: APPROVAL_KIND })).map((a) => [a.key, a.data as ApprovalDecision]));
  const trees = new Map<string, { nodes: Map<string, NodeRecord>; candidates: Map<string, CandidateRecord> }>();
  const pending: PendingApproval[] = [];
  for (const ask of asks) {
    const taskId = ask.taskId!;
    let tree = trees.get(taskId);
    if (!tree) {
      const stored = await store.getTree(runId, taskId);
      tree = { nodes: new Map(stored.nodes.map((n) => [n.id, n])), candidates: new Map(stored.candidates.map((c) => [c.id, c])) };
      trees.set(taskId, tree);
    }
    const candidate = tree.candidates.get(ask.key);
    const record = (ask.data as GuardRecord[]).find((d) => d.decision === 'ask')!;
    const path: PendingApproval['path'] = [];
    for (let node = tree.nodes.get(ask.nodeId!); node?.parentId; node = tree.nodes.get(node.parentId)) path.unshift({ actionText: node.actionText ?? '', observation: node.observation });
    pending.push({ runId, taskId, nodeId: ask.nodeId!, candidateId: ask.key, actionText: candidate?.text ?? '', guard: record.guard, reason: record.reason, path, decision: decisions.get(ask.key) ?? null });
  }
  return pending;
}

/** Records a person's decision on a held candidate; a later decision on the same candidate replaces it. */
export function recordApproval(store: Store, held: PendingApproval, decision: Omit<ApprovalDecision, 'at'>): void {
  if (decision.verdict === 'reject' && !decision.reason?.trim()) throw new UsageError(`rejecting ${held.candidateId} needs a reason`, { hint: 'the reason is recorded for the agent and for whoever reads the run' });
  if (decision.verdict === 'edit' && !decision.actionText?.trim()) throw new UsageError(`editing ${held.candidateId} needs the new action`, { hint: 'give the action in the environment\'s text form' });
  store.append({ type: 'annotation', runId: held.runId, taskId: held.taskId, nodeId: held.nodeId, kind: APPROVAL_KIND, key: held.candidateId, data: { ...decision, at: new Date().toISOString() }, createdAt: Date.now() });
}
