export { parseQueueAddress, DEFAULT_QUEUE_NAME, QUEUE_KEY_PREFIX, type QueueAddress } from './address.ts';
export { runRecipeOnQueue, type QueuedRunOptions } from './queued-run.ts';
export { startQueueWorker, type QueueWorker, type QueueWorkerOptions } from './queue-worker.ts';
export { searchTaskJob, type SearchTaskJobOptions } from './search-task-job.ts';
export { describeQueueProgress, type QueueProgress } from './queue-progress.ts';
export { TASK_JOB_VERSION, taskJobId, type TaskJob, type TaskJobResult } from './task-job.ts';
