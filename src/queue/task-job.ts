import { z } from 'zod';
import type { Task } from '../core/environment.ts';
import type { TaskResult } from '../search/run.ts';
import type { RunRecipe } from '../store/records.ts';

/** Bumped when a job's shape changes, so an older worker refuses a job it would misread instead of guessing. */
export const TASK_JOB_VERSION = 1;

/**
 * One task of a run, as a queue job: everything a worker on any machine needs to search it and record it
 * into the run (the run's record itself is written by the process that started the run).
 */
export interface TaskJob {
  version: typeof TASK_JOB_VERSION;
  runId: string;
  /** The task's position in the run (its records keep it, and its node ids are numbered under it). */
  taskIndex: number;
  task: Task;
  recipe: RunRecipe;
  /**
   * Plug-ins the recipe's components come from (name, version, specifier), loaded by the worker before it builds
   * the run. Empty until plug-in loading lands (src/registry); a worker refuses a job naming any for now.
   */
  plugins: { name: string; version?: string; specifier: string }[];
  /** Where the run is recorded (a path or a URL without its password), named when a worker's store lacks the run. */
  store?: string;
}

/** What a worker returns for a job: the task's result and which worker searched it. */
export interface TaskJobResult {
  result: TaskResult;
  worker: string;
}

const taskJobSchema = z.object({
  version: z.literal(TASK_JOB_VERSION),
  runId: z.string().min(1),
  taskIndex: z.number().int().min(0),
  task: z.object({ id: z.string().min(1), env: z.string(), source: z.string(), spec: z.unknown(), meta: z.record(z.string(), z.unknown()).optional() }),
  recipe: z.looseObject({ env: z.string(), tasks: z.string(), strategy: z.string(), seed: z.number(), scorers: z.array(z.string()) }),
  plugins: z.array(z.object({ name: z.string(), version: z.string().optional(), specifier: z.string() })),
  store: z.string().optional(),
});

/** Reads a job's data, or says what is wrong with it (a job from another program or another stepwise version). */
export function readTaskJob(data: unknown): TaskJob | string {
  const parsed = taskJobSchema.safeParse(data);
  // The recipe's other fields are checked when the worker builds the run from it.
  if (parsed.success) return parsed.data as unknown as TaskJob;
  const version = (data as { version?: unknown } | null)?.version;
  if (version !== TASK_JOB_VERSION) return `the job has format version ${JSON.stringify(version)}, this worker reads version ${TASK_JOB_VERSION}: start workers of the same stepwise as the run`;
  const issue = parsed.error.issues[0];
  return `the job is not a stepwise task job: ${issue.path.join('.') || 'data'}: ${issue.message}`;
}

/** Deterministic, so a task is never enqueued twice for one run (BullMQ refuses ids with ':'). */
export function taskJobId(runId: string, taskIndex: number): string {
  return `${runId}-${taskIndex}`;
}
