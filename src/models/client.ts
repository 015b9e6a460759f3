import { ReplayError } from '../core/errors.ts';
import { attachmentId } from '../core/ids.ts';
import type { StepContext } from '../core/step.ts';
import { createLimiter } from '../core/limiter.ts';
import type { ModelCallRecord } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { ModelError } from './errors.ts';
import { languageModelFor } from './provider.ts';
import { recordedReplyText, replyOfRecord } from './recorded-reply.ts';
import { canonicalRequest, requestHash } from './request-hash.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.ts';
import { sendWithRetries } from './send.ts';
import { parseModelSpec, type ModelSpec } from './spec.ts';
import type { ModelClient, ModelReply, ModelRequest, ModelToolCall, ModelUsage } from './types.ts';

export interface ModelClientOptions {
  /** `openai:gpt-4o-mini`, `anthropic:…`, `openai-compatible:<base URL>#<model>`, or one already parsed. */
  spec: string | ModelSpec;
  /** Where calls are recorded and earlier runs' replies are looked up. */
  store: Pick<Store, 'append' | 'findModelCall'>;
  /** Requests in flight at once for this model. */
  concurrency?: number;
  /** Per attempt. */
  timeoutMs?: number;
  /** Retries after the first attempt for 429, 5xx, timeouts, network errors and unreadable replies. */
  maxRetries?: number;
  /** Backoff before the first retry (doubles per retry, with jitter). */
  retryDelayMs?: number;
  /** Cap on a backoff wait and on the Retry-After the client honours; a longer Retry-After fails the call. */
  maxRetryDelayMs?: number;
  /** Keys are read from here; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  fetch?: typeof globalThis.fetch;
  /** Never send: a request no recorded call answers ends the run with a fatal ReplayError (strict replay). */
  offline?: boolean;
}

/** A reply that can answer a request: the call that produced it, its text and what it cost. */
interface Answer {
  callId: string;
  text: string;
  toolCalls: ModelToolCall[];
  usage: ModelUsage;
}

type Outcome = { answer: Answer; attempts: number; sent: boolean; paidBefore?: boolean };

/** The fields of a model_call record that differ between a sent call, a cache hit and a failure. */
type CallResult = Pick<ModelCallRecord, 'text' | 'usage' | 'cacheHit' | 'cachedFrom' | 'attempts' | 'error'>;

/** Marks the record of a call that shared another call's failed request (it sent nothing of its own). */
export const SHARED_FAILURE_SUFFIX = ' (an identical request in flight failed)';
/** A call's result before its reply is written as record text (recorded-reply.ts); null when it failed. */
type RecordedResult = Omit<CallResult, 'text'> & { text: Pick<Answer, 'text' | 'toolCalls'> | null };

const NO_USAGE: ModelUsage = { inputTokens: 0, outputTokens: 0 };

// Call ids are `<nodeId>#<n>`, counted per task (node ids are unique per run), so two clients on one
// node (a proposer and a judge) never collide, and the counts go when the task does.
const callCounters = new WeakMap<object, Map<string, number>>();

function nextCallId(task: object, runId: string, nodeId: string): string {
  let counters = callCounters.get(task);
  if (!counters) callCounters.set(task, (counters = new Map()));
  const n = (counters.get(nodeId) ?? 0) + 1;
  counters.set(nodeId, n);
  return `${attachmentId(runId, nodeId)}#${n}`;
}

/**
 * A model client that sends each distinct request once: concurrent and repeated identical requests
 * share one send (in process), and requests answered in earlier runs are served from the store.
 * Every call is recorded as a `model_call`; requests actually sent are charged to the step's budget.
 * Throws ModelError (`missing_key`) at once when the provider's key is not set.
 */
export function createModelClient(options: ModelClientOptions): ModelClient {
  const spec = typeof options.spec === 'string' ? parseModelSpec(options.spec) : options.spec;
  const { store } = options;
  // Offline, nothing is sent, so no key is needed.
  const keys = options.offline ? { OPENAI_API_KEY: 'offline', ANTHROPIC_API_KEY: 'offline' } : {};
  const resolved = languageModelFor(spec, { env: { ...(options.env ?? process.env), ...keys }, fetch: options.fetch });
  const limiter = createLimiter(options.concurrency ?? 8);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    maxRetries: options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
    initialDelayMs: options.retryDelayMs ?? DEFAULT_RETRY_POLICY.initialDelayMs,
    maxDelayMs: options.maxRetryDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
  };
  // In-flight and answered requests of this client, by hash; a failed one is dropped so it can be tried again.
  const answers = new Map<string, Promise<Answer>>();

  const answerOrSend = async (hash: string, id: string, request: ModelRequest, ctx: StepContext<any, any>): Promise<Outcome> => {
    const stored = await store.findModelCall(hash);
    if (stored && stored.text !== null) {
      // A reply this very task sent before it was killed is charged again on resume, as the uninterrupted run was
      // (another task's reply, from this process or another worker, was shared in flight and never charged).
      const paidBefore = stored.runId === ctx.runId && stored.taskId === ctx.task.id;
      return { answer: { callId: stored.id, ...replyOfRecord(request, stored.text), usage: stored.usage ?? NO_USAGE }, attempts: 0, sent: false, paidBefore };
    }
    if (options.offline && stored && stored.error !== null) throw replayedFailure(stored, stored.error);
    if (options.offline) {
      throw new ReplayError(`a ${spec.text} request at node ${ctx.nodeId} has no recorded reply (request ${hash.slice(0, 12)})`, {
        fatal: true,
        hint: 'the replayed run asked the model something the recorded run did not: its prompts or the states before them changed',
      });
    }
    const reply = await sendWithRetries(request, { spec, resolved, timeoutMs, policy, limiter, signal: ctx.signal });
    return { answer: { callId: id, text: reply.text, toolCalls: reply.toolCalls, usage: reply.usage }, attempts: reply.attempts, sent: true };
  };

  return {
    spec: spec.text,
    async generate(request, ctx): Promise<ModelReply> {
      const started = performance.now();
      const hash = requestHash(spec.text, request);
      const id = nextCallId(ctx.task, ctx.runId, ctx.nodeId);
      const record = ({ text, ...fields }: RecordedResult): number => {
        const latencyMs = performance.now() - started;
        store.append({
          type: 'model_call',
          runId: ctx.runId,
          taskId: ctx.task.id,
          nodeId: ctx.nodeId,
          id,
          model: spec.text,
          requestHash: hash,
          request: canonicalRequest(request),
          text: text === null ? null : recordedReplyText(request, text),
          ...fields,
          latencyMs,
          createdAt: Date.now(),
        });
        return latencyMs;
      };
      const shared = answers.get(hash);
      if (shared) return serveShared(shared, id, record);

      const own = answerOrSend(hash, id, request, ctx);
      const answer = own.then((outcome) => outcome.answer);
      answers.set(hash, answer);
      answer.catch(() => {
        if (answers.get(hash) === answer) answers.delete(hash);
      });
      try {
        const outcome = await own;
        const { text, toolCalls, usage, callId } = outcome.answer;
        if (!outcome.sent) {
          if (outcome.paidBefore) ctx.charge({ modelCalls: 1, tokens: usage.inputTokens + usage.outputTokens });
          const latencyMs = record({ text: { text, toolCalls }, usage, cacheHit: true, cachedFrom: callId, attempts: 0, error: null });
          return { text, toolCalls, usage, cacheHit: true, latencyMs, callId: id };
        }
        ctx.charge({ modelCalls: 1, tokens: usage.inputTokens + usage.outputTokens });
        const latencyMs = record({ text: { text, toolCalls }, usage, cacheHit: false, cachedFrom: null, attempts: outcome.attempts, error: null });
        return { text, toolCalls, usage, cacheHit: false, latencyMs, callId: id };
      } catch (error) {
        // A store failure sent nothing; a ModelError knows how many requests went out.
        const attempts = error instanceof ModelError ? error.attempts : 0;
        if (attempts > 0) ctx.charge({ modelCalls: 1 });
        record({ text: null, usage: null, cacheHit: false, cachedFrom: null, attempts, error: errorText(error) });
        throw error;
      }
    },
  };
}

async function serveShared(
  shared: Promise<Answer>,
  id: string,
  record: (fields: RecordedResult) => number,
): Promise<ModelReply> {
  try {
    const { text, toolCalls, usage, callId } = await shared;
    const latencyMs = record({ text: { text, toolCalls }, usage, cacheHit: true, cachedFrom: callId, attempts: 0, error: null });
    return { text, toolCalls, usage, cacheHit: true, latencyMs, callId: id };
  } catch (error) {
    record({ text: null, usage: null, cacheHit: false, cachedFrom: null, attempts: 0, error: `${errorText(error)}${SHARED_FAILURE_SUFFIX}` });
    throw error;
  }
}

/**
 * A failure the replayed run recorded for this request, raised again as it was met: same message, same attempts,
 * so the same candidate turns invalid. The run's end status says whether it was the one that ended the run.
 */
function replayedFailure(stored: ModelCallRecord, error: string): ModelError {
  const endedTheRun = (stored as { endedRun?: boolean }).endedRun === true;
  return new ModelError(endedTheRun ? 'network' : 'server', error, { attempts: stored.attempts });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
