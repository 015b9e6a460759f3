import { z } from 'zod';
import { ActionParseError } from '../../core/errors.ts';
import type { ToolCallAction } from '../../core/world.ts';

/** A page element's stable id, as observations list it (`e3`): assigned in document order, kept while the element lives. */
const elementId = z.string().regex(/^e\d+$/, 'an element id from the observation, like e3');

/** The GUI half of the action space: what a person does with a mouse and keyboard. */
export const guiActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('click'), id: elementId }).strict(),
  z.object({ type: z.literal('fill'), id: elementId, text: z.string() }).strict(),
  z.object({ type: z.literal('select'), id: elementId, option: z.string() }).strict(),
  z.object({ type: z.literal('press'), key: z.string().min(1) }).strict(),
  z.object({ type: z.literal('scroll'), direction: z.enum(['up', 'down']) }).strict(),
  z.object({ type: z.literal('hover'), id: elementId }).strict(),
  z.object({ type: z.literal('goto'), url: z.string().min(1) }).strict(),
  z.object({ type: z.literal('go_back') }).strict(),
  z.object({ type: z.literal('answer'), text: z.string() }).strict(),
  z.object({ type: z.literal('stop') }).strict(),
]);
export type GuiAction = z.infer<typeof guiActionSchema>;

/** The tool half: a call of a tool the page offers beside its GUI (core/world.ts's shape). */
export const toolCallActionSchema = z.object({ tool: z.string().regex(/^[A-Za-z_][\w-]*$/, 'a tool name'), args: z.record(z.string(), z.unknown()) }).strict();

export const browserActionSchema = z.union([guiActionSchema, toolCallActionSchema]);
export type BrowserAction = GuiAction | ToolCallAction;

export function isToolCall(action: BrowserAction): action is ToolCallAction {
  return 'tool' in action;
}

/** Actions that act on one element, by id. */
export function targetId(action: BrowserAction): string | null {
  return !isToolCall(action) && 'id' in action ? action.id : null;
}

const quote = (text: string) => JSON.stringify(text);

/** The canonical text form: `click e3`, `fill e2 "blue kettle"`, `press Enter`, `call find_order {"customer":"Ines"}`. */
export function formatBrowserAction(action: BrowserAction): string {
  if (isToolCall(action)) return `call ${action.tool} ${JSON.stringify(action.args)}`;
  switch (action.type) {
    case 'click':
    case 'hover':
      return `${action.type} ${action.id}`;
    case 'fill':
      return `fill ${action.id} ${quote(action.text)}`;
    case 'select':
      return `select ${action.id} ${quote(action.option)}`;
    case 'press':
      return `press ${action.key}`;
    case 'scroll':
      return `scroll ${action.direction}`;
    case 'goto':
      return `goto ${action.url}`;
    case 'answer':
      return `answer ${quote(action.text)}`;
    case 'go_back':
    case 'stop':
      return action.type;
  }
}

const FORMS = 'click e3 | fill e2 "text" | select e4 "option" | press Enter | scroll down | hover e3 | goto /page.html | go_back | answer "text" | stop | call <tool> {json args}';

/** Reads the canonical form, and the call-like variants models write: `click(e3)`, `fill(e2, "x")`, `go_back()`. */
export function parseBrowserAction(input: string): BrowserAction {
  const text = input.trim().replace(/^`+|`+$/g, '').trim();
  const tool = /^call\s+([A-Za-z_][\w-]*)\s*(\{[\s\S]*\})?\s*$/.exec(text);
  if (tool) return { tool: tool[1], args: parseArgs(tool[2] ?? '{}', text) };
  // click(e3) / fill(e2, "x") → click e3 / fill e2 "x"
  const called = /^(\w+)\s*\(([\s\S]*)\)$/.exec(text);
  const normal = called ? `${called[1]} ${called[2].replace(/^\s*(e\d+)\s*,\s*/, '$1 ')}`.trim() : text;
  const [verb = '', ...restParts] = normal.split(/\s+/);
  const rest = normal.slice(verb.length).trim();
  const fail = (why: string): never => {
    throw new ActionParseError(`cannot read "${input}" as a browser action: ${why}`, { hint: `write one of: ${FORMS}` });
  };
  const idAndText = (): [string, string] => {
    const match = /^(e\d+)\s+([\s\S]+)$/.exec(rest);
    if (!match) return fail(`${verb} takes an element id and a quoted text`);
    return [match[1], unquote(match[2])];
  };
  const onlyId = (): string => (/^e\d+$/.test(rest) ? rest : fail(`${verb} takes one element id like e3`));
  switch (verb.toLowerCase()) {
    case 'click':
      return { type: 'click', id: onlyId() };
    case 'hover':
      return { type: 'hover', id: onlyId() };
    case 'fill':
    case 'type': {
      const [id, value] = idAndText();
      return { type: 'fill', id, text: value };
    }
    case 'select': {
      const [id, option] = idAndText();
      return { type: 'select', id, option };
    }
    case 'press':
      return rest ? { type: 'press', key: unquote(rest) } : fail('press takes a key name like Enter');
    case 'scroll': {
      const direction = rest.toLowerCase() || 'down';
      return direction === 'up' || direction === 'down' ? { type: 'scroll', direction } : fail('scroll takes up or down');
    }
    case 'goto':
      return rest ? { type: 'goto', url: unquote(rest) } : fail('goto takes a URL');
    case 'go_back':
    case 'back':
      return restParts.length === 0 ? { type: 'go_back' } : fail('go_back takes nothing');
    case 'answer':
      return { type: 'answer', text: unquote(rest) };
    case 'stop':
      return { type: 'stop' };
    default:
      return fail(`unknown action "${verb}"`);
  }
}

function unquote(text: string): string {
  const trimmed = text.trim();
  if (/^"[\s\S]*"$/.test(trimmed)) {
    try {
      return JSON.parse(trimmed) as string;
    } catch {
      return trimmed.slice(1, -1);
    }
  }
  if (/^'[\s\S]*'$/.test(trimmed)) return trimmed.slice(1, -1);
  return trimmed;
}

function parseArgs(json: string, input: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // falls through to the error below
  }
  throw new ActionParseError(`cannot read the arguments of "${input}": expected a JSON object`, { hint: 'write call <tool> {"name": "value"}' });
}
