import { mentions, topicStems } from './aspects.ts';
import type { Corpus, Paper } from './corpus.ts';
import type { Paragraph, Report } from './report.ts';
import { paperIndex, sentencesOf } from './retrieval.ts';

export interface Excerpt {
  paperId: string;
  sentence: string;
}

/** Sentences already in the report, so an edit never repeats one. */
export function usedSentences(report: Report): Set<string> {
  const used = new Set<string>();
  for (const s of report.sections) for (const p of s.paragraphs) for (const part of p.text.split(/\s*\[[^\]]+\]\s*/)) if (part) used.add(part.trim());
  return used;
}

/** Papers about a topic for the report's query: BM25 over query and topic words. */
export function retrieveFor(corpus: Corpus, query: string, topic: string, limit = 8): Paper[] {
  return paperIndex(corpus).search(`${topic} ${topic} ${query}`, limit).map((hit) => hit.paper);
}

/**
 * Up to `limit` sentences about `topic` (by its stems), one per paper, best-matching first;
 * ties keep retrieval order. Sentences in `used` are skipped.
 */
export function excerptsOn(papers: readonly Paper[], topic: string, used: ReadonlySet<string>, limit: number, extraStems: readonly string[] = []): Excerpt[] {
  const stems = [...topicStems(topic), ...extraStems];
  const scored: (Excerpt & { score: number; rank: number })[] = [];
  papers.forEach((paper, rank) => {
    let best: (Excerpt & { score: number; rank: number }) | null = null;
    for (const sentence of sentencesOf(paper)) {
      if (used.has(sentence)) continue;
      const score = mentions(sentence, stems);
      if (score > 0 && (!best || score > best.score)) best = { paperId: paper.id, sentence, score, rank };
    }
    if (best) scored.push(best);
  });
  return scored
    .sort((a, b) => b.score - a.score || a.rank - b.rank)
    .slice(0, limit)
    .map(({ paperId, sentence }) => ({ paperId, sentence }));
}

export function paragraphFrom(excerpts: readonly Excerpt[], lead = ''): Paragraph {
  const body = excerpts.map((e) => `${e.sentence} [${e.paperId}]`).join(' ');
  return { text: lead ? `${lead} ${body}` : body, citations: [...new Set(excerpts.map((e) => e.paperId))] };
}

/** A short phrase from a sentence for a table cell: its first clause, at most `words` words. */
export function cellFrom(sentence: string, words = 14): string {
  const clause = sentence.split(/[;:]|, (?:which|while|and we)/)[0];
  const tokens = clause.split(/\s+/);
  return tokens.length > words ? `${tokens.slice(0, words).join(' ')} …` : clause.replace(/\.$/, '');
}
