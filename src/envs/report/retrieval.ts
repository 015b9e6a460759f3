import MiniSearch from 'minisearch';
import type { Corpus, Paper } from './corpus.ts';

export interface Retrieved {
  paper: Paper;
  score: number;
}

/** BM25 ranking over a corpus (MiniSearch's BM25+), titles weighted above abstracts. */
export interface PaperIndex {
  search(query: string, limit?: number): Retrieved[];
}

const indexes = new WeakMap<Corpus, PaperIndex>();

export function paperIndex(corpus: Corpus): PaperIndex {
  const known = indexes.get(corpus);
  if (known) return known;
  const mini = new MiniSearch<Paper>({ fields: ['title', 'abstract', 'text'], idField: 'id' });
  mini.addAll(corpus.papers as Paper[]);
  const index: PaperIndex = {
    search(query, limit = 8) {
      return mini
        .search(query, { boost: { title: 2 }, prefix: (term) => term.length > 4, fuzzy: false, combineWith: 'OR' })
        .slice(0, limit)
        .map((hit) => ({ paper: corpus.get(String(hit.id))!, score: hit.score }));
    },
  };
  indexes.set(corpus, index);
  return index;
}

/** Sentences of a paper's abstract (and text), split on sentence-ending punctuation. */
export function sentencesOf(paper: Paper): string[] {
  const body = `${paper.abstract} ${paper.text ?? ''}`.replace(/\s+/g, ' ').trim();
  return body.split(/(?<=[.!?])\s+(?=[A-Z(])/).map((s) => s.trim()).filter((s) => s.length > 30);
}
