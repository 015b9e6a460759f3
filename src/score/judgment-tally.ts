import type { CandidateRecord } from '../store/records.ts';

/** How a run's (or a task's) judges fared: replies that could not be read are counted, never scored 0. */
export interface JudgmentTally {
  /** Candidates that got a score record from any scorer (a judge's unread one included). */
  scored: number;
  /** Candidates a judge left without a score because none of its replies could be read. */
  unscored: number;
  /** Judge replies with no readable verdict, over all candidates. */
  unparsed: number;
}

export function tallyJudgments(candidates: Iterable<Pick<CandidateRecord, 'scores'>>, into: JudgmentTally = { scored: 0, unscored: 0, unparsed: 0 }): JudgmentTally {
  for (const { scores } of candidates) {
    if (scores.length === 0) continue;
    into.scored++;
    if (scores.some((s) => s.value === null)) into.unscored++;
    for (const s of scores) into.unparsed += s.unparsed ?? 0;
  }
  return into;
}

/** One line for `show` and run summaries; null when every reply was read. */
export function describeJudgmentTally(tally: JudgmentTally): string | null {
  if (tally.unparsed === 0) return null;
  return `judgments: ${tally.unparsed} judge replies could not be read; ${tally.unscored} of ${tally.scored} scored candidates got no score from a judge (left out of their value, not counted as 0)`;
}

/** The account of a candidate's unread judgments, for its line in `show`; empty when there is none. */
export function describeUnreadScores(scores: CandidateRecord['scores']): string {
  return scores
    .filter((s) => (s.unparsed ?? 0) > 0)
    .map((s) => `${s.value === null ? 'unscored' : 'partly scored'} by ${s.scorer}: ${s.unparsed} of ${s.judgments} replies unread`)
    .join('  ');
}
