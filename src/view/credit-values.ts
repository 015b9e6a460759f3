import { CREDIT_KIND } from '../credit/annotations.ts';
import type { NodeCredit } from '../credit/compute.ts';
import { runOfNode } from '../core/ids.ts';
import type { Store, TreeOutline } from '../store/store.ts';
import type { McValues } from './tree-index.ts';

/**
 * Each node's stored Monte Carlo value, for colouring the tree by credit: one annotation query per run whose nodes
 * the outline holds (a fork's borrowed path has its credit in its origin run).
 */
export async function mcValuesOf(store: Store, outline: TreeOutline): Promise<McValues> {
  const taskId = outline.task.taskId;
  const values = new Map<string, number | null>();
  for (const runId of creditRunsOf(outline)) {
    for (const record of await store.getAnnotations(runId, { kind: CREDIT_KIND, taskId })) {
      if (record.nodeId === null || record.key !== '') continue;
      values.set(record.nodeId, (record.data as NodeCredit).mcValue ?? null);
    }
  }
  return values;
}

/** The runs whose stored credit a tree shows: its own, then each run it borrowed nodes from (a fork's origins). */
export function creditRunsOf(outline: TreeOutline): Set<string> {
  const runs = new Set([outline.task.runId]);
  const own = `${outline.task.runId}.`;
  for (const node of outline.nodes) if (!node.id.startsWith(own)) runs.add(runOfNode(node.id));
  return runs;
}
