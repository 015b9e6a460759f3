import { StepwiseError } from '../../core/errors.ts';
import { isZero, negate, parseRational, toString, type Rational } from './rational.ts';
import { applyOperator, OPERATOR_SYMBOLS, type Operator } from './solver.ts';

/** A parsed arithmetic expression; `start`/`end` index the source text so errors can quote it. */
export type Expression =
  | { kind: 'number'; value: Rational; start: number; end: number }
  | { kind: 'binary'; op: Operator; left: Expression; right: Expression; start: number; end: number };

/** An answer expression that cannot be read, or divides by zero. */
export class ExpressionError extends StepwiseError {
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super('expression', message, options);
  }
}

type Token =
  | { kind: 'number'; text: string; start: number; end: number }
  | { kind: 'op'; op: Operator; start: number; end: number }
  | { kind: 'open' | 'close'; start: number; end: number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const number = /\d+(?:\.\d+)?|\.\d+/y;
  for (let pos = 0; pos < source.length; ) {
    const ch = source[pos];
    if (/\s/.test(ch)) {
      pos++;
      continue;
    }
    number.lastIndex = pos;
    const match = number.exec(source);
    if (match) {
      tokens.push({ kind: 'number', text: match[0], start: pos, end: number.lastIndex });
      pos = number.lastIndex;
    } else if (ch in OPERATOR_SYMBOLS) {
      tokens.push({ kind: 'op', op: OPERATOR_SYMBOLS[ch], start: pos, end: pos + 1 });
      pos++;
    } else if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch === '(' ? 'open' : 'close', start: pos, end: pos + 1 });
      pos++;
    } else {
      throw new ExpressionError(`unexpected '${ch}' at column ${pos + 1}`, {
        hint: 'use only numbers, + - * / and parentheses',
      });
    }
  }
  return tokens;
}

/** Recursive descent: expr := term (+|- term)*, term := factor (*|/ factor)*, factor := [-]number | ( expr ). */
export function parseExpression(source: string): Expression {
  if (!/\d/.test(source)) {
    throw new ExpressionError(`'${source.trim()}' is not an arithmetic expression`, {
      hint: 'give an expression such as (4 * 5) + (10 - 6) = 24',
    });
  }
  const tokens = tokenize(source);
  let index = 0;
  const describe = (token: Token | undefined): string =>
    token === undefined ? 'the end' : `'${source.slice(token.start, token.end)}' at column ${token.start + 1}`;

  const factor = (): Expression => {
    const token = tokens[index];
    if (token?.kind === 'number') {
      index++;
      return { kind: 'number', value: parseRational(token.text), start: token.start, end: token.end };
    }
    const next = tokens[index + 1];
    if (token?.kind === 'op' && token.op === '-' && next?.kind === 'number') {
      const literal = next;
      index += 2;
      return { kind: 'number', value: negate(parseRational(literal.text)), start: token.start, end: literal.end };
    }
    if (token?.kind === 'open') {
      index++;
      const inner = expression();
      const close = tokens[index];
      if (close?.kind !== 'close') {
        if (close === undefined) {
          throw new ExpressionError(`unbalanced parentheses: the '(' at column ${token.start + 1} is never closed`);
        }
        throw new ExpressionError(`expected ')' or an operator but found ${describe(close)}`);
      }
      index++;
      return { ...inner, start: token.start, end: close.end };
    }
    throw new ExpressionError(`expected a number or '(' but found ${describe(token)}`);
  };

  const chain = (ops: Operator[], operand: () => Expression): Expression => {
    let left = operand();
    for (let token = tokens[index]; token?.kind === 'op' && ops.includes(token.op); token = tokens[index]) {
      index++;
      const right = operand();
      left = { kind: 'binary', op: token.op, left, right, start: left.start, end: right.end };
    }
    return left;
  };
  const term = (): Expression => chain(['*', '/'], factor);
  const expression = (): Expression => chain(['+', '-'], term);

  const parsed = expression();
  const extra = tokens[index];
  if (extra !== undefined) {
    if (extra.kind === 'close') {
      throw new ExpressionError(`unbalanced parentheses: the ')' at column ${extra.start + 1} has no matching '('`);
    }
    throw new ExpressionError(`expected an operator before ${describe(extra)}`, {
      hint: 'write every multiplication with *, e.g. 2 * (3 + 4)',
    });
  }
  return parsed;
}

/** The number literals in the order written, as canonical strings. */
export function expressionLiterals(expression: Expression): string[] {
  if (expression.kind === 'number') return [toString(expression.value)];
  return [...expressionLiterals(expression.left), ...expressionLiterals(expression.right)];
}

/** Exact value; throws ExpressionError quoting the divisor when it is zero. */
export function evaluateExpression(expression: Expression, source: string): Rational {
  if (expression.kind === 'number') return expression.value;
  const left = evaluateExpression(expression.left, source);
  const right = evaluateExpression(expression.right, source);
  if (expression.op === '/' && isZero(right)) {
    const divisor = source.slice(expression.right.start, expression.right.end);
    throw new ExpressionError(`divides by zero: ${divisor} is 0`);
  }
  return applyOperator(left, expression.op, right);
}
