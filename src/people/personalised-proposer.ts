import { defineProposer, type Proposer } from '../core/step.ts';
import { actionTopic, formatReportAction, type ReportAction } from '../envs/report/action.ts';
import { ASPECTS } from '../envs/report/aspects.ts';
import { corpusOf } from '../envs/report/problem.ts';
import { applicable, reportActionPool, toCandidates } from '../envs/report/propose.ts';
import type { Report } from '../envs/report/report.ts';
import type { PreferenceRecord } from '../feedback/records.ts';
import { pickRates, wordsOf, type PickRates } from './history-features.ts';
import { aspectOf } from './action-features.ts';

/** How well an action matches a user's past picks: their pick rates for its type and, better of the two, its aspect or words. */
export function affinity(action: ReportAction, user: PickRates): number {
  const description = { text: formatReportAction(action), actionType: action.type, topic: actionTopic(action) };
  const typeRate = user.rate('type', action.type, user.overall);
  const aspectRate = user.rate('aspect', aspectOf(description), user.overall);
  const words = wordsOf(description).filter((w) => user.count('word', w) > 0);
  const wordRate = words.length ? Math.max(...words.map((w) => user.rate('word', w, user.overall))) : user.overall;
  return typeRate * Math.max(aspectRate, wordRate);
}

/** Edits generated from what the user picked before: sections and expansions on the words and aspects they favoured. */
function fromHistory(report: Report, user: PickRates, history: readonly PreferenceRecord[]): ReportAction[] {
  const liked = [...new Set(history.filter((r) => r.picked).flatMap((r) => wordsOf(r)))].filter((w) => user.rate('word', w, user.overall) > user.overall);
  const aspects = ASPECTS.map((a) => a.name).filter((a) => user.rate('aspect', a, user.overall) > user.overall);
  const out: ReportAction[] = [];
  for (const topic of [...aspects, ...liked]) {
    out.push({ type: 'add_section', topic });
    for (const section of report.sections) if (section.topic !== topic) out.push({ type: 'expand_section', section: section.title, aspect: topic });
  }
  return out;
}

/**
 * Proposals conditioned on one user's past picks: the mined edits plus edits generated from the words
 * and aspects they favoured, ranked by affinity with their history, at most half of them of one type.
 */
export function personalisedReportProposer(options: { history: readonly PreferenceRecord[] }): Proposer<Report, ReportAction> {
  const user = pickRates(options.history);
  return defineProposer<Report, ReportAction>({
    name: 'report-personalised',
    local: true,
    config: { historyRecords: options.history.length },
    propose(ctx) {
      const k = Number.isFinite(ctx.k) ? ctx.k : 5;
      const corpus = corpusOf(ctx.problem);
      const seen = new Set<string>();
      const pool = [...reportActionPool(ctx.state, corpus), ...fromHistory(ctx.state, user, options.history)].filter((a) => {
        const key = formatReportAction(a);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      // Small seeded jitter breaks ties between equally liked edits differently at each node.
      const ranked = pool.map((action) => ({ action, score: affinity(action, user) + ctx.rng.next() * 1e-3 })).sort((a, b) => b.score - a.score);
      const perType = new Map<string, number>();
      const chosen: ReportAction[] = [];
      for (const { action } of ranked) {
        if (chosen.length >= k) break;
        if ((perType.get(action.type) ?? 0) >= Math.ceil(k / 2)) continue;
        if (!applicable(ctx.state, action, corpus)) continue;
        perType.set(action.type, (perType.get(action.type) ?? 0) + 1);
        chosen.push(action);
      }
      return { candidates: toCandidates(chosen, 'report-personalised'), complete: false };
    },
  });
}
