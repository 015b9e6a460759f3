/** How a failed call is retried. */
export interface RetryPolicy {
  /** Retries after the first attempt (so up to maxRetries + 1 requests). */
  maxRetries: number;
  /** Wait before the first retry; doubles with each further retry. */
  initialDelayMs: number;
  /** Cap on the backoff wait, and on a Retry-After the client will honour (a longer one fails the call at once). */
  maxDelayMs: number;
  /** Uniform in [0, 1); jitter source. */
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 4, initialDelayMs: 1000, maxDelayMs: 60_000, random: Math.random };

/**
 * The wait before retry number `retry` (1-based): exponential backoff with "equal jitter" (half fixed,
 * half random), so many clients that failed together do not come back together. A server's
 * Retry-After is a floor, with up to 10% jitter on top for the same reason.
 */
export function retryDelayMs(retry: number, policy: RetryPolicy, serverAskedMs?: number): number {
  if (serverAskedMs !== undefined) return serverAskedMs * (1 + 0.1 * policy.random());
  const backoff = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (retry - 1));
  return backoff / 2 + (backoff / 2) * policy.random();
}

/** The wait a reply asks for: `retry-after-ms`, else `retry-after` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(headers: Record<string, string | undefined>, now = Date.now()): number | undefined {
  const ms = headers['retry-after-ms'];
  if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const after = headers['retry-after']?.trim();
  if (!after) return undefined;
  if (/^\d+(\.\d+)?$/.test(after)) return Number(after) * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
