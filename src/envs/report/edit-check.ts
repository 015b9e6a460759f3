import type { StepCheck } from '../../core/environment.ts';
import { aspectNamed } from './aspects.ts';
import type { ReportAction } from './action.ts';
import type { Corpus } from './corpus.ts';
import { citedIds, findSection, reportCitations, type Report, type Section } from './report.ts';

const sectionKey = (s: Section) => JSON.stringify(s);

/**
 * The per-step check of a report edit: the edit happened where it was asked (and nowhere else),
 * and the report cites only papers of the corpus. Used on every executor's output, a model's above all.
 */
export function checkReportEdit(before: Report, after: Report, action: ReportAction, corpus: Corpus): StepCheck {
  const unknown = reportCitations(after).filter((id) => !corpus.has(id));
  if (unknown.length > 0) return { valid: false, reason: `the report cites ${unknown.map((id) => `[${id}]`).join(', ')}, which ${unknown.length === 1 ? 'is' : 'are'} not in the corpus`, detail: { unknownCitations: unknown } };
  const mismatched = after.sections.flatMap((s) => s.paragraphs).find((p) => citedIds(p.text).some((id) => !p.citations.includes(id)));
  if (mismatched) return { valid: false, reason: 'a paragraph cites a paper in its text that its citation list leaves out', detail: { paragraph: mismatched.text.slice(0, 80) } };
  const beforeById = new Map(before.sections.map((s) => [s.id, s]));
  const afterById = new Map(after.sections.map((s) => [s.id, s]));
  /** Sections other than `touched` must come through unchanged. */
  const othersUnchanged = (touched: string[]): StepCheck | null => {
    for (const s of before.sections) {
      if (touched.includes(s.id)) continue;
      const now = afterById.get(s.id);
      if (!now) return { valid: false, reason: `the edit removed "${s.title}", which it was not asked to touch` };
      if (sectionKey(now) !== sectionKey(s)) return { valid: false, reason: `the edit changed "${s.title}", which it was not asked to touch` };
    }
    return null;
  };
  const fail = (reason: string): StepCheck => ({ valid: false, reason });
  const ok: StepCheck = { valid: true };
  const target = (ref: string) => findSection(before, ref);

  switch (action.type) {
    case 'add_section': {
      const added = after.sections.filter((s) => !beforeById.has(s.id));
      if (added.length !== 1) return fail(`expected one new section on ${action.topic}, found ${added.length}`);
      const wanted = aspectNamed(action.topic)?.name ?? action.topic.toLowerCase();
      if (added[0].topic.toLowerCase() !== wanted && !added[0].title.toLowerCase().includes(action.topic.toLowerCase())) {
        return fail(`the new section "${added[0].title}" is not on ${action.topic}`);
      }
      if (added[0].paragraphs.every((p) => p.citations.length === 0)) return fail(`the new section "${added[0].title}" cites no paper`);
      return othersUnchanged([]) ?? ok;
    }
    case 'expand_section':
    case 'add_evidence':
    case 'add_table': {
      const ref = action.section;
      const was = target(ref);
      if (!was) return fail(`the report had no section "${ref}"`);
      const now = afterById.get(was.id);
      if (!now) return fail(`the edit removed "${was.title}" instead of editing it`);
      if (action.type === 'expand_section' && now.paragraphs.map((p) => p.text).join(' ').length <= was.paragraphs.map((p) => p.text).join(' ').length) {
        return fail(`"${was.title}" did not grow`);
      }
      if (action.type === 'add_evidence') {
        const count = (s: Section) => new Set(s.paragraphs.flatMap((p) => p.citations)).size;
        if (count(now) <= count(was)) return fail(`"${was.title}" cites no more papers than before`);
      }
      if (action.type === 'add_table' && (!now.table || now.table.rows.length === 0)) return fail(`"${was.title}" has no comparison table`);
      return othersUnchanged([was.id]) ?? ok;
    }
    case 'remove_section': {
      const was = target(action.section);
      if (!was) return fail(`the report had no section "${action.section}"`);
      if (afterById.has(was.id)) return fail(`"${was.title}" is still there`);
      return othersUnchanged([was.id]) ?? ok;
    }
    case 'merge_sections': {
      const first = target(action.first);
      const second = target(action.second);
      if (!first || !second) return fail(`the report had no section "${!first ? action.first : action.second}"`);
      if (after.sections.length !== before.sections.length - 1) return fail(`a merge should leave one section fewer (${before.sections.length - 1}), found ${after.sections.length}`);
      return othersUnchanged([first.id, second.id]) ?? ok;
    }
    case 'move_section': {
      const was = target(action.section);
      if (!was) return fail(`the report had no section "${action.section}"`);
      if (after.sections[action.position - 1]?.id !== was.id) return fail(`"${was.title}" is not at position ${action.position}`);
      return othersUnchanged([]) ?? ok;
    }
    case 'rewrite': {
      if (action.section === null) return after.sections.length === before.sections.length ? ok : fail('a rewrite must keep every section');
      const was = target(action.section);
      if (!was) return fail(`the report had no section "${action.section}"`);
      const now = afterById.get(was.id);
      if (!now) return fail(`the rewrite removed "${was.title}"`);
      if (sectionKey(now) === sectionKey(was)) return fail(`"${was.title}" is unchanged`);
      return othersUnchanged([was.id]) ?? ok;
    }
    case 'free_text':
      return ok;
  }
}
