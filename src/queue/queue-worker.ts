import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Environment } from '../core/environment.ts';
import { QueueError, StepwiseError } from '../core/errors.ts';
import type { Store } from '../store/store.ts';
import { QUEUE_KEY_PREFIX, type QueueAddress } from './address.ts';
import { claimingModelCallStore } from './model-call-claims.ts';
import { connectRedis, watchConnection } from './redis.ts';
import { searchTaskJob } from './search-task-job.ts';
import { readTaskJob, type TaskJob, type TaskJobResult } from './task-job.ts';

export interface QueueWorkerOptions {
  queue: QueueAddress;
  /** The store the runs are recorded in (every worker and the run's own process share it). */
  store: Store;
  /** Jobs this worker searches at once (default 1). */
  concurrency?: number;
  /** Shown in progress and recorded with each result; `<host>:<pid>` by default. */
  name?: string;
  /**
   * A job whose worker stops renewing its lock this long (killed, or cut off) is handed to another worker.
   * Default 30 s; lower it to retry sooner, at the cost of more Redis traffic.
   */
  stallMs?: number;
  /** Used instead of the registry's environment of the job's recipe (tests; plug-in seam until the registry loads them). */
  environment?: Environment<any, any, any>;
  /** Messages for the person running the worker (jobs started, finished, failed; connection lost). */
  report?: (message: string) => void;
}

export interface QueueWorker {
  readonly name: string;
  /** Stops taking jobs and waits for the running ones to finish and be recorded. */
  close(): Promise<void>;
  /** Jobs running right now. */
  readonly running: number;
}

/** Takes task jobs off the queue and searches them into the store until closed. */
export function startQueueWorker(options: QueueWorkerOptions): QueueWorker {
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const report = options.report ?? (() => {});
  const stallMs = options.stallMs ?? 30_000;
  const redis = connectRedis(options.queue);
  watchConnection(redis, report, `worker ${name}`);
  const claimRedis = connectRedis(options.queue);
  const claimPrefix = `${QUEUE_KEY_PREFIX}:${options.queue.name}`;
  let running = 0;

  const processJob = async (job: Job): Promise<TaskJobResult> => {
    const taskJob = readTaskJob(job.data);
    if (typeof taskJob === 'string') throw new UnrecoverableError(taskJob);
    if (taskJob.plugins.length > 0) {
      throw new UnrecoverableError(`the run uses plug-ins (${taskJob.plugins.map((p) => p.name).join(', ')}), which this worker cannot load yet`);
    }
    running++;
    const label = `${taskJob.task.id} of run ${taskJob.runId}`;
    report(`${name}: searching ${label}${job.attemptsStarted > 1 ? ` (attempt ${job.attemptsStarted})` : ''}`);
    await job.updateProgress({ worker: name });
    let claiming: ReturnType<typeof claimingModelCallStore> | undefined;
    try {
      const result = await searchTaskJob(taskJob, {
        store: options.store,
        modelStore: (store) => (claiming = claimingModelCallStore(store, claimRedis, claimPrefix)),
        environment: options.environment,
      });
      report(`${name}: ${label} ${result.outcome}${result.stopReason ? ` (${result.stopReason})` : ''}`);
      return { result, worker: name };
    } catch (error) {
      report(`${name}: ${label} failed: ${errorText(error)}`);
      // A job that cannot be run as sent fails at once; anything else is retried (by this or another worker).
      if (error instanceof QueueError) throw new UnrecoverableError(errorText(error));
      throw error;
    } finally {
      claiming?.release();
      running--;
    }
  };

  const worker = new Worker(options.queue.name, processJob, {
    connection: redis,
    prefix: QUEUE_KEY_PREFIX,
    name,
    concurrency: options.concurrency ?? 1,
    lockDuration: stallMs,
    stalledInterval: Math.max(500, Math.round(stallMs / 2)),
    maxStalledCount: 2,
  });
  // Errors reach the report through the connection watcher; without a listener an EventEmitter would throw them.
  worker.on('error', () => {});

  return {
    name,
    get running() {
      return running;
    },
    async close() {
      await worker.close();
      await options.store.flush();
      claimRedis.disconnect();
      redis.disconnect();
    },
  };
}

function errorText(error: unknown): string {
  if (error instanceof StepwiseError) return `${error.message}${error.hint ? ` (${error.hint})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}

export type { TaskJob };
