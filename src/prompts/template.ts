import { createHash } from 'node:crypto';
import { UsageError } from '../core/errors.ts';
import type { ChatMessage } from '../models/types.ts';
import { PLACEHOLDERS, REQUIRED_PLACEHOLDERS, ROLE_PLACEHOLDERS, type TemplateRole } from './placeholders.ts';

/**
 * A prompt template. The text format:
 * - `### system`, `### user` and `### assistant` on a line of their own start a message; a file
 *   without such headings is one user message. Only blank lines may come before the first heading.
 * - `{{name}}` inserts a placeholder's value; `{{#name}}…{{/name}}` keeps its text only when the
 *   value is not empty, `{{^name}}…{{/name}}` only when it is. A tag alone on its line takes the line with it.
 * - Each message is trimmed of blank lines at both ends after rendering.
 */
export interface Template {
  /** A built-in name such as `game24/propose-list`, or the file path it was loaded from. */
  readonly name: string;
  /** `builtin` or the resolved file path. */
  readonly source: string;
  readonly text: string;
  /** sha256 of `text`, hex: a run records it so the prompt it used can be identified later. */
  readonly hash: string;
  readonly placeholders: ReadonlySet<string>;
  readonly messages: readonly { role: ChatMessage['role']; body: readonly Segment[] }[];
}

type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'value'; name: string }
  | { kind: 'section'; name: string; inverted: boolean; body: Segment[] };

const HEADING = /^###[ \t]+(system|user|assistant)[ \t]*$/i;
const TAG = /\{\{\s*([#^/]?)\s*([^{}]*?)\s*\}\}/g;
const NAME = /^[a-z_][a-z0-9_]*$/;
const STANDALONE_TAG = /^[ \t]*(\{\{\s*[#^/][^{}]*\}\})[ \t]*(?:\r?\n|$)/gm;

function templateError(name: string, line: number | null, problem: string, hint?: string): UsageError {
  const where = line === null ? '' : ` line ${line}`;
  return new UsageError(`prompt template ${name}${where}: ${problem}`, {
    hint: hint ?? 'see the template format in src/prompts/template.ts or copy a built-in template (stepwise prompts) and edit it',
  });
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Parses a template's text; throws UsageError naming the line of an unknown placeholder, a stray `{{` or an unclosed section. */
export function parseTemplate(text: string, name: string, source = 'builtin'): Template {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const starts: { role: ChatMessage['role']; line: number }[] = [];
  lines.forEach((line, i) => {
    const heading = HEADING.exec(line);
    if (heading) starts.push({ role: heading[1].toLowerCase() as ChatMessage['role'], line: i });
  });
  if (starts.length === 0) starts.push({ role: 'user', line: -1 });
  const preamble = lines.slice(0, Math.max(starts[0].line, 0)).join('\n');
  if (preamble.trim() !== '') {
    const line = lines.findIndex((l) => l.trim() !== '') + 1;
    throw templateError(name, line, `text before the first "### ${starts[0].role}" heading`, 'start the file with "### system" or "### user", or remove every "###" heading to make the whole file one user message');
  }
  const placeholders = new Set<string>();
  const messages = starts.map((start, m) => {
    const end = m + 1 < starts.length ? starts[m + 1].line : lines.length;
    const firstLine = start.line + 2;
    const body = lines.slice(start.line + 1, end).join('\n');
    checkTags(body, name, firstLine, placeholders);
    return { role: start.role, body: buildSegments(body.replace(STANDALONE_TAG, '$1')) };
  });
  return { name, source, text, hash: sha256(text), placeholders, messages };
}

/** Validates names and section nesting against the original text, so errors can cite line numbers. */
function checkTags(body: string, name: string, firstLine: number, placeholders: Set<string>): void {
  const lineAt = (offset: number) => firstLine + (body.slice(0, offset).match(/\n/g)?.length ?? 0);
  const open: { name: string; line: number }[] = [];
  let covered = '';
  let last = 0;
  for (const match of body.matchAll(TAG)) {
    covered += body.slice(last, match.index);
    last = match.index + match[0].length;
    const [tag, sigil, key] = match;
    const line = lineAt(match.index);
    if (!NAME.test(key)) throw templateError(name, line, `"${tag}" is not a placeholder; write names in lower case like {{state}}`);
    if (PLACEHOLDERS[key] === undefined) {
      throw templateError(name, line, `unknown placeholder {{${key}}}; known placeholders: ${Object.keys(PLACEHOLDERS).join(', ')}`);
    }
    placeholders.add(key);
    if (sigil === '#' || sigil === '^') open.push({ name: key, line });
    else if (sigil === '/') {
      const top = open.pop();
      if (top === undefined) throw templateError(name, line, `{{/${key}}} closes a section that was never opened`);
      if (top.name !== key) throw templateError(name, line, `{{/${key}}} closes {{#${top.name}}} from line ${top.line}; close the inner section first`);
    }
  }
  covered += body.slice(last);
  const stray = covered.indexOf('{{');
  if (stray >= 0) throw templateError(name, lineAt(stray), `"{{" that does not start a placeholder such as {{state}}`);
  const unclosed = open.pop();
  if (unclosed) throw templateError(name, unclosed.line, `{{#${unclosed.name}}} is never closed with {{/${unclosed.name}}} in this message`);
}

function buildSegments(body: string): Segment[] {
  const root: Segment[] = [];
  const stack: Segment[][] = [root];
  let last = 0;
  for (const match of body.matchAll(TAG)) {
    const into = stack[stack.length - 1];
    if (match.index > last) into.push({ kind: 'text', text: body.slice(last, match.index) });
    last = match.index + match[0].length;
    const [, sigil, key] = match;
    if (sigil === '/') stack.pop();
    else if (sigil === '') into.push({ kind: 'value', name: key });
    else {
      const section: Segment = { kind: 'section', name: key, inverted: sigil === '^', body: [] };
      into.push(section);
      stack.push(section.body);
    }
  }
  if (last < body.length) stack[stack.length - 1].push({ kind: 'text', text: body.slice(last) });
  return root;
}

/** Checks that a template fits a role: it uses only that role's placeholders and every required one. */
export function checkTemplateRole(template: Template, role: TemplateRole): Template {
  const allowed = ROLE_PLACEHOLDERS[role];
  const foreign = [...template.placeholders].filter((p) => !allowed.includes(p));
  if (foreign.length > 0) {
    throw templateError(template.name, null, `${foreign.map((p) => `{{${p}}}`).join(', ')} ${foreign.length === 1 ? 'is' : 'are'} not filled in a ${role} prompt; it may use ${allowed.map((p) => `{{${p}}}`).join(', ')}`);
  }
  const missing = REQUIRED_PLACEHOLDERS[role].filter((p) => !template.placeholders.has(p));
  if (missing.length > 0) {
    throw templateError(template.name, null, `a ${role} prompt must contain ${missing.map((p) => `{{${p}}}`).join(' and ')} (${missing.map((p) => PLACEHOLDERS[p]).join('; ')})`);
  }
  return template;
}

/** Fills a template. Every placeholder it uses must have a value (the empty string is a value). */
export function renderTemplate(template: Template, values: Readonly<Record<string, string>>): ChatMessage[] {
  const render = (segments: readonly Segment[]): string =>
    segments
      .map((segment) => {
        if (segment.kind === 'text') return segment.text;
        const value = values[segment.name];
        if (value === undefined) throw new Error(`prompt template ${template.name}: no value for {{${segment.name}}}`);
        if (segment.kind === 'value') return value;
        return (value.trim() !== '') !== segment.inverted ? render(segment.body) : '';
      })
      .join('');
  return template.messages.map(({ role, body }) => ({ role, content: render(body).replace(/^(?:[ \t]*\n)+/, '').trimEnd() }));
}
