import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PreferenceRecord } from '../../src/feedback/records.ts';
import { evaluateSelectionPredictors } from '../../src/people/evaluate.ts';
import { bestThreshold, binaryMetrics, fitLogistic } from '../../src/people/logistic.ts';
import { historyPredictor, noContextPredictor, profilePredictor } from '../../src/people/predictors.ts';
import { historyIndex, preferenceTurns } from '../../src/people/turns.ts';

/** Sessions where each user is shown a datasets section and a limitations section and picks their own favourite. */
function opposedUsers(sessions: number): PreferenceRecord[] {
  const records: PreferenceRecord[] = [];
  for (let s = 0; s < sessions; s++) {
    for (const [userId, favourite] of [['u-data', 'datasets'], ['u-limits', 'limitations']] as const) {
      const runId = `r${String(s).padStart(2, '0')}-${userId}`;
      const topics = s % 2 === 0 ? ['datasets', 'limitations'] : ['limitations', 'datasets'];
      topics.forEach((topic, i) => {
        records.push({
          type: 'preference', schema: 'stepwise.feedback.preference/1', study: 't', userId, runId,
          sessionStartedAt: `2026-01-${String(s + 1).padStart(2, '0')}T00:00:00.000Z`, taskId: 'q1', query: 'q', turn: 1, nodeId: `${runId}.0`,
          candidateId: `${runId}.0/${i}`, position: i + 1, shownCount: 2, text: `Add a section on ${topic}`, actionType: 'add_section', topic,
          custom: false, picked: topic === favourite, pickedTogether: [], decisionMs: 0,
        });
      });
    }
  }
  return records;
}

test('logistic regression separates separable data, and the F1-best cut is found', () => {
  const rows = [[0], [0.1], [0.2], [0.8], [0.9], [1]];
  const labels = [false, false, false, true, true, true];
  const model = fitLogistic(rows, labels, { epochs: 2000, rate: 1 });
  const probabilities = rows.map((r) => model.predict(r));
  assert.deepEqual(probabilities.map((p) => p >= 0.5), labels);
  const cut = bestThreshold(probabilities, labels);
  assert.equal(binaryMetrics(probabilities.map((p) => p >= cut), labels).f1, 1);
});

test('a turn\'s history holds the same user\'s earlier turns only', () => {
  const turns = preferenceTurns(opposedUsers(3));
  const index = historyIndex(turns);
  const last = turns.at(-1)!;
  const history = index.get(last.key)!;
  assert.ok(history.length > 0);
  assert.ok(history.every((r) => r.userId === last.userId && r.sessionStartedAt < last.sessionStartedAt));
  assert.deepEqual(index.get(turns[0].key), []);
});

test('users who want opposite things: the history predictor tells them apart on later sessions, no-context cannot', async () => {
  const evaluation = await evaluateSelectionPredictors({
    records: opposedUsers(8),
    predictors: [noContextPredictor(), profilePredictor(), historyPredictor()],
    profiles: new Map([['u-data', 'I like datasets'], ['u-limits', null]]),
    trainFraction: 0.5,
  });
  const [none, , history] = evaluation.results;
  assert.equal(evaluation.testSessions, 8);
  assert.ok(history.overall.accuracy > 0.95, `history accuracy ${history.overall.accuracy}`);
  assert.ok(none.overall.accuracy <= 0.5 + 1e-9, `no-context accuracy ${none.overall.accuracy}`);
  assert.ok(history.byUser['u-data'].f1 > 0.95 && history.byUser['u-limits'].f1 > 0.95);
});
