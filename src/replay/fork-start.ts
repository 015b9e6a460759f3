import type { RunRecord } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import type { RecordedPath } from '../search/borrowed-path.ts';
import { FORK_ACTION_PROPOSER } from '../search/run.ts';
import { loadRunTree, pathIn } from './family.ts';

/** Where a fork run starts: the path borrowed from its origin, and the action it was given there, if any. Undefined for other runs. */
export async function forkStartOf(store: Store, run: RunRecord): Promise<{ path: RecordedPath; action?: { action: unknown; text: string } } | undefined> {
  const origin = run.origin;
  if (origin?.kind !== 'fork' || !origin.nodeId) return undefined;
  const [task] = await store.getTasks(run.id);
  if (!task) return undefined;
  const path = pathIn(await loadRunTree(store, origin.runId, task.taskId), origin.nodeId);
  const own = await store.getTree(run.id, task.taskId);
  const given = own.candidates.find((c) => c.nodeId === origin.nodeId && c.proposer === FORK_ACTION_PROPOSER);
  return { path, ...(given ? { action: { action: given.action, text: given.text } } : {}) };
}
