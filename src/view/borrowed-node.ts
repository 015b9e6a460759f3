import { runOfNode } from '../core/ids.ts';
import type { Store } from '../store/store.ts';

/** A node of the run, or of the run it was borrowed from (a fork shows the path it shares with its origin). */
export async function nodeOf(store: Store, runId: string, nodeId: string) {
  return (await store.getNode(runId, nodeId)) ?? (runOfNode(nodeId) === runId ? null : store.getNode(runOfNode(nodeId), nodeId));
}
