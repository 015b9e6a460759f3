// Model access: spec strings, the request cache, retries and call recording. The AI SDK providers (provider.ts)
// stay internal, so a user's type check never loads the SDK's declarations (which need @types/json-schema).
export { createModelClient, type ModelClientOptions } from './client.ts';
export { ModelError, type ModelFailureReason } from './errors.ts';
export { canonicalJson, canonicalRequest, requestHash } from './request-hash.ts';
export { MODEL_ENV_VARIABLE, parseModelSpec, resolveModelSpec, type ModelSpec } from './spec.ts';
export type { ChatMessage, ModelClient, ModelReply, ModelRequest, ModelUsage } from './types.ts';
export { describeModelUsage, summarizeModelCalls, type ModelUsageSummary } from './usage.ts';
