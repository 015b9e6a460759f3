import type { PreferenceRecord } from '../feedback/records.ts';

/** One turn as predictors see it: the actions a user was shown (proposed ones) and which they picked. */
export interface PreferenceTurn {
  key: string;
  runId: string;
  sessionStartedAt: string;
  userId: string;
  taskId: string;
  query: string;
  turn: number;
  actions: PreferenceRecord[];
}

/** Groups preference records into turns, in time order (session start, then turn). */
export function preferenceTurns(records: readonly PreferenceRecord[]): PreferenceTurn[] {
  const byKey = new Map<string, PreferenceTurn>();
  for (const r of records) {
    if (r.custom) continue;
    const key = `${r.runId}/${r.taskId}/${r.turn}`;
    let turn = byKey.get(key);
    if (!turn) byKey.set(key, (turn = { key, runId: r.runId, sessionStartedAt: r.sessionStartedAt, userId: r.userId, taskId: r.taskId, query: r.query, turn: r.turn, actions: [] }));
    turn.actions.push(r);
  }
  return [...byKey.values()].sort((a, b) => a.sessionStartedAt.localeCompare(b.sessionStartedAt) || a.runId.localeCompare(b.runId) || a.taskId.localeCompare(b.taskId) || a.turn - b.turn);
}

/** For each turn, the same user's records from every earlier turn (earlier sessions and earlier turns of this one). */
export function historyIndex(turns: readonly PreferenceTurn[]): Map<string, PreferenceRecord[]> {
  const seen = new Map<string, PreferenceRecord[]>();
  const index = new Map<string, PreferenceRecord[]>();
  for (const turn of turns) {
    const past = seen.get(turn.userId) ?? [];
    index.set(turn.key, [...past]);
    seen.set(turn.userId, [...past, ...turn.actions]);
  }
  return index;
}
