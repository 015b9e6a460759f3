import { z } from 'zod';

// Option schemas that read a value the same way whether it comes from a CLI flag (text), a suite or a recipe (JSON).

/** A number, from a number or its text; `whole` for integers, `min` inclusive, `all` also takes "all" (Infinity). */
export function numberOption(rule: { whole?: boolean; min?: number; all?: boolean } = {}) {
  const { whole = false, min = -Infinity, all = false } = rule;
  const expected = `${whole ? 'a whole number' : 'a number'}${min > -Infinity ? ` >= ${min}` : ''}${all ? ' or "all"' : ''}`;
  return z.union([z.number(), z.string()]).transform((value, ctx) => {
    if (all && value === 'all') return Infinity;
    const parsed = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
    if (!Number.isFinite(parsed) || (whole && !Number.isInteger(parsed)) || parsed < min) {
      ctx.addIssue({ code: 'custom', message: `must be ${expected}` });
      return z.NEVER;
    }
    return parsed;
  });
}

/** One of a fixed set of words. */
export function choiceOption<const T extends readonly [string, ...string[]]>(values: T) {
  return z.string().refine((value) => values.includes(value), { message: `must be one of ${values.join(', ')}` }).transform((value) => value as T[number]);
}
