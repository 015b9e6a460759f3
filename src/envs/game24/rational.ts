import { StepwiseError } from '../../core/errors.ts';

/** An exact rational number: normalized, `den > 0`, sign carried by `num`, gcd(num, den) = 1. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

/** Text that is not a number, or a division by zero. */
export class RationalError extends StepwiseError {
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super('rational', message, options);
  }
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^([+-]?)(\d*)\.(\d*)$/;
const FRACTION = /^([+-]?\d+)\/([+-]?\d+)$/;

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** Builds a normalized rational; throws RationalError when `den` is zero. */
export function rational(num: bigint, den: bigint = 1n): Rational {
  if (den === 0n) throw new RationalError(`division by zero (${num}/0)`);
  const sign = den < 0n ? -1n : 1n;
  const g = gcd(num, den) || 1n;
  return { num: (sign * num) / g, den: (sign * den) / g };
}

export const ZERO: Rational = rational(0n);
export const TWENTY_FOUR: Rational = rational(24n);

/** Treats the Unicode minus sign (U+2212) and surrounding whitespace as plain ASCII. */
function normalizeNumberText(text: string): string {
  return text.trim().replace(/\u2212/g, '-').replace(/\s+/g, '');
}

/** Parses `3`, `-1/2`, `1.5` (= 3/2), `.5`, `−2`; returns null when the text is not a number. */
export function tryParseRational(text: string): Rational | null {
  const t = normalizeNumberText(text);
  if (INTEGER.test(t)) return rational(BigInt(t));
  const decimal = DECIMAL.exec(t);
  if (decimal && (decimal[2] !== '' || decimal[3] !== '')) {
    const [, sign, whole, fraction] = decimal;
    const digits = BigInt(`${whole}${fraction}` || '0');
    return rational(sign === '-' ? -digits : digits, 10n ** BigInt(fraction.length));
  }
  const fraction = FRACTION.exec(t);
  if (fraction) {
    const den = BigInt(fraction[2]);
    if (den === 0n) return null;
    return rational(BigInt(fraction[1]), den);
  }
  return null;
}

/** Like tryParseRational, but throws RationalError naming the text. */
export function parseRational(text: string): Rational {
  const value = tryParseRational(text);
  if (value === null) {
    throw new RationalError(`'${text}' is not a number`, {
      hint: 'write an integer (6), a fraction (3/2, -1/2) or a decimal (1.5)',
    });
  }
  return value;
}

/** Converts a JS number exactly as written in its shortest decimal form (0.1 → 1/10). */
export function fromNumber(value: number): Rational {
  if (!Number.isFinite(value)) throw new RationalError(`${value} is not a finite number`);
  const text = String(value);
  if (/e/i.test(text)) {
    const [mantissa, exponent] = text.toLowerCase().split('e');
    const base = parseRational(mantissa);
    const power = 10n ** BigInt(Math.abs(Number(exponent)));
    return Number(exponent) >= 0 ? mul(base, rational(power)) : div(base, rational(power));
  }
  return parseRational(text);
}

/** Canonical text: `6`, `-1/2`, `3/2`. */
export function toString(r: Rational): string {
  return r.den === 1n ? `${r.num}` : `${r.num}/${r.den}`;
}

/** Canonical text of any number literal, or null when it is not a number. */
export function canonicalNumberText(text: string): string | null {
  const value = tryParseRational(text);
  return value === null ? null : toString(value);
}

export function add(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den + b.num * a.den, a.den * b.den);
}

export function sub(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den - b.num * a.den, a.den * b.den);
}

export function mul(a: Rational, b: Rational): Rational {
  return rational(a.num * b.num, a.den * b.den);
}

/** Throws RationalError when `b` is zero. */
export function div(a: Rational, b: Rational): Rational {
  if (b.num === 0n) throw new RationalError(`division by zero (${toString(a)} / 0)`);
  return rational(a.num * b.den, a.den * b.num);
}

export function negate(a: Rational): Rational {
  return { num: -a.num, den: a.den };
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compare(a: Rational, b: Rational): -1 | 0 | 1 {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function equals(a: Rational, b: Rational): boolean {
  return a.num === b.num && a.den === b.den;
}

export function isZero(a: Rational): boolean {
  return a.num === 0n;
}

/**
 * Whether the decimal `text` is `exact` rounded to the digits it shows (0.666 for 2/3, 6.67 for 20/3),
 * so an error can tell a rounding apart from a plain mistake.
 */
export function isRoundedDecimalOf(text: string, exact: Rational): boolean {
  const t = normalizeNumberText(text);
  const decimal = DECIMAL.exec(t);
  const shown = tryParseRational(t);
  if (!decimal || shown === null || decimal[3] === '') return false;
  const unit = rational(1n, 10n ** BigInt(decimal[3].length));
  const gap = sub(shown, exact);
  const distance = gap.num < 0n ? negate(gap) : gap;
  return compare(distance, unit) < 0;
}

/**
 * Whether the decimal `text` is what `exact` becomes when written with the digits `text` shows after its point,
 * rounded half away from zero (2.67 for 8/3) or cut off (2.66 for 8/3, 1.666 for 5/3): the two ways a writer shortens
 * a number. Stricter than isRoundedDecimalOf, which allows anything closer than one unit of the last digit (4.12 for
 * 25/6 = 4.1666…, which is neither). False for text without digits after a point, and for the exact value itself.
 */
export function roundsTo(text: string, exact: Rational): boolean {
  const decimal = DECIMAL.exec(normalizeNumberText(text));
  const shown = tryParseRational(text);
  if (!decimal || shown === null || decimal[3] === '' || equals(shown, exact)) return false;
  const scale = 10n ** BigInt(decimal[3].length);
  // shown × scale is a whole number, since `shown` has exactly that many digits after its point.
  const shownUnits = (shown.num * scale) / shown.den;
  const magnitude = exact.num < 0n ? -exact.num : exact.num;
  const sign = exact.num < 0n ? -1n : 1n;
  const cut = sign * ((magnitude * scale) / exact.den);
  const rounded = sign * ((2n * magnitude * scale + exact.den) / (2n * exact.den));
  return shownUnits === cut || shownUnits === rounded;
}
