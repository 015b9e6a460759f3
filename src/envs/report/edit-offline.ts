import { aspectNamed, mentions } from './aspects.ts';
import type { Corpus } from './corpus.ts';
import { cellFrom, excerptsOn, paragraphFrom, retrieveFor, usedSentences } from './extract.ts';
import type { ReportAction } from './action.ts';
import { findSection, type Report, type Section } from './report.ts';
import { sentencesOf } from './retrieval.ts';

/** What an executor made of one edit: the new report, or why it could not apply the edit. */
export type EditOutcome =
  | { ok: true; report: Report; observation: string }
  | { ok: false; reason: string };

export interface ReportExecutor {
  readonly name: string;
  /** In-process and cheap (no model): the environment then lists its mined edits as legal actions, which readers may step through. */
  readonly local?: boolean;
  /** `context` is the step's context when run inside a search (model executors record their calls against it). */
  execute(report: Report, action: ReportAction, corpus: Corpus, context?: unknown): Promise<EditOutcome> | EditOutcome;
}

const SECTION_SENTENCES = 3;

function titleFor(topic: string): string {
  const aspect = aspectNamed(topic);
  return aspect ? aspect.title : topic.charAt(0).toUpperCase() + topic.slice(1);
}

function noSection(report: Report, ref: string): EditOutcome {
  return { ok: false, reason: `the report has no section "${ref}" (sections: ${report.sections.map((s) => `"${s.title}"`).join(', ') || 'none'})` };
}

function replaceSection(report: Report, section: Section): Report {
  return { ...report, sections: report.sections.map((s) => (s.id === section.id ? section : s)) };
}

/** A new section on `topic` from the corpus, or null when no retrieved paper says anything about it. */
export function draftSection(report: Report, corpus: Corpus, topic: string, id: string): Section | null {
  const papers = retrieveFor(corpus, report.query, topic);
  const excerpts = excerptsOn(papers, topic, usedSentences(report), SECTION_SENTENCES);
  if (excerpts.length === 0) return null;
  return { id, title: titleFor(topic), topic: aspectNamed(topic)?.name ?? topic.toLowerCase(), paragraphs: [paragraphFrom(excerpts)], table: null, audience: null };
}

/**
 * Carries out report edits without a model: retrieval over the corpus and extractive sentences
 * with citations. Free-text instructions it cannot read as a typed edit are kept as notes.
 */
export function extractiveExecutor(): ReportExecutor {
  return { name: 'extractive', local: true, execute: applyExtractiveEdit };
}

/** The extractive executor's edit, synchronously. */
export function applyExtractiveEdit(report: Report, action: ReportAction, corpus: Corpus): EditOutcome {
  switch (action.type) {
    case 'add_section': {
      const exists = report.sections.find((s) => s.topic === (aspectNamed(action.topic)?.name ?? action.topic.toLowerCase()));
      if (exists) return { ok: false, reason: `the report already has a section on ${action.topic} ("${exists.title}")` };
      const section = draftSection(report, corpus, action.topic, `s${report.nextSection}`);
      if (!section) return { ok: false, reason: `no paper in the corpus says anything about "${action.topic}"` };
      return {
        ok: true,
        report: { ...report, sections: [...report.sections, section], nextSection: report.nextSection + 1 },
        observation: `added section "${section.title}" citing ${section.paragraphs[0].citations.map((c) => `[${c}]`).join(' ')}`,
      };
    }
    case 'expand_section': {
      const section = findSection(report, action.section);
      if (!section) return noSection(report, action.section);
      const papers = retrieveFor(corpus, report.query, `${section.topic} ${action.aspect}`);
      const excerpts = excerptsOn(papers, action.aspect, usedSentences(report), 2);
      if (excerpts.length === 0) return { ok: false, reason: `no retrieved paper says anything about ${action.aspect} for "${section.title}"` };
      const paragraph = paragraphFrom(excerpts);
      return {
        ok: true,
        report: replaceSection(report, { ...section, paragraphs: [...section.paragraphs, paragraph] }),
        observation: `expanded "${section.title}" with ${action.aspect}, citing ${paragraph.citations.map((c) => `[${c}]`).join(' ')}`,
      };
    }
    case 'remove_section': {
      const section = findSection(report, action.section);
      if (!section) return noSection(report, action.section);
      return { ok: true, report: { ...report, sections: report.sections.filter((s) => s.id !== section.id) }, observation: `removed "${section.title}"` };
    }
    case 'merge_sections': {
      const first = findSection(report, action.first);
      const second = findSection(report, action.second);
      if (!first) return noSection(report, action.first);
      if (!second) return noSection(report, action.second);
      if (first.id === second.id) return { ok: false, reason: `cannot merge "${first.title}" with itself` };
      const merged: Section = { ...first, title: `${first.title} and ${second.title.charAt(0).toLowerCase()}${second.title.slice(1)}`, paragraphs: [...first.paragraphs, ...second.paragraphs], table: first.table ?? second.table ?? null };
      return {
        ok: true,
        report: { ...report, sections: report.sections.filter((s) => s.id !== second.id).map((s) => (s.id === first.id ? merged : s)) },
        observation: `merged "${second.title}" into "${first.title}" as "${merged.title}"`,
      };
    }
    case 'move_section': {
      const section = findSection(report, action.section);
      if (!section) return noSection(report, action.section);
      if (action.position > report.sections.length) return { ok: false, reason: `position ${action.position} is past the last section (${report.sections.length})` };
      const rest = report.sections.filter((s) => s.id !== section.id);
      rest.splice(action.position - 1, 0, section);
      return { ok: true, report: { ...report, sections: rest }, observation: `moved "${section.title}" to position ${action.position}` };
    }
    case 'add_table': {
      const section = findSection(report, action.section);
      if (!section) return noSection(report, action.section);
      const cited = [...new Set(section.paragraphs.flatMap((p) => p.citations))].filter((id) => corpus.has(id));
      if (cited.length < 2) return { ok: false, reason: `"${section.title}" cites ${cited.length} paper(s); a comparison needs at least two` };
      const columns = ['methods', 'evaluation', 'limitations'];
      const rows = cited.map((paperId) => {
        const sentences = sentencesOf(corpus.get(paperId)!);
        const cells = columns.map((column) => {
          const stems = aspectNamed(column)!.stems;
          const best = sentences.find((s) => mentions(s, stems) > 0);
          return best ? cellFrom(best) : '–';
        });
        return { paperId, cells };
      });
      return {
        ok: true,
        report: replaceSection(report, { ...section, table: { caption: `Comparison of the work cited in ${section.title}`, columns, rows } }),
        observation: `added a comparison table of ${rows.length} papers to "${section.title}"`,
      };
    }
    case 'add_evidence': {
      const section = findSection(report, action.section);
      if (!section) return noSection(report, action.section);
      const cited = new Set(section.paragraphs.flatMap((p) => p.citations));
      const papers = retrieveFor(corpus, report.query, `${section.topic} ${section.title}`, 12).filter((p) => !cited.has(p.id));
      const excerpts = excerptsOn(papers, section.topic, usedSentences(report), 2);
      if (excerpts.length === 0) return { ok: false, reason: `no further paper in the corpus supports "${section.title}"` };
      const paragraph = paragraphFrom(excerpts, 'Further evidence:');
      return {
        ok: true,
        report: replaceSection(report, { ...section, paragraphs: [...section.paragraphs, paragraph] }),
        observation: `added evidence to "${section.title}" from ${paragraph.citations.map((c) => `[${c}]`).join(' ')}`,
      };
    }
    case 'rewrite': {
      const targets = action.section === null ? report.sections : [findSection(report, action.section)];
      if (targets.some((t) => !t)) return noSection(report, action.section ?? '');
      const rewritten = new Map(targets.map((s) => [s!.id, rewriteFor(s!, action.audience)]));
      return {
        ok: true,
        report: { ...report, sections: report.sections.map((s) => rewritten.get(s.id) ?? s) },
        observation: `rewrote ${action.section === null ? 'the report' : `"${action.section}"`} for ${action.audience}`,
      };
    }
    case 'free_text':
      return {
        ok: true,
        report: { ...report, notes: [...report.notes, action.instruction] },
        observation: `noted "${action.instruction}" (the offline executor carries out typed edits only; a model executes free text)`,
      };
  }
}

/** Offline rewriting: a plain lead for newcomers, the densest sentences for experts; citations are kept. */
function rewriteFor(section: Section, audience: string): Section {
  const novice = /begin|novice|newcomer|student|general|lay|non-?expert|practitioner/i.test(audience);
  const paragraphs = section.paragraphs.map((p, index) => {
    const parts = p.text.match(/[^[]+\[[^\]]+\]/g) ?? [p.text];
    const kept = novice ? parts.slice(0, 2) : parts;
    const lead = novice && index === 0 && !section.audience ? `In short, this part is about ${section.topic}.` : '';
    const text = [lead, ...kept.map((s) => s.trim())].filter(Boolean).join(' ');
    return { text, citations: p.citations.filter((c) => text.includes(`[${c}]`)) };
  });
  return { ...section, paragraphs, audience };
}

