import type { Environment } from '../core/environment.ts';
import { QueueError } from '../core/errors.ts';
import { dropRecorded, resumePointOf } from '../replay/resume.ts';
import type { RecordedRun } from '../replay/recorded-run.ts';
import { runRecipe } from '../replay/run-recipe.ts';
import type { TaskResult } from '../search/run.ts';
import type { Store } from '../store/store.ts';

/** Where a task job's model calls are recorded and looked up (a worker wraps its store to share the cache). */
export type ModelCallStore = Pick<Store, 'append' | 'findModelCall'>;
import type { TaskJob } from './task-job.ts';

export interface SearchTaskJobOptions {
  store: Store;
  /** Where model calls are recorded and looked up (a worker's claiming store); `store` by default. */
  modelStore?: (store: Store) => ModelCallStore;
  /** Used instead of the registry's environment (tests; plug-in environments until the registry loads them). */
  environment?: Environment<any, any, any>;
  signal?: AbortSignal;
}

/**
 * Searches one task of a run and records it into the run's store. Safe to run again after an attempt that was
 * killed: what the earlier attempt recorded is kept as a resume keeps it (same ids, nothing recorded twice, no
 * recorded reply sent again) and the search goes on from there, so the task's tree equals an uninterrupted one.
 * A task the earlier attempt finished is not searched again.
 */
export async function searchTaskJob(job: TaskJob, options: SearchTaskJobOptions): Promise<TaskResult> {
  const { store } = options;
  await checkRunOfJob(store, job);
  const earlier = await earlierAttempt(store, job.runId, job.task.id);
  const recordingStore = earlier ? dropRecorded(store, earlier, job.runId) : store;
  const result = await runRecipe(job.recipe, {
    store: recordingStore,
    modelStore: options.modelStore?.(recordingStore),
    tasks: [job.task],
    runId: job.runId,
    part: { taskIndex: job.taskIndex },
    resume: earlier ? resumePointOf(earlier) : undefined,
    environment: options.environment,
    signal: options.signal,
  });
  // The job is acknowledged only once its records are in the store.
  await store.flush();
  return result.results[0];
}

// Runs each store is known to hold: a run's record is never removed, so a worker looks each run up once (a summary
// reads every task's result: once per job, a 1,000-task run would cost a worker 1,000 such reads).
const knownRuns = new WeakMap<Store, Set<string>>();

async function checkRunOfJob(store: Store, job: TaskJob): Promise<void> {
  let known = knownRuns.get(store);
  if (known?.has(job.runId)) return;
  try {
    await store.getRun(job.runId);
    if (!known) knownRuns.set(store, (known = new Set()));
    known.add(job.runId);
  } catch (error) {
    const runStore = job.store && job.store !== store.location ? ` (the run records into ${job.store})` : '';
    throw new QueueError(`run ${job.runId} is not in this worker's store ${store.location}${runStore}`, {
      hint: 'start the worker with the store the run was started with (--db), e.g. the same postgres:// URL or a SQLite file on a shared disk',
      cause: error,
    });
  }
}

/** What earlier attempts at this task recorded, as a run holding only this task; null when none started it. */
async function earlierAttempt(store: Store, runId: string, taskId: string): Promise<RecordedRun | null> {
  const task = await store.getTask(runId, taskId);
  if (!task) return null;
  const [summary, tree] = await Promise.all([store.getRun(runId), store.getTree(runId, taskId)]);
  return {
    summary: { ...summary, results: summary.results.filter((r) => r.taskId === taskId) },
    tasks: [task],
    trees: new Map([[taskId, tree]]),
  };
}
