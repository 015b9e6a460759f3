import { TaskError } from '../../core/errors.ts';

/** One node of a PDDL s-expression, with the line it starts on for error messages. */
export type SExpr = SAtom | SList;
export interface SAtom {
  kind: 'atom';
  /** Lower-cased: PDDL names are case-insensitive. */
  text: string;
  line: number;
}
export interface SList {
  kind: 'list';
  items: SExpr[];
  line: number;
}

/** Where a piece of PDDL text came from, for error messages: a file path or a label like `task 7 problem`. */
export interface PddlSource {
  label: string;
}

export function pddlError(source: PddlSource, line: number, what: string, hint?: string): TaskError {
  return new TaskError(`${source.label} line ${line}: ${what}`, { hint });
}

/** Reads the text as one top-level s-expression; `;` starts a comment that runs to the end of the line. */
export function parseSExpr(text: string, source: PddlSource): SList {
  const stack: SList[] = [];
  let top: SList | undefined;
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\n') {
      line++;
      i++;
    } else if (ch === ';') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f') {
      i++;
    } else if (ch === '(') {
      if (top !== undefined && stack.length === 0) {
        throw pddlError(source, line, `unexpected text after the closing ')' of the definition that started on line ${top.line}`, 'A PDDL file holds exactly one (define …) form.');
      }
      const list: SList = { kind: 'list', items: [], line };
      stack.at(-1)?.items.push(list);
      stack.push(list);
      i++;
    } else if (ch === ')') {
      const closed = stack.pop();
      if (closed === undefined) throw pddlError(source, line, "unbalanced parentheses: a ')' with no matching '('", "Remove the extra ')' or add the missing '('.");
      if (stack.length === 0) top = closed;
      i++;
    } else {
      const start = i;
      while (i < text.length && !isDelimiter(text[i])) i++;
      const atom: SAtom = { kind: 'atom', text: text.slice(start, i).toLowerCase(), line };
      const parent = stack.at(-1);
      if (parent === undefined) {
        throw pddlError(source, line, `unexpected text '${atom.text}' outside any parentheses`, 'A PDDL file holds exactly one (define …) form.');
      }
      parent.items.push(atom);
    }
  }
  if (stack.length > 0) {
    const open = stack.at(-1)!;
    throw pddlError(source, open.line, `unbalanced parentheses: the '(' opened here is never closed (${stack.length} unclosed at end of file)`, "Add the missing ')'.");
  }
  if (top === undefined) throw new TaskError(`${source.label}: no PDDL found (the text is empty or only comments)`, { hint: 'Expected a (define (domain …) …) or (define (problem …) …) form.' });
  return top;
}

function isDelimiter(ch: string): boolean {
  return ch === '(' || ch === ')' || ch === ';' || ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f';
}

export function describeExpr(expr: SExpr): string {
  if (expr.kind === 'atom') return `'${expr.text}'`;
  const text = showExpr(expr, 61);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/**
 * The expression as PDDL text, stopping once it is longer than `maxLength`. Iterative, not recursive: a file may
 * nest thousands of levels deep, which must not overflow the stack in an error message.
 */
export function showExpr(expr: SExpr, maxLength = Infinity): string {
  let text = '';
  const pending: (SExpr | ')')[] = [expr];
  let first = true;
  while (pending.length > 0 && text.length <= maxLength) {
    const next = pending.pop()!;
    if (next === ')') {
      text += ')';
      continue;
    }
    if (!first && !text.endsWith('(')) text += ' ';
    first = false;
    if (next.kind === 'atom') {
      text += next.text;
      continue;
    }
    text += '(';
    pending.push(')');
    for (let i = next.items.length - 1; i >= 0; i--) pending.push(next.items[i]);
  }
  return text;
}

export function expectList(expr: SExpr | undefined, source: PddlSource, line: number, what: string): SList {
  if (expr === undefined) throw pddlError(source, line, `expected ${what}, found the end of the enclosing list`);
  if (expr.kind !== 'list') throw pddlError(source, expr.line, `expected ${what}, found ${describeExpr(expr)}`);
  return expr;
}

export function expectAtom(expr: SExpr | undefined, source: PddlSource, line: number, what: string): SAtom {
  if (expr === undefined) throw pddlError(source, line, `expected ${what}, found the end of the enclosing list`);
  if (expr.kind !== 'atom') throw pddlError(source, expr.line, `expected ${what}, found ${describeExpr(expr)}`);
  return expr;
}

/** The keyword at the head of a list, e.g. `:action` for `(:action …)`, or undefined. */
export function headOf(list: SList): string | undefined {
  const head = list.items[0];
  return head?.kind === 'atom' ? head.text : undefined;
}
