import { StepwiseError } from '../core/errors.ts';

/** Why a model call failed; callers may branch on it (e.g. stop a run on `auth`, skip a candidate on `bad_response`). */
export type ModelFailureReason =
  | 'missing_key'
  | 'auth'
  | 'not_found'
  | 'bad_request'
  | 'rate_limited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'bad_response'
  | 'cancelled';

// After the client's retries, an unreachable or silent server (refused, DNS, TLS, timeouts) will fail the next call too.
const FATAL_REASONS = new Set<ModelFailureReason>(['missing_key', 'auth', 'not_found', 'network', 'timeout']);

/** A model could not be reached or did not answer usably, after the client's retries where retrying made sense. */
export class ModelError extends StepwiseError {
  readonly reason: ModelFailureReason;
  /** HTTP status of the last reply, when there was one. */
  readonly status?: number;
  /** Requests sent for the call, retries included. */
  readonly attempts: number;
  constructor(
    reason: ModelFailureReason,
    message: string,
    options?: { hint?: string; cause?: unknown; status?: number; attempts?: number },
  ) {
    // A missing key, a rejected key, a wrong model name or a server out of reach will fail every call: end the run instead.
    super('model', message, { ...options, fatal: FATAL_REASONS.has(reason) });
    this.reason = reason;
    this.status = options?.status;
    this.attempts = options?.attempts ?? 0;
  }
}
