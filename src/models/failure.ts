import { APICallError, InvalidResponseDataError } from 'ai';
import type { ModelFailureReason } from './errors.ts';
import { retryAfterMs } from './retry.ts';
import type { ModelSpec } from './spec.ts';

/** One failed attempt, read into what happened and whether another attempt could help. */
export interface AttemptFailure {
  reason: ModelFailureReason;
  retryable: boolean;
  message: string;
  hint?: string;
  status?: number;
  /** How long the server asked the client to wait (Retry-After), in ms. */
  retryAfterMs?: number;
  cause: unknown;
}

export interface FailureContext {
  spec: ModelSpec;
  endpoint: string;
  keyVariable: string | null;
  timeoutMs: number;
  /** The attempt's own timer fired. */
  timedOut: boolean;
  /** The caller's signal fired (the run is stopping). */
  cancelled: boolean;
}

/**
 * Reads an error thrown by one attempt (the provider call). Retried: 408, 409, 429, 5xx, network errors,
 * per-attempt timeouts, and a 200 whose body is not a chat completion or holds no choice (a proxy or
 * server fault, not the request's). Not retried: other 4xx (key, model name, request), and cancellation.
 */
export function describeFailure(error: unknown, at: FailureContext): AttemptFailure {
  const { spec, timeoutMs } = at;
  if (at.cancelled) {
    return { reason: 'cancelled', retryable: false, message: `model call to ${spec.text} cancelled: the run is stopping`, cause: error };
  }
  if (at.timedOut) {
    return {
      reason: 'timeout',
      retryable: true,
      message: `no reply from ${at.endpoint} within ${seconds(timeoutMs)}`,
      hint: 'check that the server is up and not overloaded, or raise --model-timeout; `stepwise resume <run>` continues the run',
      cause: error,
    };
  }
  if (InvalidResponseDataError.isInstance(error)) {
    // A 200 that parsed but holds no answer (an empty `choices` list): a server fault like a broken body, so retried.
    return {
      reason: 'bad_response',
      retryable: true,
      message: `the reply from ${at.endpoint} holds no answer (${error.message}); it was ${clip(typeof error.data === 'string' ? error.data : JSON.stringify(error.data) ?? '', 120)}`,
      hint: 'the server answered without a completion; check its logs, or that the base URL points at an OpenAI-compatible /v1 endpoint',
      cause: error,
    };
  }
  if (!APICallError.isInstance(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return { reason: 'bad_request', retryable: false, message: `model call to ${spec.text} failed: ${message}`, cause: error };
  }
  const status = error.statusCode;
  const url = error.url || at.endpoint;
  const said = serverMessage(error);
  if (status === undefined) {
    return {
      reason: 'network',
      retryable: error.isRetryable,
      message: `cannot reach ${url}: ${error.message}`,
      hint: 'check that the server is running and the base URL is right; `stepwise resume <run>` continues the run once it answers',
      cause: error,
    };
  }
  if (status >= 200 && status < 300) {
    return {
      reason: 'bad_response',
      retryable: true,
      status,
      message: `the reply from ${url} is not a chat completion (${error.message}); it starts ${JSON.stringify(clip(error.responseBody ?? '', 120))}`,
      hint: 'check that the base URL points at an OpenAI-compatible /v1 endpoint',
      cause: error,
    };
  }
  if (status === 429) {
    return {
      reason: 'rate_limited',
      retryable: true,
      status,
      retryAfterMs: retryAfterMs(error.responseHeaders ?? {}),
      message: `rate limited by ${url} (429${said})`,
      hint: 'lower the concurrency, or wait for the quota to reset',
      cause: error,
    };
  }
  if (status >= 500 || status === 408 || status === 409) {
    return { reason: 'server', retryable: true, status, message: `server error from ${url} (${status}${said})`, cause: error };
  }
  if (status === 401 || status === 403) {
    return {
      reason: 'auth',
      retryable: false,
      status,
      message: `${url} refused the request for ${spec.text} (${status}${said})`,
      hint: at.keyVariable
        ? `check the key in ${at.keyVariable} and that it may use model ${spec.model}`
        : 'the server wants an API key: set STEPWISE_API_KEY',
      cause: error,
    };
  }
  if (status === 404) {
    return {
      reason: 'not_found',
      retryable: false,
      status,
      message: `model ${spec.model} not found at ${url} (404${said})`,
      hint: `check the model name in "${spec.text}"${spec.provider === 'openai-compatible' ? ' and that the base URL ends in /v1' : ''}`,
      cause: error,
    };
  }
  return {
    reason: 'bad_request',
    retryable: false,
    status,
    message: `${url} rejected the request to ${spec.text} (${status}${said})`,
    hint: 'check the request parameters (temperature, max tokens, stop) against what the model accepts',
    cause: error,
  };
}

function serverMessage(error: APICallError): string {
  return error.message && error.message !== 'Invalid JSON response' ? `: ${clip(error.message, 300)}` : '';
}

function clip(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length)}…`;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
