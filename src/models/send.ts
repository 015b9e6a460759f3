import { generateText, type ModelMessage } from 'ai';
import type { Limiter } from '../search/limiter.ts';
import { ModelError } from './errors.ts';
import { describeFailure, type AttemptFailure } from './failure.ts';
import type { ResolvedModel } from './provider.ts';
import { retryDelayMs, sleep, type RetryPolicy } from './retry.ts';
import type { ModelSpec } from './spec.ts';
import type { ModelRequest, ModelUsage } from './types.ts';

export interface SendOptions {
  spec: ModelSpec;
  resolved: ResolvedModel;
  /** Per attempt, from the moment it holds a concurrency slot. */
  timeoutMs: number;
  policy: RetryPolicy;
  /** Bounds the requests in flight; a slot is held per attempt and released while backing off. */
  limiter: Limiter;
  /** The run's signal: aborting it cancels the attempt in flight and any wait. */
  signal: AbortSignal;
}

export interface SentReply {
  text: string;
  usage: ModelUsage;
  /** Requests sent, retries included. */
  attempts: number;
}

type AttemptResult = { ok: true; text: string; usage: ModelUsage } | { ok: false; failure: AttemptFailure; sent: boolean };

/**
 * Sends one request, retrying what a retry can fix (see describeFailure) with exponential backoff
 * and jitter, honouring Retry-After. The SDK's own retries are off so every attempt is counted here.
 * Throws ModelError, carrying the attempts made, when the call fails for good.
 */
export async function sendWithRetries(request: ModelRequest, options: SendOptions): Promise<SentReply> {
  const { policy, signal, spec } = options;
  let sent = 0;
  for (let attempt = 1; ; attempt++) {
    const result = await options.limiter.run(() => attemptOnce(request, options));
    if (result.ok) return { text: result.text, usage: result.usage, attempts: ++sent };
    if (result.sent) sent++;
    const { failure } = result;
    const fail = (message: string, hint = failure.hint, reason = failure.reason): never => {
      throw new ModelError(reason, message, { hint, status: failure.status, attempts: sent, cause: failure.cause });
    };
    if (!failure.retryable) fail(failure.message);
    if (attempt > policy.maxRetries) fail(`${failure.message}; gave up after ${attempt} attempts`);
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxDelayMs) {
      fail(
        `${failure.message}; the server asks to wait ${Math.ceil(failure.retryAfterMs / 1000)} s, longer than the ${policy.maxDelayMs / 1000} s the client waits`,
        'the quota is probably exhausted: wait for it to reset, or use another model or key',
      );
    }
    try {
      await sleep(retryDelayMs(attempt, policy, failure.retryAfterMs), signal);
    } catch {
      fail(`model call to ${spec.text} cancelled while waiting to retry (${failure.message})`, undefined, 'cancelled');
    }
  }
}

async function attemptOnce(request: ModelRequest, options: SendOptions): Promise<AttemptResult> {
  const { resolved, signal, spec, timeoutMs } = options;
  const timer = new AbortController();
  const failed = (error: unknown, sent = true): AttemptResult => ({
    ok: false,
    sent,
    failure: describeFailure(error, {
      spec,
      endpoint: resolved.endpoint,
      keyVariable: resolved.keyVariable,
      timeoutMs,
      timedOut: timer.signal.aborted,
      cancelled: signal.aborted,
    }),
  });
  // The run may have stopped while this attempt waited for a slot.
  if (signal.aborted) return failed(signal.reason, false);
  const timeout = setTimeout(() => timer.abort(new DOMException(`no reply within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  try {
    const result = await generateText({
      model: resolved.model,
      messages: request.messages.map(({ role, content }): ModelMessage => ({ role, content })),
      // Prompts come from the user's own templates, not from untrusted input.
      allowSystemInMessages: true,
      temperature: request.temperature,
      maxOutputTokens: request.maxOutputTokens,
      topP: request.topP,
      stopSequences: request.stop && request.stop.length > 0 ? request.stop : undefined,
      // Samples of one prompt are distinct requests; OpenAI-style servers take the index as a seed, so each sample is reproducible.
      seed: request.sample && spec.provider !== 'anthropic' ? request.sample : undefined,
      maxRetries: 0,
      abortSignal: AbortSignal.any([timer.signal, signal]),
    });
    return { ok: true, text: result.text, usage: { inputTokens: result.usage.inputTokens ?? 0, outputTokens: result.usage.outputTokens ?? 0 } };
  } catch (error) {
    return failed(error);
  } finally {
    clearTimeout(timeout);
  }
}
