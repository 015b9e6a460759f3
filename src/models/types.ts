import type { StepContext } from '../core/step.ts';
import type { ToolSpec } from '../core/world.ts';

/** One chat message sent to a model. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /** An assistant turn that called tools (a tool agent's earlier step); each call's result follows as a `tool` message. */
  toolCalls?: ModelToolCall[];
}

/** The result of one tool call, sent back to the model after the assistant turn that made the call. */
export interface ToolResultMessage {
  role: 'tool';
  content: string;
  /** The `id` of the call in the assistant turn before it. */
  toolCallId: string;
  toolName: string;
}

/** One tool call in a model's reply, as the model wrote it: `arguments` is its raw JSON text, unparsed and unchecked. */
export interface ModelToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** Ask for JSON (and where the provider supports it, JSON matching `schema`) instead of free text. */
export interface ResponseFormat {
  type: 'json';
  schema?: Record<string, unknown>;
  /** Some providers use a name for the schema. */
  name?: string;
}

/** Everything that determines a model's reply; its hash is the cache key. */
export interface ModelRequest {
  messages: (ChatMessage | ToolResultMessage)[];
  temperature?: number;
  maxOutputTokens?: number;
  topP?: number;
  stop?: string[];
  /**
   * Which of several samples of the same prompt this is (0-based). Part of the cache key, so k
   * samples at temperature > 0 are k requests, and a rerun is served all k from the cache.
   */
  sample?: number;
  /** Functions the model may call (native tool calling); `needsApproval` is not sent. */
  tools?: ToolSpec[];
  /** `required`: the reply must call a tool; `auto` (the providers' default): it may answer in text. */
  toolChoice?: 'auto' | 'required' | 'none';
  /** Structured output: JSON mode, or a JSON Schema where the provider supports one. */
  responseFormat?: ResponseFormat;
}

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface ModelReply {
  text: string;
  /** The tool calls of the reply, in order; absent or empty for a text-only reply. */
  toolCalls?: ModelToolCall[];
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
