import type { PreferenceRecord } from '../feedback/records.ts';
import { binaryMetrics, type BinaryMetrics } from './logistic.ts';
import type { PredictionContext, SelectionPredictor } from './predictors.ts';
import { historyIndex, preferenceTurns, type PreferenceTurn } from './turns.ts';

export interface PredictorResult {
  predictor: string;
  overall: BinaryMetrics;
  byUser: Record<string, BinaryMetrics>;
}

export interface SelectionEvaluation {
  trainTurns: number;
  testTurns: number;
  trainSessions: number;
  testSessions: number;
  results: PredictorResult[];
}

/**
 * Trains each predictor on every user's earlier sessions and tests it on their later ones (the first
 * `trainFraction` of each user's sessions, in time order, are training). A turn's history is the
 * same user's records from all earlier turns.
 */
export async function evaluateSelectionPredictors(options: {
  records: readonly PreferenceRecord[];
  predictors: readonly SelectionPredictor[];
  profiles: ReadonlyMap<string, string | null>;
  trainFraction?: number;
}): Promise<SelectionEvaluation> {
  const turns = preferenceTurns(options.records);
  const histories = historyIndex(turns);
  const context: PredictionContext = { history: (turn) => histories.get(turn.key) ?? [], profile: (userId) => options.profiles.get(userId) ?? null };
  const sessionsByUser = new Map<string, string[]>();
  for (const t of turns) {
    const list = sessionsByUser.get(t.userId) ?? [];
    if (!list.includes(t.runId)) list.push(t.runId);
    sessionsByUser.set(t.userId, list);
  }
  const trainRuns = new Set<string>();
  for (const runs of sessionsByUser.values()) runs.slice(0, Math.max(1, Math.floor(runs.length * (options.trainFraction ?? 0.6)))).forEach((r) => trainRuns.add(r));
  const train = turns.filter((t) => trainRuns.has(t.runId));
  const test = turns.filter((t) => !trainRuns.has(t.runId));
  const results: PredictorResult[] = [];
  for (const predictor of options.predictors) {
    await predictor.fit(train, context);
    const predicted: { turn: PreferenceTurn; picks: boolean[] }[] = [];
    for (const turn of test) predicted.push({ turn, picks: (await predictor.predict(turn, context)).map((p) => p >= 0.5) });
    const metricsOf = (subset: typeof predicted) => binaryMetrics(subset.flatMap((p) => p.picks), subset.flatMap((p) => p.turn.actions.map((a) => a.picked)));
    const byUser: Record<string, BinaryMetrics> = {};
    for (const userId of sessionsByUser.keys()) byUser[userId] = metricsOf(predicted.filter((p) => p.turn.userId === userId));
    results.push({ predictor: predictor.name, overall: metricsOf(predicted), byUser });
  }
  return { trainTurns: train.length, testTurns: test.length, trainSessions: trainRuns.size, testSessions: new Set(test.map((t) => t.runId)).size, results };
}
