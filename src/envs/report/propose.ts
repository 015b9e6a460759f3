import type { Rng } from '../../core/rng.ts';
import { defineProposer, type Candidate, type Proposer } from '../../core/step.ts';
import { formatReportAction, type ReportAction, type ReportActionType } from './action.ts';
import type { Corpus } from './corpus.ts';
import { retrieveFor } from './extract.ts';
import type { Report } from './report.ts';
import { corpusOf } from './problem.ts';
import { applyExtractiveEdit } from './edit-offline.ts';
import { uncoveredTopics } from './topics.ts';

/** Whether the offline executor can carry out `action` on `report`. */
export function applicable(report: Report, action: ReportAction, corpus: Corpus): boolean {
  return applyExtractiveEdit(report, action, corpus).ok;
}

const EXPAND_ASPECTS = ['methods', 'evaluation', 'datasets', 'limitations', 'applications', 'efficiency'];

/**
 * Every edit worth offering for a report: sections on topics the retrieved papers cover and the
 * report does not, expansions of sections with aspects, evidence, tables, rewrites and, for long
 * reports, merges, removals and moves. In a deterministic order; proposers choose among them.
 */
export function reportActionPool(report: Report, corpus: Corpus): ReportAction[] {
  const pool: ReportAction[] = [];
  const papers = retrieveFor(corpus, report.query, '', 12);
  for (const topic of uncoveredTopics(report, papers, 6)) pool.push({ type: 'add_section', topic: topic.topic });
  for (const section of report.sections) {
    for (const aspect of EXPAND_ASPECTS) if (aspect !== section.topic) pool.push({ type: 'expand_section', section: section.title, aspect });
    const cited = new Set(section.paragraphs.flatMap((p) => p.citations)).size;
    if (cited < 4) pool.push({ type: 'add_evidence', section: section.title });
    if (cited >= 2 && !section.table) pool.push({ type: 'add_table', section: section.title });
  }
  for (const audience of ['beginners', 'experts']) pool.push({ type: 'rewrite', section: null, audience });
  const bySize = [...report.sections].sort((a, b) => a.paragraphs.length - b.paragraphs.length);
  if (report.sections.length >= 4) pool.push({ type: 'merge_sections', first: bySize[0].title, second: bySize[1].title });
  if (report.sections.length >= 5) pool.push({ type: 'remove_section', section: bySize[0].title });
  if (report.sections.length >= 3) pool.push({ type: 'move_section', section: report.sections[report.sections.length - 1].title, position: 2 });
  return pool;
}

/** k actions spread over action types: types in a shuffled order, round-robin, each type's actions shuffled. */
export function diverseSample(pool: readonly ReportAction[], k: number, rng: Rng): ReportAction[] {
  const byType = new Map<ReportActionType, ReportAction[]>();
  for (const action of pool) {
    const list = byType.get(action.type) ?? [];
    list.push(action);
    byType.set(action.type, list);
  }
  const queues = rng.shuffle([...byType.values()].map((list) => rng.shuffle([...list])));
  const out: ReportAction[] = [];
  while (out.length < k && queues.some((q) => q.length > 0)) for (const q of queues) if (q.length > 0 && out.length < k) out.push(q.shift()!);
  return out;
}

export function toCandidates(actions: readonly ReportAction[], proposer: string): Candidate<ReportAction>[] {
  return actions.map((action) => ({ action, text: formatReportAction(action), proposer }));
}

/** The offline report proposer: k diverse edits mined from the corpus, no model needed. */
export function reportProposer(): Proposer<Report, ReportAction> {
  return defineProposer<Report, ReportAction>({
    name: 'report-mined',
    local: true,
    propose(ctx) {
      const k = Number.isFinite(ctx.k) ? ctx.k : 5;
      const corpus = corpusOf(ctx.problem);
      // Offer only edits the offline executor can carry out here: a proposal that cannot apply wastes a pick.
      const pool = reportActionPool(ctx.state, corpus).filter((action) => applicable(ctx.state, action, corpus));
      return { candidates: toCandidates(diverseSample(pool, k, ctx.rng), 'report-mined'), complete: false };
    },
  });
}
