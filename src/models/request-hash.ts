import { createHash } from 'node:crypto';
import type { ModelRequest } from './types.ts';

/** The request as recorded and hashed: only the fields that shape the reply; unset ones, no stop sequences and sample 0 left out. */
export function canonicalRequest(request: ModelRequest): ModelRequest {
  const canonical: ModelRequest = { messages: request.messages.map(({ role, content }) => ({ role, content })) };
  if (request.temperature !== undefined) canonical.temperature = request.temperature;
  if (request.maxOutputTokens !== undefined) canonical.maxOutputTokens = request.maxOutputTokens;
  if (request.topP !== undefined) canonical.topP = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) canonical.stop = [...request.stop];
  if (request.sample !== undefined && request.sample !== 0) canonical.sample = request.sample;
  return canonical;
}

/** The cache key: sha256 (hex) of the model spec and the canonical request, as JSON with sorted keys. */
export function requestHash(spec: string, request: ModelRequest): string {
  return createHash('sha256').update(canonicalJson({ model: spec, request: canonicalRequest(request) })).digest('hex');
}

/** JSON with object keys sorted at every depth and undefined fields dropped, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) => {
    if (field === null || typeof field !== 'object' || Array.isArray(field)) return field;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(field).sort()) sorted[key] = (field as Record<string, unknown>)[key];
    return sorted;
  });
}
