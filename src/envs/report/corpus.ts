import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { z } from 'zod';
import { TaskError } from '../../core/errors.ts';

/** One paper of a corpus. `text` (full text) is optional; the sample corpus has abstracts only. */
export const paperSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  abstract: z.string(),
  text: z.string().optional(),
});
export type Paper = z.infer<typeof paperSchema>;

export interface Corpus {
  /** Where it was read from, for messages and task specs. */
  readonly source: string;
  readonly papers: readonly Paper[];
  get(id: string): Paper | undefined;
  has(id: string): boolean;
}

export function createCorpus(papers: readonly Paper[], source = 'memory'): Corpus {
  const byId = new Map(papers.map((p) => [p.id, p]));
  if (byId.size !== papers.length) throw new TaskError(`the corpus ${source} repeats a paper id`, { hint: 'give every paper a unique id' });
  return { source, papers, get: (id) => byId.get(id), has: (id) => byId.has(id) };
}

const CORPUS_HINT = 'a corpus is a JSONL file of {"id", "title", "abstract", "text"?} objects, or a CSV with id,title,abstract[,text] columns';
const cache = new Map<string, Corpus>();

/** Reads a JSONL or CSV corpus once per path (tasks of one run share it). */
export function loadCorpus(path: string): Corpus {
  const known = cache.get(path);
  if (known) return known;
  let content: string;
  try {
    content = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TaskError(`cannot read the corpus ${path}: ${code === 'ENOENT' ? 'no such file' : String(error)}`, { hint: CORPUS_HINT, cause: error });
  }
  const rows = extname(path).toLowerCase() === '.csv' ? parseCsvRecords(content, path) : parseJsonl(content, path);
  const papers = rows.map((row, i) => {
    const parsed = paperSchema.safeParse(row);
    if (!parsed.success) {
      throw new TaskError(`paper ${i + 1} of ${path} is not {id, title, abstract}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`, { hint: CORPUS_HINT });
    }
    return parsed.data;
  });
  if (papers.length === 0) throw new TaskError(`the corpus ${path} holds no papers`, { hint: CORPUS_HINT });
  const corpus = createCorpus(papers, path);
  cache.set(path, corpus);
  return corpus;
}

function parseJsonl(content: string, path: string): unknown[] {
  return content.split(/\r?\n/).flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line)];
    } catch {
      throw new TaskError(`line ${i + 1} of ${path} is not JSON`, { hint: CORPUS_HINT });
    }
  });
}

/** RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes) with a header row. */
export function parseCsvRecords(content: string, path = 'csv'): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (quoted) {
      if (c === '"' && content[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && content[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += c;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  const [header, ...body] = rows.filter((r) => r.some((cell) => cell.trim() !== ''));
  if (!header || !['id', 'title', 'abstract'].every((h) => header.includes(h))) {
    throw new TaskError(`the CSV ${path} needs a header with id, title and abstract columns`, { hint: CORPUS_HINT });
  }
  return body.map((cells) => {
    const record: Record<string, string> = {};
    header.forEach((name, i) => {
      if (cells[i] !== undefined && !(name === 'text' && cells[i] === '')) record[name] = cells[i];
    });
    return record;
  });
}
