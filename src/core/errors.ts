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
