import { z } from 'zod';
import { UsageError } from '../core/errors.ts';

const verdicts = z.array(z.object({ r: z.number() }).loose());

/** One puzzle of ToT's breadth-first search log (`{idx, steps:[…], ys, infos}`). */
export const totBfsEntrySchema = z.object({
  idx: z.number().int(),
  steps: z.array(z.object({
    step: z.number().int(),
    x: z.string(),
    ys: z.array(z.string()),
    new_ys: z.array(z.string()),
    values: z.array(z.number()),
    select_new_ys: z.array(z.string()),
  }).loose()).min(1),
  ys: z.array(z.string()),
  infos: verdicts,
}).loose();

/** One puzzle of ToT's chain-of-thought sampling log (`{idx, ys, infos}`). */
export const totCotEntrySchema = z.object({ idx: z.number().int(), ys: z.array(z.string()), infos: verdicts }).loose();

export type TotBfsEntry = z.infer<typeof totBfsEntrySchema>;
export type TotCotEntry = z.infer<typeof totCotEntrySchema>;

export type TotLog = { kind: 'bfs'; entries: TotBfsEntry[] } | { kind: 'cot'; entries: TotCotEntry[] };

/** Reads a ToT Game of 24 log: a search log when its entries have `steps`, else a sampling log. */
export function parseTotLog(json: unknown, path: string): TotLog {
  const hint = 'expected a Tree of Thoughts Game of 24 log: a JSON array of {idx, steps, ys, infos} (BFS) or {idx, ys, infos} (sampling); see `stepwise import --help`';
  if (!Array.isArray(json) || json.length === 0) throw new UsageError(`${path} is not a ToT log: the top level must be a non-empty JSON array`, { hint });
  const isBfs = json.some((entry) => typeof entry === 'object' && entry !== null && 'steps' in entry);
  const schema = isBfs ? totBfsEntrySchema : totCotEntrySchema;
  const entries = json.map((entry, i) => {
    const parsed = schema.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UsageError(`${path}: entry ${i} is not a ToT ${isBfs ? 'search' : 'sampling'} log entry (${issue.path.join('.') || 'entry'}: ${issue.message})`, { hint });
    }
    if (parsed.data.infos.length !== parsed.data.ys.length) {
      throw new UsageError(`${path}: entry ${i} has ${parsed.data.ys.length} outputs but ${parsed.data.infos.length} verdicts`, { hint });
    }
    return parsed.data;
  });
  return isBfs ? { kind: 'bfs', entries: entries as TotBfsEntry[] } : { kind: 'cot', entries: entries as TotCotEntry[] };
}
