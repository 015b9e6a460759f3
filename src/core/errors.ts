/** Base class of every error stepwise throws on purpose; callers can branch on `code`. */
export class StepwiseError extends Error {
  readonly code: string;
  /** What the user can do about it, in one sentence. */
  readonly hint?: string;
  /** The run cannot go on (a missing API key, a wrong model name): the engine stops instead of recording a bad step. */
  readonly fatal: boolean;
  constructor(code: string, message: string, options?: { hint?: string; cause?: unknown; fatal?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options?.hint;
    this.fatal = options?.fatal ?? false;
  }
}

/** True for errors that must end the run rather than become an invalid candidate. */
export function isFatal(error: unknown): boolean {
  return error instanceof StepwiseError && error.fatal;
}

/** Text that should have been an action could not be read as one. */
export class ActionParseError extends StepwiseError {
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super('action_parse', message, options);
  }
}

/** A PDDL file, CSV row or generator spec could not be read into a task. */
export class TaskError extends StepwiseError {
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super('task', message, options);
  }
}

/** A command-line argument or configuration value is wrong. */
export class UsageError extends StepwiseError {
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super('usage', message, options);
  }
}

/** The store file is unreadable, from a newer stepwise, or a record is missing. */
export class StoreError extends StepwiseError {
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super('store', message, options);
  }
}

/** A run cannot be replayed, resumed or forked as asked, or a replay met a request its record does not answer. */
export class ReplayError extends StepwiseError {
  constructor(message: string, options?: { hint?: string; cause?: unknown; fatal?: boolean }) {
    super('replay', message, options);
  }
}

/** A run another process is writing (it holds the run's lease): a second writer would duplicate its work. */
export class RunOwnedError extends StepwiseError {
  readonly holder: RunLeaseHolder;
  constructor(holder: RunLeaseHolder, options?: { lost?: boolean }) {
    const who = `pid ${holder.pid} on ${holder.host}, since ${holder.since}`;
    const until = new Date(holder.expiresAt).toISOString();
    super(
      'run_owned',
      options?.lost
        ? `run ${holder.runId} was taken over by another process (${who}) while this one was writing it; this process stops writing it`
        : `run ${holder.runId} is being written by another process (${who}; its lease runs until ${until} unless renewed)`,
      {
        hint: options?.lost
          ? 'this process paused longer than the lease lasts (30 s); let the other process finish the run'
          : `wait for it with \`stepwise resume ${holder.runId} --wait\`, or stop that process; a killed owner's lease is taken over once it expires (at once on the same host)`,
        fatal: true,
      },
    );
    this.holder = holder;
  }
}

/** The fields of a run's lease an error names (store/lease.ts's RunLease). */
export interface RunLeaseHolder {
  runId: string;
  host: string;
  pid: number;
  since: string;
  expiresAt: number;
}

/** A queue job cannot be run as sent (another stepwise's job, a run missing from the worker's store), or the queue is unusable. */
export class QueueError extends StepwiseError {
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super('queue', message, options);
  }
}

/**
 * Thrown inside a strategy when a budget or a guard ends the search; the runner catches it. Not a StepwiseError:
 * it is how a search ends, not a mistake to report.
 */
export class SearchStopped extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(`search stopped: ${reason}`);
    this.reason = reason;
  }
}
