import { z } from 'zod';

/** One Game of 24 puzzle: the numbers to combine (four in the standard game). */
export interface Game24Spec {
  numbers: number[];
}

export const game24SpecSchema: z.ZodType<Game24Spec> = z.object({
  numbers: z.array(z.number().finite()).min(1).max(6),
});
