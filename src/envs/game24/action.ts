import { z } from 'zod';
import { tryParseRational } from './rational.ts';
import type { Operator } from './solver.ts';

/**
 * One step: combine two of the remaining numbers. `claimed` is what the step's author said the
 * result and the remaining numbers are (ToT's `= 6 (left: 5 6 6)`); the environment checks it.
 * Numbers are kept as written (`1.5`, `3/2`), so an error can quote them.
 */
export interface Game24Action {
  a: string;
  op: Operator;
  b: string;
  claimed?: { result: string; left?: string[] };
}

const numberText = z.string().refine((text) => tryParseRational(text) !== null, {
  message: 'expected a number such as 6, -1/2 or 1.5',
});

export const game24ActionSchema: z.ZodType<Game24Action> = z.object({
  a: numberText,
  op: z.enum(['+', '-', '*', '/']),
  b: numberText,
  claimed: z
    .object({
      result: numberText,
      left: z.array(numberText).optional(),
    })
    .optional(),
});

/** Negative right operands get parentheses, as ToT writes them: `10 - (-1)`. */
function operandText(text: string, right: boolean): string {
  return right && text.startsWith('-') ? `(${text})` : text;
}

/** `10 - 4 = 6 (left: 5 6 6)` when the action carries a claim, else `10 - 4`. */
export function formatGame24Action(action: Game24Action): string {
  const expression = `${operandText(action.a, false)} ${action.op} ${operandText(action.b, true)}`;
  if (action.claimed === undefined) return expression;
  const left = action.claimed.left === undefined ? '' : ` (left: ${action.claimed.left.join(' ')})`;
  return `${expression} = ${action.claimed.result}${left}`;
}
