import type { Task } from '../core/environment.ts';
import type { RunSummary, TaskRecord } from '../store/records.ts';
import type { Store, StoredTree } from '../store/store.ts';

/** A run as its store holds it: the summary and each task's own records (a fork's tree without its borrowed prefix). */
export interface RecordedRun {
  summary: RunSummary;
  tasks: TaskRecord[];
  trees: Map<string, StoredTree>;
}

/** A recorded task in the form an environment loads. */
export function taskOfRecord(task: TaskRecord, envName: string): Task {
  return { id: task.taskId, env: envName, source: task.source, spec: task.spec, ...(task.meta ? { meta: task.meta } : {}) };
}

/** Reads every task tree of a run; `runRef` is an id, a unique prefix or `latest`. */
export async function readRecordedRun(store: Store, runRef: string): Promise<RecordedRun> {
  const summary = await store.getRun(runRef);
  const tasks = await store.getTasks(summary.run.id);
  const trees = new Map<string, StoredTree>();
  for (const task of tasks) trees.set(task.taskId, await store.getTree(summary.run.id, task.taskId));
  return { summary, tasks, trees };
}

/** A node's position under its parent: the index of the candidate it executes, read from the candidate id `…/<i>`. */
export function candidateIndexOf(candidateId: string | null): number | null {
  if (candidateId === null) return null;
  const slash = candidateId.lastIndexOf('/');
  return slash < 0 ? null : Number(candidateId.slice(slash + 1));
}

/** Key of a tree position: the parent node's id and the candidate index (null, null for a root). */
export function positionKey(taskId: string, parentId: string | null, candidateIndex: number | null): string {
  return `${taskId}\u0000${parentId ?? ''}\u0000${candidateIndex ?? ''}`;
}
