import { createHash } from 'node:crypto';
import type { ChatMessage, ModelRequest, ToolResultMessage } from './types.ts';

/** A message as recorded and hashed: tool-call fields only where they are set. */
function canonicalMessage(message: ChatMessage | ToolResultMessage): ChatMessage | ToolResultMessage {
  if (message.role === 'tool') {
    const { role, content, toolCallId, toolName } = message;
    return { role, content, toolCallId, toolName };
  }
  const { role, content, toolCalls } = message;
  if (toolCalls === undefined || toolCalls.length === 0) return { role, content };
  return { role, content, toolCalls: toolCalls.map(({ id, name, arguments: args }) => ({ id, name, arguments: args })) };
}

/** The request as recorded and hashed: only the fields that shape the reply; unset ones, no stop sequences and sample 0 left out. */
export function canonicalRequest(request: ModelRequest): ModelRequest {
  const canonical: ModelRequest = { messages: request.messages.map(canonicalMessage) };
  if (request.temperature !== undefined) canonical.temperature = request.temperature;
  if (request.maxOutputTokens !== undefined) canonical.maxOutputTokens = request.maxOutputTokens;
  if (request.topP !== undefined) canonical.topP = request.topP;
  if (request.stop !== undefined && request.stop.length > 0) canonical.stop = [...request.stop];
  if (request.sample !== undefined && request.sample !== 0) canonical.sample = request.sample;
  // The tools offered shape the reply, so they are part of the key; needsApproval is stepwise's own flag and is not sent.
  if (request.tools !== undefined && request.tools.length > 0) {
    canonical.tools = request.tools.map(({ name, description, parameters }) => ({ name, description, parameters }));
  }
  if (request.toolChoice !== undefined) canonical.toolChoice = request.toolChoice;
  if (request.responseFormat !== undefined) canonical.responseFormat = { ...request.responseFormat };
  return canonical;
}

/** The cache key: sha256 (hex) of the model spec and the canonical request, as JSON with sorted keys. */
export function requestHash(spec: string, request: ModelRequest): string {
  const text = plainChat(request) ? canonicalKeyText(spec, request) : canonicalJson({ model: spec, request: canonicalRequest(request) });
  return createHash('sha256').update(text).digest('hex');
}

/** A text-only chat (no tools, no structured output, no tool turns): the requests the fast key text below covers. */
function plainChat(request: ModelRequest): boolean {
  if ((request.tools !== undefined && request.tools.length > 0) || request.toolChoice !== undefined || request.responseFormat !== undefined) return false;
  return request.messages.every((message) => message.role !== 'tool' && (message.toolCalls === undefined || message.toolCalls.length === 0));
}

/**
 * Exactly `canonicalJson({ model: spec, request: canonicalRequest(request) })`, written out field by
 * field in sorted key order: every request is hashed, and the generic sort costs more than the hash.
 */
function canonicalKeyText(spec: string, request: ModelRequest): string {
  let messages = '';
  for (const { role, content } of request.messages as ChatMessage[]) {
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
