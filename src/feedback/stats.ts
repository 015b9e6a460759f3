import type { FeedbackRecords } from './records.ts';

/** Pick rate and execution success for one group (an action type, a user, or everything). */
export interface FeedbackGroupStats {
  group: string;
  shown: number;
  picked: number;
  /** picked / shown over proposed actions (the person's own are left out: they are always "picked"). */
  pickRate: number | null;
  custom: number;
  judged: number;
  applied: number;
  partly: number;
  notApplied: number;
  /** applied / judged. */
  successRate: number | null;
  /** (applied + partly / 2) / judged. */
  successScore: number | null;
  /** How often the environment's check agreed with the person (valid ⇔ not "not applied"). */
  checkAgreement: number | null;
}

export interface FeedbackStats {
  overall: FeedbackGroupStats;
  byActionType: FeedbackGroupStats[];
  byUser: FeedbackGroupStats[];
  sessions: number;
  users: number;
}

function group(name: string, records: FeedbackRecords): FeedbackGroupStats {
  const proposed = records.preferences.filter((p) => !p.custom);
  const picked = proposed.filter((p) => p.picked).length;
  const judged = records.judgments.length;
  const count = (v: string) => records.judgments.filter((j) => j.verdict === v).length;
  const applied = count('applied');
  const partly = count('partly');
  const agree = records.judgments.filter((j) => j.checkValid === (j.verdict !== 'not_applied')).length;
  return {
    group: name,
    shown: proposed.length,
    picked,
    pickRate: proposed.length ? picked / proposed.length : null,
    custom: records.preferences.length - proposed.length,
    judged,
    applied,
    partly,
    notApplied: count('not_applied'),
    successRate: judged ? applied / judged : null,
    successScore: judged ? (applied + partly / 2) / judged : null,
    checkAgreement: judged ? agree / judged : null,
  };
}

function groupBy(records: FeedbackRecords, key: (r: { actionType: string; userId: string }) => string): FeedbackGroupStats[] {
  const names = new Set([...records.preferences.map(key), ...records.judgments.map(key)]);
  return [...names].sort().map((name) =>
    group(name, { preferences: records.preferences.filter((p) => key(p) === name), judgments: records.judgments.filter((j) => key(j) === name) }),
  );
}

/** Pick rate and execution success overall, by action type and by user. */
export function feedbackStats(records: FeedbackRecords): FeedbackStats {
  return {
    overall: group('all', records),
    byActionType: groupBy(records, (r) => r.actionType),
    byUser: groupBy(records, (r) => r.userId),
    sessions: new Set([...records.preferences, ...records.judgments].map((r) => r.runId)).size,
    users: new Set([...records.preferences, ...records.judgments].map((r) => r.userId)).size,
  };
}
