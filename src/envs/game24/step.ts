import type { StepCheck, Transition } from '../../core/environment.ts';
import { formatGame24Action, type Game24Action } from './action.ts';
import { describeDifference, multisetDifference, sortedNumberTexts } from './multiset.ts';
import {
  equals,
  isRoundedDecimalOf,
  isZero,
  parseRational,
  roundsTo,
  toString,
  tryParseRational,
  TWENTY_FOUR,
  type Rational,
} from './rational.ts';
import { applyOperator, type Operator } from './solver.ts';

/**
 * How a step's rounded decimals are read. `resolve` (the default): a decimal such as 2.67 stands for the one exact
 * number it is a rounding or cut-off of (8/3) — an operand among the numbers left, the step's exact result, an entry of
 * its left list — when exactly one candidate matches; the step is valid, its check carries `detail.rounded` and a
 * `note`, and the state keeps the exact value, so 24 is only ever reached exactly. Two or more candidates, or none, and
 * the step is invalid. `refuse`: every decimal must equal its number exactly (a rounding is invalid, with a nudge).
 */
export type RoundedDecimals = 'resolve' | 'refuse';

export interface Game24Rules {
  roundedDecimals: RoundedDecimals;
}

export const DEFAULT_GAME24_RULES: Game24Rules = { roundedDecimals: 'resolve' };

/** One decimal a step wrote, read as the exact number it rounds. */
export interface RoundedReading {
  text: string;
  exact: string;
  /** Where the decimal was: an operand, the claimed result, or the left list. */
  role: 'operand' | 'result' | 'left';
}

/** The numbers still to combine, as canonical rational strings in ascending numeric order. */
export interface Game24State {
  numbers: string[];
}

export function renderGame24State(state: Game24State): string {
  return `Numbers left: ${state.numbers.join(' ')}`;
}

export function game24StateKey(state: Game24State): string {
  return state.numbers.join(' ');
}

export function isGame24Goal(state: Game24State): boolean {
  return state.numbers.length === 1 && equals(parseRational(state.numbers[0]), TWENTY_FOUR);
}

function invalid(state: Game24State, reason: string, detail?: Record<string, unknown>): Transition<Game24State> {
  const check: StepCheck = detail === undefined ? { valid: false, reason } : { valid: false, reason, detail };
  return {
    state,
    observation: `Invalid step: ${reason}. ${renderGame24State(state)}`,
    reward: 0,
    done: state.numbers.length <= 1,
    success: isGame24Goal(state),
    check,
  };
}

function sameNumber(text: string, value: Rational): boolean {
  const parsed = tryParseRational(text);
  return parsed !== null && equals(parsed, value);
}

/** Why `text` is not among `numbers`, with a nudge when it is a rounded form of one of them. */
function missingOperandReason(text: string, state: Game24State): string {
  const close = state.numbers.find((n) => isRoundedDecimalOf(text, parseRational(n)));
  const nudge = close === undefined ? '' : ` (${text} is ${close} rounded; use the exact value ${close})`;
  return `${text} is not among the numbers left (${state.numbers.join(' ')})${nudge}`;
}

/** The distinct numbers among `pool` (skipping index `skip`) that `text` is a rounding of. */
function roundingCandidates(text: string, pool: readonly Rational[], skip = -1): Rational[] {
  const found: Rational[] = [];
  pool.forEach((value, k) => {
    if (k !== skip && roundsTo(text, value) && !found.some((f) => equals(f, value))) found.push(value);
  });
  return found;
}

type Located = { i: number; j: number; a: Rational; b: Rational; rounded: RoundedReading[] } | { reason: string; missing: string[] };

/** Finds the two operands in the remaining numbers (an unambiguous rounding of one, under `resolve`), or says which are missing. */
function locateOperands(state: Game24State, values: Rational[], action: Game24Action, a: Rational, b: Rational, rules: Game24Rules): Located {
  const rounded: RoundedReading[] = [];
  const resolve = (text: string, value: Rational, skip: number): { index: number; value: Rational } | { ambiguous: Rational[] } => {
    const exact = values.findIndex((v, k) => k !== skip && equals(v, value));
    if (exact >= 0 || rules.roundedDecimals === 'refuse') return { index: exact, value };
    const candidates = roundingCandidates(text, values, skip);
    if (candidates.length > 1) return { ambiguous: candidates };
    if (candidates.length === 0) return { index: -1, value };
    const index = values.findIndex((v, k) => k !== skip && equals(v, candidates[0]));
    rounded.push({ text, exact: toString(candidates[0]), role: 'operand' });
    return { index, value: candidates[0] };
  };
  const first = resolve(action.a, a, -1);
  if ('ambiguous' in first) return ambiguity(action.a, first.ambiguous, state);
  const second = resolve(action.b, b, first.index);
  if ('ambiguous' in second) return ambiguity(action.b, second.ambiguous, state);
  const [i, j] = [first.index, second.index];
  if (i >= 0 && j >= 0) return { i, j, a: first.value, b: second.value, rounded };
  if (i >= 0 && equals(first.value, second.value)) {
    return {
      reason: `uses ${action.b} twice but only one ${toString(second.value)} is left (${state.numbers.join(' ')})`,
      missing: [toString(second.value)],
    };
  }
  const missing = i >= 0 ? [action.b] : j >= 0 || equals(a, b) ? [action.a] : [action.a, action.b];
  if (missing.length === 2) {
    return {
      reason: `${missing[0]} and ${missing[1]} are not among the numbers left (${state.numbers.join(' ')})`,
      missing,
    };
  }
  return { reason: missingOperandReason(missing[0], state), missing };
}

function ambiguity(text: string, candidates: Rational[], state: Game24State): { reason: string; missing: string[] } {
  return {
    reason: `${text} could be ${candidates.map(toString).join(' or ')} rounded (numbers left: ${state.numbers.join(' ')}); write the exact value`,
    missing: [text],
  };
}

/**
 * Matches a step's left list against the true numbers left: exact entries first, then each decimal entry to the one
 * remaining number it is a rounding of (under `resolve`). Returns the readings, or null when the lists differ.
 */
function matchLeftList(left: readonly string[], claimed: readonly Rational[], texts: readonly string[], rules: Game24Rules): RoundedReading[] | null {
  if (claimed.length !== left.length) return null;
  const pool = left.map(parseRational);
  const used = pool.map(() => false);
  const pending: number[] = [];
  claimed.forEach((value, k) => {
    const at = pool.findIndex((v, m) => !used[m] && equals(v, value));
    if (at >= 0) used[at] = true;
    else pending.push(k);
  });
  if (pending.length > 0 && rules.roundedDecimals === 'refuse') return null;
  const readings: RoundedReading[] = [];
  for (const k of pending) {
    const open = pool.filter((_, m) => !used[m]);
    const candidates = roundingCandidates(texts[k], open);
    if (candidates.length !== 1) return null;
    used[pool.findIndex((v, m) => !used[m] && equals(v, candidates[0]))] = true;
    readings.push({ text: texts[k], exact: toString(candidates[0]), role: 'left' });
  }
  return readings;
}

/** Checks a step against the remaining numbers and its own claims, and applies it when it holds. */
export function applyGame24Step(state: Game24State, action: Game24Action, rules: Game24Rules = DEFAULT_GAME24_RULES): Transition<Game24State> {
  const expression = formatGame24Action({ a: action.a, op: action.op, b: action.b });
  const parsedA = tryParseRational(action.a);
  const parsedB = tryParseRational(action.b);
  if (parsedA === null || parsedB === null) {
    return invalid(state, `'${parsedA === null ? action.a : action.b}' is not a number`);
  }
  const values = state.numbers.map(parseRational);
  const located = locateOperands(state, values, action, parsedA, parsedB, rules);
  const [a, b] = 'reason' in located ? [parsedA, parsedB] : [located.a, located.b];
  const divisionByZero = action.op === '/' && isZero(b);
  const result = divisionByZero ? null : applyOperator(a, action.op, b);
  if ('reason' in located) {
    // A step like `10 * 1 = 24` is often wrong twice over; say both so the reader sees the arithmetic too.
    const wrongClaim = result !== null && action.claimed !== undefined && !sameNumber(action.claimed.result, result);
    const arithmetic = wrongClaim ? `; and ${expression} = ${toString(result)}, not ${action.claimed?.result}` : '';
    return invalid(state, located.reason + arithmetic, { missing: located.missing });
  }
  if (result === null) return invalid(state, `${expression} divides by zero`, { divisionByZero: true });

  const left = sortedNumberTexts([...values.filter((_, k) => k !== located.i && k !== located.j), result]);
  const claimed = action.claimed;
  const rounded = [...located.rounded];
  if (claimed !== undefined) {
    if (!sameNumber(claimed.result, result) && rules.roundedDecimals === 'resolve' && roundsTo(claimed.result, result)) {
      rounded.push({ text: claimed.result, exact: toString(result), role: 'result' });
    } else if (!sameNumber(claimed.result, result)) {
      const nudge = !isRoundedDecimalOf(claimed.result, result)
        ? ''
        : rules.roundedDecimals === 'refuse'
          ? ` (${claimed.result} is ${toString(result)} rounded; steps must be exact)`
          : ` (${claimed.result} is close to ${toString(result)} but neither its rounding nor its cut-off to the digits shown)`;
      return invalid(state, `${expression} = ${toString(result)}, not ${claimed.result}${nudge}`, {
        result: toString(result),
        claimedResult: claimed.result,
      });
    }
    if (claimed.left !== undefined) {
      const claimedLeft = claimed.left.map((text) => tryParseRational(text));
      const unreadable = claimed.left.find((_, k) => claimedLeft[k] === null);
      if (unreadable !== undefined) return invalid(state, `the left list has '${unreadable}', which is not a number`);
      const readings = matchLeftList(left, claimedLeft as Rational[], claimed.left, rules);
      if (readings !== null) rounded.push(...readings);
      else {
        // Under `resolve`, a decimal that stands for one number left is compared as that number, so the difference names the real fault.
        const pool = left.map(parseRational);
        const compared = (claimedLeft as Rational[]).map((value, k) => {
          if (rules.roundedDecimals === 'refuse' || pool.some((v) => equals(v, value))) return value;
          const candidates = roundingCandidates(claimed.left![k], pool);
          return candidates.length === 1 ? candidates[0] : value;
        });
        const difference = multisetDifference(left, sortedNumberTexts(compared));
        return invalid(
          state,
          `after ${expression} = ${toString(result)} the numbers left are ${left.join(' ')}, not ${claimed.left.join(' ')} (${describeDifference(difference)})`,
          { left, claimedLeft: claimed.left, ...difference },
        );
      }
    }
  }

  const next: Game24State = { numbers: left };
  const success = isGame24Goal(next);
  const done = left.length === 1;
  const ending = success ? ' Reached 24.' : done ? ` The last number is ${left[0]}, not 24.` : '';
  const note = rounded.length === 0 ? undefined : `rounded: ${describeReadings(rounded)}`;
  return {
    state: next,
    observation: `${expression} = ${toString(result)}.${note === undefined ? '' : ` (${note}.)`} ${renderGame24State(next)}.${ending}`,
    reward: success ? 1 : 0,
    done,
    success,
    check: note === undefined ? { valid: true } : { valid: true, note, detail: { rounded } },
  };
}

/** `2.67 read as 8/3, 4.12 read as 33/8`: each distinct decimal once. */
function describeReadings(readings: readonly RoundedReading[]): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const r of readings) {
    const key = `${r.text}=${r.exact}`;
    if (seen.has(key)) continue;
    seen.add(key);
    parts.push(`${r.text} read as ${r.exact}`);
  }
  return parts.join(', ');
}

/** Every distinct step from `state`, with its claim filled in: pairs in order, both orders for - and /. */
export function game24LegalActions(state: Game24State): Game24Action[] {
  const values = state.numbers.map(parseRational);
  const seen = new Set<string>();
  const actions: Game24Action[] = [];
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) {
      const rest = values.filter((_, k) => k !== i && k !== j);
      const [small, large] = [state.numbers[i], state.numbers[j]];
      const orders: [string, Operator, string][] = [
        [small, '+', large],
        [large, '-', small],
        [small, '-', large],
        [small, '*', large],
        [large, '/', small],
        [small, '/', large],
      ];
      for (const [a, op, b] of orders) {
        const divisor = parseRational(b);
        if (op === '/' && isZero(divisor)) continue;
        const result = applyOperator(parseRational(a), op, divisor);
        const action: Game24Action = {
          a,
          op,
          b,
          claimed: { result: toString(result), left: sortedNumberTexts([...rest, result]) },
        };
        const key = formatGame24Action(action);
        if (seen.has(key)) continue;
        seen.add(key);
        actions.push(action);
      }
    }
  }
  return actions;
}
