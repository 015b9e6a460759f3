import { Job, Queue, QueueEvents } from 'bullmq';
import type { Task } from '../core/environment.ts';
import { newRunId } from '../core/ids.ts';
import { runRecipe, type RecipeRunOptions } from '../replay/run-recipe.ts';
import type { RunResult, TaskResult } from '../search/run.ts';
import type { RunRecipe } from '../store/records.ts';
import { QUEUE_KEY_PREFIX, type QueueAddress } from './address.ts';
import { createJobTracker, type QueueProgress } from './queue-progress.ts';
import { connectRedis, watchConnection } from './redis.ts';
import { TASK_JOB_VERSION, taskJobId, type TaskJob, type TaskJobResult } from './task-job.ts';

export interface QueuedRunOptions extends Pick<RecipeRunOptions, 'store' | 'tasks' | 'signal' | 'onEvent' | 'onReady' | 'argv' | 'tags'> {
  queue: QueueAddress;
  /** Attempts per task (a killed worker's stalled job does not use one up) before it is recorded as failed. Default 3. */
  attempts?: number;
  /** Called whenever a job changes state (queued, running on a worker, done, failed). */
  onProgress?: (progress: QueueProgress) => void;
  /** Messages for the person who started the run (lost connection, a failed task). */
  report?: (message: string) => void;
  /** How often unfinished jobs are looked up, in case an event was missed (a Redis restart). Default 1 s. */
  pollMs?: number;
  /** How many unfinished jobs one poll looks up at most, least recently looked up first. Default 250. */
  pollBatch?: number;
}

const DEFAULT_ATTEMPTS = 3;
const POLL_BATCH = 250;
// Finished jobs are kept a while for people inspecting the queue, then removed by BullMQ.
const KEEP_FINISHED_S = 24 * 3600;

/** The first `count` keys of `waiting` (those least recently polled), moved to its end. */
export function nextToPoll<K, V>(waiting: Map<K, V>, count: number): K[] {
  const due: K[] = [];
  for (const key of waiting.keys()) {
    if (due.length >= count) break;
    due.push(key);
  }
  for (const key of due) {
    const value = waiting.get(key)!;
    waiting.delete(key);
    waiting.set(key, value);
  }
  return due;
}

/** Why a job failed for good, and how many attempts it took (unknown for a job removed from the queue). */
interface JobFailure {
  reason: string;
  attempts?: number;
}

/**
 * Runs a recipe on a queue: records the run here, puts one job per task on the queue, and waits while workers
 * (`startQueueWorker`, any number, on any machine sharing the store) search them. A task whose job fails every
 * attempt is recorded as failed and the others go on. Interrupted (the signal), jobs no worker took are withdrawn;
 * the run is recorded as interrupted and can be resumed (`stepwise resume`).
 */
export async function runRecipeOnQueue(recipe: RunRecipe, options: QueuedRunOptions): Promise<RunResult> {
  const { store, queue: address } = options;
  const report = options.report ?? (() => {});
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const runId = newRunId();
  // A look-up that gets no answer fails and is asked again, instead of leaving the run waiting on it.
  const redis = connectRedis(address, { commandTimeoutMs: 15_000 });
  watchConnection(redis, report, 'run');
  const eventsRedis = connectRedis(address);
  const queue = new Queue(address.name, { connection: redis, prefix: QUEUE_KEY_PREFIX });
  const events = new QueueEvents(address.name, { connection: eventsRedis, prefix: QUEUE_KEY_PREFIX });
  queue.on('error', () => {});
  events.on('error', () => {});
  const waiting = new Map<string, { resolve: (result: TaskJobResult) => void; reject: (failure: JobFailure) => void }>();
  let tracker: ReturnType<typeof createJobTracker> | null = null;
  let runRecorded: Promise<void> | null = null;

  events.on('progress', ({ jobId, data }) => {
    const worker = (data as { worker?: unknown } | null)?.worker;
    tracker?.set(jobId, 'running', typeof worker === 'string' ? worker : null);
  });
  events.on('stalled', ({ jobId }) => tracker?.set(jobId, 'queued'));
  events.on('completed', ({ jobId }) => void settleOnce(jobId));
  events.on('failed', ({ jobId }) => void settleOnce(jobId));

  // One look-up per job at a time (events and the poll both ask); a failed look-up is retried by the next poll.
  const settling = new Set<string>();
  let lookupFailure: string | null = null;
  async function settleOnce(jobId: string): Promise<void> {
    if (settling.has(jobId)) return;
    settling.add(jobId);
    try {
      await settle(jobId);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lookupFailure) report(`could not look up job ${jobId} (${message}); trying again`);
      lookupFailure = message;
    } finally {
      settling.delete(jobId);
    }
  }

  // Looks the job up: finished → its waiter is answered; otherwise its state is tracked. The state is read before
  // the job, so a job finishing in between is seen finished with its result.
  async function settle(jobId: string): Promise<void> {
    const waiter = waiting.get(jobId);
    if (!waiter) return;
    const state = await queue.getJobState(jobId);
    if (state === 'completed') {
      const outcome = (await Job.fromId(queue, jobId))?.returnvalue as TaskJobResult | null | undefined;
      if (!outcome?.result) return;
      waiting.delete(jobId);
      tracker?.set(jobId, 'done', outcome.worker);
      waiter.resolve(outcome);
    } else if (state === 'failed') {
      const job = await Job.fromId(queue, jobId);
      waiting.delete(jobId);
      tracker?.set(jobId, 'failed');
      // A job that cannot run as sent (the worker's store lacks the run, say) fails on its first attempt.
      waiter.reject({ reason: job?.failedReason ?? 'unknown error', attempts: job?.attemptsMade });
    } else if (state === 'unknown') {
      waiting.delete(jobId);
      waiter.reject({ reason: 'the job was removed from the queue' });
    } else if (state !== 'active') {
      tracker?.set(jobId, 'queued');
    }
  }

  const searchOnQueue = async (task: Task, index: number): Promise<TaskResult | null> => {
    // Workers read the run record, so it is in the store before the first job is.
    await (runRecorded ??= store.flush());
    const jobId = taskJobId(runId, index);
    const data: TaskJob = { version: TASK_JOB_VERSION, runId, taskIndex: index, task, recipe, plugins: [], store: store.location };
    let waiter!: { resolve: (result: TaskJobResult) => void; reject: (failure: JobFailure) => void };
    const finished = new Promise<TaskJobResult>((resolve, reject) => (waiter = { resolve, reject }));
    finished.catch(() => {});
    await queue.add('task', data, {
      jobId,
      attempts,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: KEEP_FINISHED_S },
      removeOnFail: { age: KEEP_FINISHED_S },
    });
    // Looked up only once added (a job looked up before is "unknown"); an event missed until then is caught by the poll.
    waiting.set(jobId, waiter);
    void settleOnce(jobId);
    const withdrawn = new Promise<null>((resolve) => {
      if (options.signal?.aborted) resolve(null);
      options.signal?.addEventListener('abort', () => resolve(null), { once: true });
    });
    try {
      const outcome = await Promise.race([finished, withdrawn]);
      if (outcome === null) {
        // Interrupted: a job no worker took is withdrawn; one running finishes and records itself.
        await Job.fromId(queue, jobId).then((job) => job?.remove()).catch(() => {});
        return null;
      }
      return outcome.result;
    } catch (failure) {
      const { reason, attempts: made } = failure as JobFailure;
      report(`task ${task.id} failed${made === undefined ? '' : ` after ${made} attempt(s)`}: ${reason}`);
      return recordFailedTask(task.id, reason);
    }
  };

  const recordFailedTask = (taskId: string, reason: string): TaskResult => {
    const result: TaskResult = { taskId, outcome: 'failed', stopReason: `job failed: ${reason}`, plan: null, solutionNodeId: null, expansions: 0, nodes: 0, wallMs: 0 };
    store.append({ type: 'task_result', runId, ...result, finishedAt: new Date().toISOString() });
    return result;
  };

  // The poll is a safety net for missed events, so it looks up the jobs least recently looked up, a bounded number per
  // tick: a run of thousands of tasks does not ask Redis for every job's state every second.
  const poller = setInterval(() => {
    for (const jobId of nextToPoll(waiting, options.pollBatch ?? POLL_BATCH)) void settleOnce(jobId);
  }, options.pollMs ?? 1000);
  try {
    await events.waitUntilReady();
    return await runRecipe(recipe, {
      store,
      tasks: options.tasks,
      runId,
      argv: options.argv,
      tags: options.tags,
      signal: options.signal,
      onEvent: (event) => {
        if (event.type === 'run_start') {
          tracker = createJobTracker(Array.from({ length: event.tasks }, (_, i) => taskJobId(runId, i)), (progress) => options.onProgress?.(progress));
        }
        options.onEvent?.(event);
      },
      onReady: options.onReady,
      delegate: searchOnQueue,
    });
  } finally {
    clearInterval(poller);
    await events.close().catch(() => {});
    await queue.close().catch(() => {});
    eventsRedis.disconnect();
    redis.disconnect();
  }
}
