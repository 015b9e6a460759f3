import { ASPECTS, contentWords, mentions, topicStems } from './aspects.ts';
import type { Paper } from './corpus.ts';
import type { Report } from './report.ts';

export interface MinedTopic {
  /** A phrase (one or two words) or an aspect name. */
  topic: string;
  /** Retrieved papers that mention it. */
  papers: string[];
  kind: 'aspect' | 'phrase';
}

/**
 * Topics the retrieved papers cover that the report does not: aspects with supporting sentences,
 * and the word pairs most shared between those papers, minus whatever the report already covers.
 */
export function uncoveredTopics(report: Report, papers: readonly Paper[], limit = 8): MinedTopic[] {
  const covered = new Set(report.sections.map((s) => s.topic.toLowerCase()));
  const reportText = report.sections.map((s) => `${s.title} ${s.topic} ${s.paragraphs.map((p) => p.text).join(' ')}`).join(' ').toLowerCase();
  const found: MinedTopic[] = [];
  for (const aspect of ASPECTS) {
    if (covered.has(aspect.name)) continue;
    const supporting = papers.filter((p) => mentions(p.abstract, aspect.stems) > 0).map((p) => p.id);
    if (supporting.length >= 2) found.push({ topic: aspect.name, papers: supporting, kind: 'aspect' });
  }
  const phrases = new Map<string, Set<string>>();
  for (const paper of papers) {
    const words = contentWords(`${paper.title}. ${paper.abstract}`);
    for (let i = 0; i + 1 < words.length; i++) {
      const phrase = `${words[i]} ${words[i + 1]}`;
      if (words[i] === words[i + 1]) continue;
      let ids = phrases.get(phrase);
      if (!ids) phrases.set(phrase, (ids = new Set()));
      ids.add(paper.id);
    }
  }
  const ranked = [...phrases.entries()]
    .filter(([phrase, ids]) => ids.size >= 2 && !covered.has(phrase) && mentions(reportText, topicStems(phrase)) < topicStems(phrase).length)
    .sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]));
  for (const [phrase, ids] of ranked.slice(0, limit)) found.push({ topic: phrase, papers: [...ids], kind: 'phrase' });
  return found;
}
