import type { AnnotationRecord } from '../store/records.ts';
import type { Store, StoredTree } from '../store/store.ts';
import { computeCredit, type NodeCredit, type TaskCredit, type TaskCreditSummary } from './compute.ts';

/** The annotation kind credit is stored under: one per node, and one per task (nodeId null) with the summary. */
export const CREDIT_KIND = 'credit';

/** Writes a task's credit as annotations; the same (run, task, node, kind, key) replaces earlier ones, so reruns are idempotent. */
export function storeCredit(store: Store, runId: string, taskId: string, credit: TaskCredit): number {
  const createdAt = Date.now();
  const base = { type: 'annotation', runId, taskId, kind: CREDIT_KIND, key: '', createdAt } as const;
  store.append({ ...base, nodeId: null, data: credit.summary } satisfies AnnotationRecord);
  for (const [nodeId, data] of credit.nodes) store.append({ ...base, nodeId, data } satisfies AnnotationRecord);
  return credit.nodes.size + 1;
}

/** The credit stored for a task, or null when `stepwise credit` has not run on it. */
export async function loadStoredCredit(store: Store, runId: string, taskId: string): Promise<TaskCredit | null> {
  const records = await store.getAnnotations(runId, { kind: CREDIT_KIND, taskId });
  const exact = records.filter((r) => r.kind === CREDIT_KIND && r.key === '');
  const summary = exact.find((r) => r.nodeId === null);
  if (!summary) return null;
  const nodes = new Map<string, NodeCredit>();
  for (const record of exact) if (record.nodeId !== null) nodes.set(record.nodeId, record.data as NodeCredit);
  return { nodes, summary: summary.data as TaskCreditSummary };
}

/** Stored credit when a task has it for the whole tree, else computed now from the tree (not stored). */
export async function creditFor(store: Store, tree: StoredTree): Promise<TaskCredit> {
  const stored = await loadStoredCredit(store, tree.task.runId, tree.task.taskId);
  // Credit taken before the tree grew (mid-run, or before `stepwise resume`) is stale: every value below the new nodes changed.
  return stored && stored.summary.nodes === tree.nodes.length ? stored : computeCredit(tree);
}

/** A node's credit in a few words for `stepwise show`: `mc=0.50 adv=+0.17 q=0.40/12 prog=+0.33 pivot`. */
export function describeNodeCredit(credit: NodeCredit): string {
  const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;
  return [
    credit.mcValue !== null ? `mc=${credit.mcValue.toFixed(2)}` : '',
    credit.advantage !== null ? `adv=${signed(credit.advantage)}` : '',
    credit.q ? `q=${credit.q.value.toFixed(2)}/${credit.q.visits}` : '',
    credit.progress !== null ? `prog=${signed(credit.progress)}` : '',
    credit.firstInvalid ? 'first-invalid' : '',
    credit.pivot ? `pivot(μ=${credit.pivot.mean.toFixed(2)} σ²=${credit.pivot.variance.toFixed(2)})` : '',
  ].filter(Boolean).join(' ');
}
