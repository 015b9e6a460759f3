import type { ApprovalDecision, GuardRecord } from '../core/step.ts';
import { APPROVAL_KIND } from '../replay/resume.ts';
import { GUARD_ANNOTATION } from '../search/tree-records.ts';
import type { Store } from '../store/store.ts';

/** A guard's decision in words: `guard policy: deny — writes /etc/x, which the policy protects`; a rewrite names the action it replaced. */
export function describeGuardRecord(record: GuardRecord): string {
  return `guard ${record.guard}: ${record.decision} — ${record.reason}${record.decision === 'rewrite' && record.original !== undefined ? ` (was: ${record.original})` : ''}`;
}

/** A person's answer to a held action in words: `approval: reject by alice (never push to main)`. */
export function describeApproval(decision: ApprovalDecision): string {
  return `approval: ${decision.verdict} by ${decision.by}${decision.reason ? ` (${decision.reason})` : ''}${decision.verdict === 'edit' && decision.actionText ? `: ${decision.actionText}` : ''}`;
}

/**
 * What guards and people decided on a task's candidates beyond the candidate's own refusal, one line each, by
 * candidate id: rewrites (with the action they replaced) in chain order, then the approval a held candidate got.
 * The deciding deny, ask or stop is the candidate's `invalidReason` already, which `show` and the viewer print.
 */
export async function decisionNotesOf(store: Pick<Store, 'getAnnotations'>, runId: string, taskId: string): Promise<Map<string, string[]>> {
  const notes = new Map<string, string[]>();
  const add = (key: string, line: string) => notes.set(key, [...(notes.get(key) ?? []), line]);
  for (const a of await store.getAnnotations(runId, { kind: GUARD_ANNOTATION })) {
    if (a.taskId !== taskId) continue;
    const records = a.data as GuardRecord[];
    for (const [i, record] of records.entries()) if (record.decision === 'rewrite' || i < records.length - 1) add(a.key, describeGuardRecord(record));
  }
  for (const a of await store.getAnnotations(runId, { kind: APPROVAL_KIND })) if (a.taskId === taskId) add(a.key, describeApproval(a.data as ApprovalDecision));
  return notes;
}
