import { defineEnvironment, type Environment, type Task } from '../../core/environment.ts';
import { TaskError } from '../../core/errors.ts';
import { parseReportAction, formatReportAction, reportActionSchema, type ReportAction } from './action.ts';
import { loadCorpus, type Corpus } from './corpus.ts';
import { checkReportEdit } from './edit-check.ts';
import { draftSection, extractiveExecutor, type ReportExecutor } from './edit-offline.ts';
import type { ReportProblem } from './problem.ts';
import { reportActionPool } from './propose.ts';
import { renderReport, reportKey, type Report } from './report.ts';
import { reportSpecSchema, type ReportSpec } from './spec.ts';

const DEFAULT_TARGET_SECTIONS = 5;

/** The first draft: an overview of the papers most relevant to the query, then their methods. */
export function draftReport(query: string, corpus: Corpus): Report {
  let report: Report = { query, sections: [], nextSection: 1, notes: [] };
  for (const topic of [query, 'methods']) {
    const section = draftSection(report, corpus, topic, `s${report.nextSection}`);
    if (!section) continue;
    const named = topic === query ? { ...section, title: 'Overview', topic: 'overview' } : section;
    report = { ...report, sections: [...report.sections, named], nextSection: report.nextSection + 1 };
  }
  return report;
}

function isComplete(report: Report, target: number): boolean {
  return report.sections.filter((s) => new Set(s.paragraphs.flatMap((p) => p.citations)).size >= 2).length >= target;
}

/**
 * The report environment: a query and a paper corpus; the state is the report, the actions are
 * typed edits. Edits are carried out by `executor` (extractive and offline by default, or a model)
 * and every result is checked: the edit happened where asked and cites only corpus papers.
 */
export function reportEnvironment(options: { executor?: ReportExecutor } = {}): Environment<Report, ReportAction, ReportSpec> {
  const executor = options.executor ?? extractiveExecutor();
  return defineEnvironment<Report, ReportAction, ReportSpec>({
    name: 'report',
    version: '1',
    actionSchema: reportActionSchema,
    formatAction: formatReportAction,
    parseAction: parseReportAction,
    load(task: Task<ReportSpec>): ReportProblem {
      const parsed = reportSpecSchema.safeParse(task.spec);
      if (!parsed.success) {
        throw new TaskError(`task ${task.id} is not a report task: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`).join('; ')}`, {
          hint: 'a report spec looks like { "query": "…", "corpus": "papers.jsonl" }',
        });
      }
      const { query, targetSections = DEFAULT_TARGET_SECTIONS } = parsed.data;
      const corpus = loadCorpus(parsed.data.corpus);
      const initialState = draftReport(query, corpus);
      return {
        corpus,
        query,
        initialState,
        goalText: `Write a report of ${targetSections} sections or more, each citing two papers or more, answering: ${query}`,
        async step(state, action, context) {
          const outcome = await executor.execute(state, action, corpus, context);
          if (!outcome.ok) return { state, observation: `not applied: ${outcome.reason}`, reward: 0, done: false, success: false, check: { valid: false, reason: outcome.reason } };
          const check = checkReportEdit(state, outcome.report, action, corpus);
          if (!check.valid) return { state, observation: `rejected: ${check.reason}`, reward: 0, done: false, success: false, check };
          const success = isComplete(outcome.report, targetSections);
          return { state: outcome.report, observation: outcome.observation, reward: success ? 1 : 0, done: success, success, check };
        },
        // The mined edits, not every edit (free text is unbounded): lets the enumerator work offline. Not with a
        // model executor, where listing them would make model proposals be checked by executing them.
        ...(executor.local ? { legalActions: (state: Report) => reportActionPool(state, corpus) } : {}),
        render: renderReport,
        stateKey: reportKey,
        heuristic: (state) => Math.min(1, state.sections.filter((s) => new Set(s.paragraphs.flatMap((p) => p.citations)).size >= 2).length / targetSections),
      };
    },
  });
}

export const reportEnvironmentOffline = reportEnvironment();
