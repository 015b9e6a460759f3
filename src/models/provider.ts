import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import { ModelError } from './errors.ts';
import { createHttpFetch } from './http-fetch.ts';
import type { ModelSpec } from './spec.ts';

/** The providers' model interface (LanguageModelV3), which `ai` re-exports only inside its LanguageModel union. */
export type ProviderModel = Extract<LanguageModel, { specificationVersion: 'v3' }>;

/** One message of a provider prompt. */
export type ProviderMessage = Parameters<ProviderModel['doGenerate']>[0]['prompt'][number];

/** A spec turned into an AI SDK model, plus what error messages need to name. */
export interface ResolvedModel {
  model: ProviderModel;
  /** Where requests go, e.g. `https://api.openai.com/v1`. */
  endpoint: string;
  /** The environment variable the key came from, or null when the server takes no key. */
  keyVariable: string | null;
}

export interface ProviderOptions {
  /** Where keys are read from; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** A fetch to use instead of the built-in keep-alive one (see createHttpFetch), e.g. for tests. */
  fetch?: typeof globalThis.fetch;
}

/** The variable an OpenAI-compatible server's key is read from; OPENAI_API_KEY is never sent to a third-party URL. */
export const COMPATIBLE_KEY_VARIABLE = 'STEPWISE_API_KEY';

// Models built with the built-in fetch, by provider, endpoint, model and key: a provider model holds no state between
// calls, and building one (its response schemas) costs about a millisecond, which a queue worker would pay per job.
const built = new Map<string, ResolvedModel>();

/** Builds the AI SDK model for a spec. Throws ModelError (`missing_key`) before any request when a required key is unset. */
export function languageModelFor(spec: ModelSpec, options: ProviderOptions = {}): ResolvedModel {
  const env = options.env ?? process.env;
  const { keyVariable, apiKey, endpoint } = connectionOf(spec, env);
  const key = options.fetch ? null : JSON.stringify([spec.provider, endpoint, spec.model, apiKey ?? null]);
  const known = key === null ? undefined : built.get(key);
  if (known) return known;
  const fetch = options.fetch ?? createHttpFetch();
  const model =
    spec.provider === 'openai'
      ? // The chat endpoint, like every OpenAI-compatible server: same request shape, stop sequences supported.
        createOpenAI({ apiKey, baseURL: endpoint, fetch }).chat(spec.model)
      : spec.provider === 'anthropic'
        ? createAnthropic({ apiKey, baseURL: endpoint, fetch })(spec.model)
        : createOpenAICompatible({ name: 'openai-compatible', baseURL: endpoint, apiKey, fetch }).chatModel(spec.model);
  const resolved: ResolvedModel = { model, endpoint, keyVariable };
  if (key !== null) built.set(key, resolved);
  return resolved;
}

/** Where a spec's requests go and the key they carry (read from `env`). */
function connectionOf(spec: ModelSpec, env: Record<string, string | undefined>): { endpoint: string; apiKey: string | undefined; keyVariable: string | null } {
  switch (spec.provider) {
    case 'openai':
      return { endpoint: env.OPENAI_BASE_URL || 'https://api.openai.com/v1', apiKey: requireKey(spec, 'OPENAI_API_KEY', env), keyVariable: 'OPENAI_API_KEY' };
    case 'anthropic':
      return { endpoint: env.ANTHROPIC_BASE_URL || 'https://api.anthropic.com/v1', apiKey: requireKey(spec, 'ANTHROPIC_API_KEY', env), keyVariable: 'ANTHROPIC_API_KEY' };
    case 'openai-compatible': {
      const apiKey = env[COMPATIBLE_KEY_VARIABLE] || undefined;
      return { endpoint: spec.baseURL, apiKey, keyVariable: apiKey ? COMPATIBLE_KEY_VARIABLE : null };
    }
  }
}

function requireKey(spec: ModelSpec, variable: string, env: Record<string, string | undefined>): string {
  const key = env[variable]?.trim();
  if (key) return key;
  throw new ModelError('missing_key', `model ${spec.text} needs an API key, but ${variable} is not set`, {
    hint: `export ${variable}=… before running, or use a local server with --model openai-compatible:<base URL>#<model>`,
  });
}
