import type { StepContext } from '../core/step.ts';

/** One chat message sent to a model. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Everything that determines a model's reply; its hash is the cache key. */
export interface ModelRequest {
  messages: ChatMessage[];
  temperature?: number;
  maxOutputTokens?: number;
  topP?: number;
  stop?: string[];
  /**
   * Which of several samples of the same prompt this is (0-based). Part of the cache key, so k
   * samples at temperature > 0 are k requests, and a rerun is served all k from the cache.
   */
  sample?: number;
}

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface ModelReply {
  text: string;
  usage: ModelUsage;
  /** Served from the cache (this run, another branch, or an earlier run) without a request. */
  cacheHit: boolean;
  latencyMs: number;
  /** Id of the recorded model call. */
  callId: string;
}

/** A model behind one spec string, with caching, retries, a concurrency limit and recording. */
export interface ModelClient {
  /** The spec it was made from, e.g. `openai:gpt-4o-mini`. */
  readonly spec: string;
  /**
   * Sends the request unless an identical one was answered before (then it is a cache hit), and
   * records the call against the node in `ctx`. Throws ModelError when the call fails for good.
   */
  generate(request: ModelRequest, ctx: StepContext<any, any>): Promise<ModelReply>;
}
