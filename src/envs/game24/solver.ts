import { sortedNumberTexts } from './multiset.ts';
import {
  add,
  compare,
  div,
  equals,
  fromNumber,
  isZero,
  mul,
  parseRational,
  sub,
  toString,
  TWENTY_FOUR,
  type Rational,
} from './rational.ts';

export type Operator = '+' | '-' | '*' | '/';

/** Every way models write the four operators (ASCII x is multiplication only between two numbers; callers check). */
export const OPERATOR_SYMBOLS: Readonly<Record<string, Operator>> = {
  '+': '+',
  '-': '-',
  '\u2212': '-',
  '\u2013': '-',
  '*': '*',
  '\u00d7': '*',
  x: '*',
  X: '*',
  '\u00b7': '*',
  '\u2217': '*',
  '/': '/',
  '\u00f7': '/',
  '\u2215': '/',
};

/** One combination `a op b` on the way to 24. */
interface PlannedStep {
  a: Rational;
  op: Operator;
  b: Rational;
}

/** Keyed by the canonical multiset; null means 24 is out of reach. Capped so long runs cannot grow it forever. */
const plans = new Map<string, PlannedStep[] | null>();
const PLAN_CACHE_LIMIT = 500_000;

export function applyOperator(a: Rational, op: Operator, b: Rational): Rational {
  switch (op) {
    case '+':
      return add(a, b);
    case '-':
      return sub(a, b);
    case '*':
      return mul(a, b);
    case '/':
      return div(a, b);
  }
}

/** The distinct ways to combine `a` and `b` (a ≤ b), skipping division by zero. */
function combinations(a: Rational, b: Rational): PlannedStep[] {
  const steps: PlannedStep[] = [
    { a, op: '+', b },
    { a, op: '*', b },
    { a: b, op: '-', b: a },
  ];
  if (!equals(a, b)) steps.push({ a, op: '-', b });
  if (!isZero(a)) steps.push({ a: b, op: '/', b: a });
  if (!isZero(b) && !equals(a, b)) steps.push({ a, op: '/', b });
  return steps;
}

/** Steps that reach exactly 24 from `values` (sorted ascending), or null. */
function plan(values: Rational[]): PlannedStep[] | null {
  const key = sortedNumberTexts(values).join(' ');
  const known = plans.get(key);
  if (known !== undefined) return known;
  let found: PlannedStep[] | null = null;
  if (values.length === 1) found = equals(values[0], TWENTY_FOUR) ? [] : null;
  for (let i = 0; i < values.length && found === null; i++) {
    if (i > 0 && equals(values[i], values[i - 1])) continue;
    for (let j = i + 1; j < values.length && found === null; j++) {
      if (j > i + 1 && equals(values[j], values[j - 1])) continue;
      const rest = values.filter((_, k) => k !== i && k !== j);
      for (const step of combinations(values[i], values[j])) {
        const next = [...rest, applyOperator(step.a, step.op, step.b)].sort(compare);
        const tail = plan(next);
        if (tail !== null) {
          found = [step, ...tail];
          break;
        }
      }
    }
  }
  if (plans.size >= PLAN_CACHE_LIMIT) plans.clear();
  plans.set(key, found);
  return found;
}

function toRationals(numbers: readonly (number | string)[]): Rational[] {
  return numbers.map((n) => (typeof n === 'number' ? fromNumber(n) : parseRational(n))).sort(compare);
}

/** How a starting number is written inside a solution: negatives and fractions in parentheses. */
function leafText(value: Rational): string {
  return value.den === 1n && value.num >= 0n ? toString(value) : `(${toString(value)})`;
}

/**
 * Whether some expression of `values` comes within a hair of 24 in floating point. Never false when an exact
 * solution exists (rounding stays far below the tolerance for the few small numbers of a puzzle, and no value an
 * exact solution divides by is that close to zero), so a false answer spares the exact search, which is slow
 * exactly when there is no solution: it must try every expression.
 */
function mayReach24(values: number[]): boolean {
  if (values.length === 1) return Math.abs(values[0] - 24) < 1e-6;
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) {
      const rest = values.filter((_, k) => k !== i && k !== j);
      const a = values[i];
      const b = values[j];
      const results = [a + b, a * b, a - b, b - a];
      if (Math.abs(b) > 1e-12) results.push(a / b);
      if (Math.abs(a) > 1e-12) results.push(b / a);
      for (const result of results) {
        rest.push(result);
        if (mayReach24(rest)) return true;
        rest.pop();
      }
    }
  }
  return false;
}

/** Whether the numbers can still make exactly 24 with + - * /, each used exactly once. */
export function isSolvable(numbers: readonly (number | string)[]): boolean {
  if (numbers.length === 0) return false;
  const values = toRationals(numbers);
  if (!mayReach24(values.map((v) => Number(v.num) / Number(v.den)))) return false;
  return plan(values) !== null;
}

/** One expression using every number exactly once that equals 24, e.g. `(4 * 5) + (10 - 6)`, or null. */
export function solve(numbers: readonly (number | string)[]): string | null {
  if (numbers.length === 0) return null;
  const values = toRationals(numbers);
  const steps = plan(values);
  if (steps === null) return null;
  const terms = values.map((value) => ({ value, text: leafText(value), leaf: true }));
  for (const step of steps) {
    const i = terms.findIndex((t) => equals(t.value, step.a));
    const j = terms.findIndex((t, k) => k !== i && equals(t.value, step.b));
    const wrap = (t: { text: string; leaf: boolean }) => (t.leaf ? t.text : `(${t.text})`);
    const combined = {
      value: applyOperator(step.a, step.op, step.b),
      text: `${wrap(terms[i])} ${step.op} ${wrap(terms[j])}`,
      leaf: false,
    };
    terms.splice(Math.max(i, j), 1);
    terms.splice(Math.min(i, j), 1);
    terms.push(combined);
  }
  return terms[0].text;
}
