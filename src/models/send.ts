import type { Limiter } from '../search/limiter.ts';
import { ModelError } from './errors.ts';
import { describeFailure, type AttemptFailure } from './failure.ts';
import type { ProviderMessage, ResolvedModel } from './provider.ts';
import { retryDelayMs, sleep, type RetryPolicy } from './retry.ts';
import type { ModelSpec } from './spec.ts';
import type { ChatMessage, ModelRequest, ModelToolCall, ModelUsage, ToolResultMessage } from './types.ts';

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
  /** The reply's tool calls, when the request offered tools. */
  toolCalls: ModelToolCall[];
  usage: ModelUsage;
  /** Requests sent, retries included. */
  attempts: number;
}

type AttemptResult = { ok: true; text: string; toolCalls: ModelToolCall[]; usage: ModelUsage } | { ok: false; failure: AttemptFailure; sent: boolean };

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
    if (result.ok) return { text: result.text, toolCalls: result.toolCalls, usage: result.usage, attempts: ++sent };
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

/** Attempts in flight per run signal: one listener per signal aborts them all, instead of one listener (or AbortSignal.any) per attempt. */
const attemptsBySignal = new WeakMap<AbortSignal, Set<AbortController>>();

function followSignal(signal: AbortSignal, attempt: AbortController): () => void {
  let attempts = attemptsBySignal.get(signal);
  if (!attempts) {
    const following = (attempts = new Set());
    attemptsBySignal.set(signal, following);
    signal.addEventListener('abort', () => {
      for (const each of following) each.abort(signal.reason);
    }, { once: true });
  }
  attempts.add(attempt);
  return () => attempts.delete(attempt);
}

async function attemptOnce(request: ModelRequest, options: SendOptions): Promise<AttemptResult> {
  const { resolved, signal, spec, timeoutMs } = options;
  let timedOut = false;
  const failed = (error: unknown, sent = true): AttemptResult => ({
    ok: false,
    sent,
    failure: describeFailure(error, {
      spec,
      endpoint: resolved.endpoint,
      keyVariable: resolved.keyVariable,
      timeoutMs,
      timedOut,
      cancelled: signal.aborted,
    }),
  });
  // The run may have stopped while this attempt waited for a slot.
  if (signal.aborted) return failed(signal.reason, false);
  const attempt = new AbortController();
  const unfollow = followSignal(signal, attempt);
  const timeout = setTimeout(() => {
    timedOut = true;
    attempt.abort(new DOMException(`no reply within ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  try {
    // The provider's own call, not generateText: our requests are plain text chats built by our own
    // templates, and generateText's prompt validation and agent machinery cost more CPU than the HTTP call.
    const result = await resolved.model.doGenerate({
      prompt: request.messages.map(providerMessage),
      temperature: request.temperature,
      maxOutputTokens: request.maxOutputTokens,
      topP: request.topP,
      stopSequences: request.stop && request.stop.length > 0 ? request.stop : undefined,
      // Samples of one prompt are distinct requests; OpenAI-style servers take the index as a seed, so each sample is reproducible.
      seed: request.sample && spec.provider !== 'anthropic' ? request.sample : undefined,
      tools: request.tools?.map((tool) => ({ type: 'function' as const, name: tool.name, description: tool.description, inputSchema: tool.parameters })),
      toolChoice: request.toolChoice === undefined ? undefined : { type: request.toolChoice },
      responseFormat: request.responseFormat,
      abortSignal: attempt.signal,
    });
    let text = '';
    const toolCalls: ModelToolCall[] = [];
    for (const part of result.content) {
      if (part.type === 'text') text += part.text;
      // The raw argument text is kept: reading and checking it is the proposer's job, so a malformed call is recorded as written.
      else if (part.type === 'tool-call') toolCalls.push({ id: part.toolCallId, name: part.toolName, arguments: part.input });
    }
    return { ok: true, text, toolCalls, usage: { inputTokens: result.usage.inputTokens.total ?? 0, outputTokens: result.usage.outputTokens.total ?? 0 } };
  } catch (error) {
    return failed(error);
  } finally {
    clearTimeout(timeout);
    unfollow();
  }
}

/** A chat message in the providers' prompt format (what generateText would have converted it to). */
function providerMessage(message: ChatMessage | ToolResultMessage): ProviderMessage {
  if (message.role === 'tool') {
    const { toolCallId, toolName, content } = message;
    return { role: 'tool', content: [{ type: 'tool-result', toolCallId, toolName, output: { type: 'text', value: content } }] };
  }
  const { role, content, toolCalls } = message;
  if (role === 'system') return { role, content };
  if (role === 'assistant' && toolCalls && toolCalls.length > 0) {
    return {
      role,
      content: [
        ...(content === '' ? [] : [{ type: 'text' as const, text: content }]),
        ...toolCalls.map((call) => ({ type: 'tool-call' as const, toolCallId: call.id, toolName: call.name, input: argumentsInput(call.arguments) })),
      ],
    };
  }
  return { role, content: [{ type: 'text', text: content }] };
}

/** Arguments as the providers take them: the parsed object, or the raw text when it never parsed (an earlier malformed call). */
function argumentsInput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
