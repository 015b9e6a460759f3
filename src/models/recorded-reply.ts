import type { ModelRequest, ModelToolCall } from './types.ts';

/** What a reply says: its text and, when tools were offered, its tool calls. */
export interface ReplyContent {
  text: string;
  toolCalls: ModelToolCall[];
}

/** True when the request offered tools: then its recorded reply text is the JSON of `ReplyContent`. */
export function offersTools(request: ModelRequest): boolean {
  return request.tools !== undefined && request.tools.length > 0;
}

/**
 * The text a model call records for its reply. A reply to a request that offered tools is recorded as
 * the JSON `{"text":…,"toolCalls":[…]}`, so the store's one reply column keeps tool calls (and the
 * cache serves them) without a change of store format; a plain reply is its text.
 */
export function recordedReplyText(request: ModelRequest, reply: ReplyContent): string {
  if (!offersTools(request)) return reply.text;
  return JSON.stringify({ text: reply.text, toolCalls: reply.toolCalls.map(({ id, name, arguments: args }) => ({ id, name, arguments: args })) });
}

/** Reads a recorded reply back; a tool request's record that is not the JSON above reads as text with no calls. */
export function replyOfRecord(request: ModelRequest, recorded: string): ReplyContent {
  if (!offersTools(request)) return { text: recorded, toolCalls: [] };
  try {
    const parsed = JSON.parse(recorded) as Partial<ReplyContent>;
    if (typeof parsed.text === 'string' && Array.isArray(parsed.toolCalls)) return { text: parsed.text, toolCalls: parsed.toolCalls };
  } catch {
    // Written by hand or by another tool: keep it as the reply's text.
  }
  return { text: recorded, toolCalls: [] };
}
