import { quoteText } from '../../core/quote-text.ts';
import { ActionParseError } from '../../core/errors.ts';
import type { Game24Action } from './action.ts';
import { OPERATOR_SYMBOLS, type Operator } from './solver.ts';

const EXAMPLE = "write a step like '10 - 4 = 6 (left: 5 6 6)' or just '10 - 4'";

const CLAIM_MARKERS = ['=', '\u2248', '~', '\u2245'];
const SIGN = '[-\\u2212\\u2013]?';
const DIGITS = String.raw`(?:\d+(?:\.\d+)?|\.\d+)`;
const LIST_MARKER = /^(?:step\s*\d+\s*[:.)]|\d+[.)](?=\s)|[-*\u2022](?=\s))\s*/i;
const APPROX_WORD = /^(?:approx(?:\.|imately)?|about|roughly)\s*/i;
const APPROX_TOKEN = /^(?:approx\.?|approximately|about|roughly|\u2248|~)$/i;

interface Cursor {
  text: string;
  pos: number;
}

function skipSpace(cursor: Cursor): void {
  while (cursor.pos < cursor.text.length && /\s/.test(cursor.text[cursor.pos])) cursor.pos++;
}

function rest(cursor: Cursor): string {
  return cursor.text.slice(cursor.pos).trim();
}

/** `-1`, `(−1)`, `1.5`, and `2/3` when `allowFraction`; returns the literal in plain ASCII, or null. */
function readNumber(cursor: Cursor, allowFraction: boolean): string | null {
  const fraction = allowFraction ? String.raw`(?:/\d+(?!\.))?` : '';
  const pattern = new RegExp(
    String.raw`\(\s*(${SIGN}\s*${DIGITS}${fraction})\s*\)|(${SIGN}${DIGITS}${fraction})(?![\d.])`,
    'y',
  );
  skipSpace(cursor);
  pattern.lastIndex = cursor.pos;
  const match = pattern.exec(cursor.text);
  if (!match) return null;
  cursor.pos = pattern.lastIndex;
  return (match[1] ?? match[2]).replace(/\s+/g, '').replace(/[\u2212\u2013]/g, '-');
}

function readOperator(cursor: Cursor): Operator | null {
  skipSpace(cursor);
  const op = OPERATOR_SYMBOLS[cursor.text[cursor.pos] ?? ''];
  if (op === undefined) return null;
  cursor.pos++;
  return op;
}

/** Reads `a op b`; a fraction first operand (`6/4`) is retried as a number when no operator follows it. */
function readExpression(cursor: Cursor, line: string): { a: string; op: Operator; b: string } {
  const start = cursor.pos;
  for (const allowFraction of [true, false]) {
    cursor.pos = start;
    const a = readNumber(cursor, allowFraction);
    if (a === null) {
      const found = rest(cursor);
      const problem =
        start === 0 ? 'it does not start with a number' : `after '${line.slice(0, start).trim()}' expected a number but found '${found.slice(0, 20)}'`;
      throw new ActionParseError(`${quoteText(line)} is not a step: ${problem}`, { hint: EXAMPLE });
    }
    const afterA = cursor.pos;
    const op = readOperator(cursor);
    if (op === null) {
      if (allowFraction && a.includes('/')) continue;
      cursor.pos = afterA;
      const found = rest(cursor);
      throw new ActionParseError(
        found === ''
          ? `${quoteText(line)} is not a step: it has one number and no operator`
          : `${quoteText(line)} is not a step: after ${a} expected one of + - * / but found '${found.slice(0, 20)}'`,
        { hint: EXAMPLE },
      );
    }
    const b = readNumber(cursor, true);
    if (b === null) {
      const found = rest(cursor);
      throw new ActionParseError(
        `${quoteText(line)} is not a step: after '${a} ${op}' expected a number but found ${found === '' ? 'nothing' : `'${found.slice(0, 20)}'`}` +
          (found.startsWith('(') ? ' (a step combines exactly two numbers)' : ''),
        { hint: EXAMPLE },
      );
    }
    return { a, op, b };
  }
  throw new ActionParseError(`${quoteText(line)} is not a step`, { hint: EXAMPLE });
}

/** Reads `= 6`, `≈ 6.67`, `= approx. 2.71`; null when the step makes no claim. */
function readClaimedResult(cursor: Cursor, line: string): string | null {
  skipSpace(cursor);
  const marker = CLAIM_MARKERS.find((m) => cursor.text.startsWith(m, cursor.pos));
  if (marker === undefined) return null;
  cursor.pos += marker.length;
  skipSpace(cursor);
  const approx = APPROX_WORD.exec(cursor.text.slice(cursor.pos));
  if (approx) cursor.pos += approx[0].length;
  const result = readNumber(cursor, true);
  if (result === null) {
    const found = rest(cursor);
    throw new ActionParseError(
      `${quoteText(line)}: expected the result after '${marker}' but found ${found === '' ? 'nothing' : `'${found.slice(0, 20)}'`}`,
      { hint: EXAMPLE },
    );
  }
  return result;
}

/** Splits the text after the step into parenthesized groups: `(left: 5 6 6)`, `(approx.)`. */
function readGroups(cursor: Cursor, line: string): string[] {
  const groups: string[] = [];
  for (skipSpace(cursor); cursor.pos < cursor.text.length; skipSpace(cursor)) {
    if (cursor.text[cursor.pos] !== '(') {
      throw new ActionParseError(`${quoteText(line)}: unexpected text after the step: '${rest(cursor)}'`, { hint: EXAMPLE });
    }
    const open = cursor.pos;
    let depth = 0;
    do {
      const ch = cursor.text[cursor.pos];
      if (ch === '(') depth++;
      if (ch === ')') depth--;
      cursor.pos++;
    } while (depth > 0 && cursor.pos < cursor.text.length);
    if (depth > 0) {
      throw new ActionParseError(`${quoteText(line)}: the '(' of '${cursor.text.slice(open)}' is never closed`, {
        hint: 'the step may have been cut off; end it with ")"',
      });
    }
    groups.push(cursor.text.slice(open + 1, cursor.pos - 1));
  }
  return groups;
}

/** The numbers after `left:` in a group, ignoring `approx.` markers; null when the group is only a note. */
function readLeftList(group: string, line: string): string[] | null {
  const match = /\bleft\s*:/i.exec(group);
  if (!match) return null;
  const items = group
    .slice(match.index + match[0].length)
    .split(/[\s,]+/)
    .filter((item) => item !== '' && !APPROX_TOKEN.test(item));
  return items.map((item) => {
    const cursor = { text: item, pos: 0 };
    const value = readNumber(cursor, true);
    if (value === null || cursor.pos !== item.length) {
      throw new ActionParseError(`${quoteText(line)}: the left list has '${item}', which is not a number`, {
        hint: "list the remaining numbers, e.g. '(left: 5 6 6)'",
      });
    }
    return value;
  });
}

/**
 * Parses ToT's textual step `10 - 4 = 6 (left: 5 6 6)` and common variants: no spaces, × x ÷ −,
 * fractions, `≈`, notes in parentheses, a missing `(left: …)`, a bare `10 - 4`.
 */
export function parseGame24Action(text: string): Game24Action {
  const line = text.trim().replace(/\.$/, '');
  if (line === '') throw new ActionParseError('the step is empty', { hint: EXAMPLE });
  if (/^answer\s*:/i.test(line)) {
    throw new ActionParseError(`${quoteText(line)} is a final answer, not a step`, {
      hint: 'check final answers with checkAnswer; steps combine two numbers, e.g. 10 - 4 = 6 (left: 5 6 6)',
    });
  }
  const cursor: Cursor = { text: line, pos: 0 };
  const marker = LIST_MARKER.exec(line);
  if (marker) cursor.pos = marker[0].length;
  const { a, op, b } = readExpression(cursor, line);
  const result = readClaimedResult(cursor, line);
  const groups = readGroups(cursor, line);
  const lefts = groups.map((group) => readLeftList(group, line)).filter((left) => left !== null);
  if (lefts.length > 1) throw new ActionParseError(`${quoteText(line)} has ${lefts.length} (left: …) lists; expected one`);
  if (result === null) {
    if (lefts.length > 0) {
      throw new ActionParseError(`${quoteText(line)} lists the numbers left but not the result`, {
        hint: "write the result after '=': '10 - 4 = 6 (left: 5 6 6)'",
      });
    }
    return { a, op, b };
  }
  return lefts.length === 0 ? { a, op, b, claimed: { result } } : { a, op, b, claimed: { result, left: lefts[0] } };
}
