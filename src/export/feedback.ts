import { feedbackRecordsOfRun, isFeedbackRun } from '../feedback/records.ts';
import { feedbackStats } from '../feedback/stats.ts';
import { defineExportFormat } from './format.ts';

/** A feedback session's preference and judgment records, then its statistics (schemas in docs/feedback.md). */
export const feedbackFormat = defineExportFormat({
  name: 'feedback',
  describe: 'feedback sessions: action preferences, execution judgments, pick rate and success by type and user',
  skipReason: (run) => (isFeedbackRun(run) ? null : 'not a feedback session (stepwise feedback records those)'),
  async *records(source) {
    if (!isFeedbackRun(source.run)) return;
    const records = await feedbackRecordsOfRun(source.store, source.run);
    yield* records.preferences;
    yield* records.judgments;
    yield { type: 'stats', schema: 'stepwise.feedback.stats/1', runId: source.run.id, ...feedbackStats(records) };
  },
});
