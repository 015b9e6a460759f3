import type { RecordedPath } from '../search/borrowed-path.ts';
import type { RunRecord } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { findNode, pathIn } from './family.ts';

/** Where a fork run starts: the path borrowed from its origin, and the action it was given there (from its recipe). Undefined for other runs. */
export async function forkStartOf(store: Store, run: RunRecord): Promise<{ path: RecordedPath; action?: { action: unknown; text: string } } | undefined> {
  const origin = run.origin;
  if (origin?.kind !== 'fork' || !origin.nodeId) return undefined;
  const { tree } = await findNode(store, origin.nodeId);
  const action = run.provenance?.recipe?.forkAction;
  return { path: pathIn(tree, origin.nodeId), ...(action ? { action } : {}) };
}
