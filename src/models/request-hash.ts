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
  return createHash('sha256').update(canonicalKeyText(spec, request)).digest('hex');
}

/**
 * Exactly `canonicalJson({ model: spec, request: canonicalRequest(request) })`, written out field by
 * field in sorted key order: every request is hashed, and the generic sort costs more than the hash.
 */
function canonicalKeyText(spec: string, request: ModelRequest): string {
  let messages = '';
  for (const { role, content } of request.messages) {
    messages += `${messages === '' ? '' : ','}{"content":${JSON.stringify(content)},"role":${JSON.stringify(role)}}`;
  }
  let text = `{"model":${JSON.stringify(spec)},"request":{`;
  if (request.maxOutputTokens !== undefined) text += `"maxOutputTokens":${JSON.stringify(request.maxOutputTokens)},`;
  text += `"messages":[${messages}]`;
  if (request.sample !== undefined && request.sample !== 0) text += `,"sample":${JSON.stringify(request.sample)}`;
  if (request.stop !== undefined && request.stop.length > 0) text += `,"stop":${JSON.stringify(request.stop)}`;
  if (request.temperature !== undefined) text += `,"temperature":${JSON.stringify(request.temperature)}`;
  if (request.topP !== undefined) text += `,"topP":${JSON.stringify(request.topP)}`;
  return `${text}}}`;
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
