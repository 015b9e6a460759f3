/** Where one job of a run stands, as the run's own process follows it. */
export type JobState = 'queued' | 'running' | 'done' | 'failed';

/** The jobs of a run by state, and what each worker is doing with them. */
export interface QueueProgress {
  total: number;
  queued: number;
  running: number;
  done: number;
  failed: number;
  /** Per worker name: jobs it is searching now, and jobs it finished. */
  workers: Map<string, { running: number; done: number }>;
}

/** Follows the jobs of one run from queue events and polls; every change yields a fresh snapshot. */
export function createJobTracker(jobIds: readonly string[], onChange: (progress: QueueProgress) => void) {
  const jobs = new Map<string, { state: JobState; worker: string | null }>(jobIds.map((id) => [id, { state: 'queued', worker: null }]));
  const snapshot = (): QueueProgress => {
    const progress: QueueProgress = { total: jobs.size, queued: 0, running: 0, done: 0, failed: 0, workers: new Map() };
    for (const { state, worker } of jobs.values()) {
      progress[state]++;
      if (worker === null || (state !== 'running' && state !== 'done')) continue;
      const counts = progress.workers.get(worker) ?? { running: 0, done: 0 };
      counts[state]++;
      progress.workers.set(worker, counts);
    }
    return progress;
  };
  return {
    /** Records a job's new state (and the worker, when known); finished jobs stay finished. */
    set(jobId: string, state: JobState, worker?: string | null) {
      const job = jobs.get(jobId);
      if (!job || job.state === 'done' || job.state === 'failed') return;
      if (job.state === state && (worker === undefined || worker === job.worker)) return;
      job.state = state;
      if (worker !== undefined) job.worker = worker;
      onChange(snapshot());
    },
    snapshot,
  };
}

/** `queued 3 · running 4 · done 12 · failed 1 · host-a:411 2 running/6 done, …` */
export function describeQueueProgress(progress: QueueProgress): string {
  const workers = [...progress.workers].map(([name, { running, done }]) => `${name} ${running}/${done}`).join(', ');
  return `queued ${progress.queued} · running ${progress.running} · done ${progress.done} · failed ${progress.failed}${workers ? ` · workers (running/done): ${workers}` : ''}`;
}
