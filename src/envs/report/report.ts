import { z } from 'zod';

/** One paragraph of a report; `[id]` markers in `text` cite corpus papers and must match `citations`. */
export const paragraphSchema = z.object({
  text: z.string(),
  citations: z.array(z.string()),
});

/** A comparison table: one row per cited paper, one column per dimension. */
export const comparisonTableSchema = z.object({
  caption: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.object({ paperId: z.string(), cells: z.array(z.string()) })),
});

export const sectionSchema = z.object({
  /** Stable within one report (`s1`, `s2` …), so edits can name a section whatever its title becomes. */
  id: z.string(),
  title: z.string(),
  /** What the section is about: an aspect such as `datasets`, or a topic phrase mined from the corpus. */
  topic: z.string(),
  paragraphs: z.array(paragraphSchema),
  table: comparisonTableSchema.nullable().optional(),
  /** The reader the section was last rewritten for, when it was. */
  audience: z.string().nullable().optional(),
});

/** The state of the report environment: plain JSON, so a branch is a pointer to a node. */
export const reportSchema = z.object({
  query: z.string(),
  sections: z.array(sectionSchema),
  /** Next section number, so removed ids are never reused. */
  nextSection: z.number().int(),
  /** Free-text instructions the offline executor could only note, not carry out. */
  notes: z.array(z.string()),
});

export type Paragraph = z.infer<typeof paragraphSchema>;
export type ComparisonTable = z.infer<typeof comparisonTableSchema>;
export type Section = z.infer<typeof sectionSchema>;
export type Report = z.infer<typeof reportSchema>;

const CITATION = /\[([A-Za-z0-9_.:-]+)\]/g;

/** The corpus ids cited in a piece of text as `[id]` markers, in order, without repeats. */
export function citedIds(text: string): string[] {
  return [...new Set([...text.matchAll(CITATION)].map((m) => m[1]))];
}

/** Every corpus id a report cites, in paragraphs and tables. */
export function reportCitations(report: Report): string[] {
  const ids = new Set<string>();
  for (const section of report.sections) {
    for (const p of section.paragraphs) for (const id of [...p.citations, ...citedIds(p.text)]) ids.add(id);
    for (const row of section.table?.rows ?? []) ids.add(row.paperId);
  }
  return [...ids];
}

export function renderReport(report: Report): string {
  const lines = [`# ${report.query}`];
  for (const section of report.sections) {
    lines.push('', `## ${section.title}${section.audience ? ` (for ${section.audience})` : ''}`);
    for (const p of section.paragraphs) lines.push(p.text);
    if (section.table) {
      const t = section.table;
      lines.push(`Table: ${t.caption}`, `| paper | ${t.columns.join(' | ')} |`, ...t.rows.map((r) => `| [${r.paperId}] | ${r.cells.join(' | ')} |`));
    }
  }
  if (report.notes.length > 0) lines.push('', 'Notes:', ...report.notes.map((n) => `- ${n}`));
  return lines.join('\n');
}

/** Finds a section by id or, case-insensitively, by title. */
export function findSection(report: Report, ref: string): Section | undefined {
  const wanted = ref.trim().toLowerCase();
  return report.sections.find((s) => s.id === ref) ?? report.sections.find((s) => s.title.toLowerCase() === wanted);
}

/** A stable text form of the report's content, for state keys and change detection. */
export function reportKey(report: Report): string {
  return JSON.stringify([report.sections, report.notes]);
}
