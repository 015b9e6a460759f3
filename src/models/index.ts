// Model access: spec strings, AI SDK providers, the request cache, retries and call recording.
export { createModelClient, type ModelClientOptions } from './client.ts';
export { ModelError, type ModelFailureReason } from './errors.ts';
export { COMPATIBLE_KEY_VARIABLE, languageModelFor, type ResolvedModel } from './provider.ts';
export { canonicalJson, canonicalRequest, requestHash } from './request-hash.ts';
export { MODEL_ENV_VARIABLE, parseModelSpec, resolveModelSpec, type ModelSpec } from './spec.ts';
export type { ChatMessage, ModelClient, ModelReply, ModelRequest, ModelUsage } from './types.ts';
export { describeModelUsage, summarizeModelCalls, type ModelUsageSummary } from './usage.ts';
