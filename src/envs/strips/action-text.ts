import { z } from 'zod';
import { ActionParseError } from '../../core/errors.ts';
import { looksLikeBlocksworldWords, parseBlocksworldActionText } from './blocksworld-language.ts';

/** A ground PDDL action: lower-cased action name and object names. */
export interface StripsAction {
  name: string;
  args: string[];
}

const NAME = /^[a-z0-9_][a-z0-9_.\-]*$/;

export const stripsActionSchema: z.ZodType<StripsAction> = z.object({
  name: z.string().regex(NAME, 'a lower-case PDDL action name such as "unstack"'),
  args: z.array(z.string().regex(NAME, 'a lower-case PDDL object name such as "d"')),
});

/** `(unstack d c)`. */
export function formatStripsAction(action: StripsAction): string {
  return `(${[action.name, ...action.args].join(' ')})`;
}

const EXAMPLE = 'Write an action as "(unstack d c)", "unstack d c" or "unstack(d, c)".';

/**
 * Reads `(unstack d c)`, `unstack d c`, `(UNSTACK D C)`, `unstack(d, c)`, and Blocksworld in
 * words (`unstack the red block from on top of the blue block`).
 */
export function parseStripsAction(text: string): StripsAction {
  const trimmed = text.trim().replace(/\.$/, '').trim();
  if (trimmed === '') throw new ActionParseError('Cannot read an empty text as an action.', { hint: EXAMPLE });
  if (looksLikeBlocksworldWords(trimmed)) return parseBlocksworldActionText(trimmed);
  const lower = trimmed.toLowerCase();
  let name: string;
  let argText: string;
  const call = /^([^\s(),]+)\s*\(([^()]*)\)$/.exec(lower);
  if (lower.startsWith('(')) {
    if (!lower.endsWith(')')) throw new ActionParseError(`Cannot read "${text}" as an action: the '(' is never closed.`, { hint: EXAMPLE });
    const inner = lower.slice(1, -1).trim();
    if (/[()]/.test(inner)) throw new ActionParseError(`Cannot read "${text}" as an action: expected one flat list like (unstack d c), found nested or unbalanced parentheses.`, { hint: EXAMPLE });
    [name, argText] = splitHead(inner);
  } else if (call) {
    [name, argText] = [call[1], call[2]];
  } else if (/[()]/.test(lower)) {
    throw new ActionParseError(`Cannot read "${text}" as an action: unbalanced or misplaced parentheses.`, { hint: EXAMPLE });
  } else {
    [name, argText] = splitHead(lower);
  }
  const args = argText.split(/[\s,]+/).filter((a) => a !== '');
  for (const token of [name, ...args]) {
    if (!NAME.test(token)) {
      const why = token.startsWith('?') ? `'${token}' is a variable; a step needs object names` : `'${token}' is not a PDDL name`;
      throw new ActionParseError(`Cannot read "${text}" as an action: ${why}.`, { hint: EXAMPLE });
    }
  }
  return { name, args };
}

function splitHead(text: string): [string, string] {
  const match = /^([^\s,]*)[\s,]*(.*)$/.exec(text)!;
  if (match[1] === '') throw new ActionParseError(`Cannot read "${text}" as an action: no action name.`, { hint: EXAMPLE });
  return [match[1], match[2]];
}

/**
 * Reads a plan file: one action per line, `;` comments and blank lines ignored; the
 * `0.000: (a b) [1.000]` form some planners print is accepted. Returns canonical `(a b)` texts.
 */
export function parsePlanText(text: string): string[] {
  const actions: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/;.*$/, '').replace(/^\s*\d+(\.\d+)?\s*:\s*/, '').replace(/\s*\[[\d.]+\]\s*$/, '').trim();
    if (line === '') return;
    try {
      actions.push(formatStripsAction(parseStripsAction(line)));
    } catch (error) {
      if (error instanceof ActionParseError) throw new ActionParseError(`Plan line ${i + 1}: ${error.message}`, { hint: error.hint, cause: error });
      throw error;
    }
  });
  return actions;
}
