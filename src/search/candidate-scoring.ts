import type { Candidate, JudgedScore, ScoreContext, Scorer } from '../core/step.ts';
import type { ScoreRecord } from '../store/records.ts';
import type { Limiter } from '../core/limiter.ts';

/** How an expansion scores its usable candidates and folds each candidate's scores into one value. */
export interface CandidateScoring<S, A> {
  /** Every scorer's values, per candidate in order; a null or non-finite value is no score (a judge's account of one is kept, valued null). */
  score(usable: Candidate<A>[], context: () => ScoreContext<S, A>): Promise<ScoreRecord[][]>;
  /** Weighted mean of the scores (a scorer listed twice keeps its first weight); null when there are none. */
  combine(scores: readonly ScoreRecord[]): number | null;
}

/** A judge's account as recorded: a non-finite value is no score, like a plain null. */
function judgedRecord(scorer: string, judged: JudgedScore): ScoreRecord {
  const value = judged.value !== null && Number.isFinite(judged.value) ? judged.value : null;
  return {
    scorer,
    value,
    ...(judged.detail ? { detail: judged.detail } : {}),
    judgments: judged.judgments,
    unparsed: judged.unparsed,
  };
}

/** Model-backed scorers run in the limiter's slots; `local` ones run at once. */
export function createCandidateScoring<S, A>(
  scorers: readonly { scorer: Scorer<S, A>; weight: number }[],
  limiter: Limiter,
): CandidateScoring<S, A> {
  const weightOf = new Map<string, number>();
  for (const { scorer, weight } of scorers) if (!weightOf.has(scorer.name)) weightOf.set(scorer.name, weight);
  return {
    async score(usable, context) {
      const perCandidate: ScoreRecord[][] = usable.map(() => []);
      if (usable.length === 0 || scorers.length === 0) return perCandidate;
      const scoreCtx = context();
      await Promise.all(
        scorers.map(async ({ scorer }) => {
          const values = await (scorer.local ? scorer.score(scoreCtx, usable) : limiter.run(() => scorer.score(scoreCtx, usable)));
          if (values.length !== usable.length) {
            throw new Error(`scorer ${scorer.name} returned ${values.length} values for ${usable.length} candidates`);
          }
          values.forEach((value, i) => {
            if (typeof value === 'number') {
              if (Number.isFinite(value)) perCandidate[i].push({ scorer: scorer.name, value });
            } else if (value !== null) {
              perCandidate[i].push(judgedRecord(scorer.name, value));
            }
          });
        }),
      );
      return perCandidate;
    },
    combine(scores) {
      let total = 0;
      let weights = 0;
      for (const s of scores) {
        if (s.value === null) continue;
        const weight = weightOf.get(s.scorer) ?? 1;
        total += s.value * weight;
        weights += weight;
      }
      return weights > 0 ? total / weights : null;
    },
  };
}
