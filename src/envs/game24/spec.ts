import { z } from 'zod';
import type { RoundedDecimals } from './step.ts';

/**
 * One Game of 24 puzzle: the numbers to combine (four in the standard game), and how a step's rounded decimals are
 * read (`resolve`, the default, or `refuse`; see Game24Rules). The rule is part of the task so a recorded run keeps it.
 */
export interface Game24Spec {
  numbers: number[];
  roundedDecimals?: RoundedDecimals;
}

export const game24SpecSchema: z.ZodType<Game24Spec> = z.object({
  numbers: z.array(z.number().finite()).min(1).max(6),
  roundedDecimals: z.enum(['resolve', 'refuse']).optional(),
});
