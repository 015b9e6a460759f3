import { defineEnvironmentPlugin } from '../../registry/environment-plugin.ts';
import type { ReportAction } from './action.ts';
import { modelExecutor } from './edit-model.ts';
import { reportEnvironment, reportEnvironmentOffline } from './env.ts';
import { reportProposer } from './propose.ts';
import type { Report } from './report.ts';
import type { ReportSpec } from './spec.ts';
import { loadReportTasks } from './tasks.ts';

export const reportPlugin = defineEnvironmentPlugin<Report, ReportAction, ReportSpec>({
  env: reportEnvironmentOffline,
  describe: 'a multi-section report with citations, written from a paper corpus by typed edits',
  taskSpecs: ['"../shared/data/papers/intermediate-actions.jsonl#which intermediate actions do users want?"', 'papers.csv#@queries.txt'],
  loadTasks: (spec) => loadReportTasks(spec),
  withModel: (client) => reportEnvironment({ executor: modelExecutor({ client }) }),
  parseSolution: (text) => ({ steps: text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean), answer: null }),
  // Without a model, a person chooses among edits mined from the corpus.
  defaultProposer: () => reportProposer(),
});
