import { z } from 'zod';

/** One report task: a query over a corpus file. */
export const reportSpecSchema = z.object({
  query: z.string().min(1),
  /** Path of the corpus (JSONL or CSV), read when the task is loaded. */
  corpus: z.string().min(1),
  /** The report counts as done with this many sections, each citing two papers or more (default 5). */
  targetSections: z.number().int().min(1).optional(),
});
export type ReportSpec = z.infer<typeof reportSpecSchema>;
