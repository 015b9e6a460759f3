import type { StepCheck, Transition } from '../../core/environment.ts';
import { formatGame24Action, type Game24Action } from './action.ts';
import { describeDifference, multisetDifference, sortedNumberTexts } from './multiset.ts';
import {
  equals,
  isRoundedDecimalOf,
  isZero,
  parseRational,
  toString,
  tryParseRational,
  TWENTY_FOUR,
  type Rational,
} from './rational.ts';
import { applyOperator, type Operator } from './solver.ts';

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

/** Finds the two operands in the remaining numbers, or says which are missing. */
function locateOperands(
  state: Game24State,
  values: Rational[],
  action: Game24Action,
  a: Rational,
  b: Rational,
): { i: number; j: number } | { reason: string; missing: string[] } {
  const i = values.findIndex((v) => equals(v, a));
  const j = values.findIndex((v, k) => k !== i && equals(v, b));
  if (i >= 0 && j >= 0) return { i, j };
  if (i >= 0 && equals(a, b)) {
    return {
      reason: `uses ${action.b} twice but only one ${toString(b)} is left (${state.numbers.join(' ')})`,
      missing: [toString(b)],
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

/** Checks a step against the remaining numbers and its own claims, and applies it when it holds. */
export function applyGame24Step(state: Game24State, action: Game24Action): Transition<Game24State> {
  const expression = formatGame24Action({ a: action.a, op: action.op, b: action.b });
  const a = tryParseRational(action.a);
  const b = tryParseRational(action.b);
  if (a === null || b === null) {
    return invalid(state, `'${a === null ? action.a : action.b}' is not a number`);
  }
  const values = state.numbers.map(parseRational);
  const located = locateOperands(state, values, action, a, b);
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
  if (claimed !== undefined) {
    if (!sameNumber(claimed.result, result)) {
      const rounded = isRoundedDecimalOf(claimed.result, result)
        ? ` (${claimed.result} is ${toString(result)} rounded; steps must be exact)`
        : '';
      return invalid(state, `${expression} = ${toString(result)}, not ${claimed.result}${rounded}`, {
        result: toString(result),
        claimedResult: claimed.result,
      });
    }
    if (claimed.left !== undefined) {
      const claimedLeft = claimed.left.map((text) => tryParseRational(text));
      const unreadable = claimed.left.find((_, k) => claimedLeft[k] === null);
      if (unreadable !== undefined) return invalid(state, `the left list has '${unreadable}', which is not a number`);
      const difference = multisetDifference(left, sortedNumberTexts(claimedLeft as Rational[]));
      if (difference.missing.length > 0 || difference.extra.length > 0) {
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
  return {
    state: next,
    observation: `${expression} = ${toString(result)}. ${renderGame24State(next)}.${ending}`,
    reward: success ? 1 : 0,
    done,
    success,
    check: { valid: true },
  };
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
