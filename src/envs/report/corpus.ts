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
  const byId = new Map<string, Paper>();
  for (const paper of papers) {
    if (byId.has(paper.id)) throw new TaskError(`the corpus ${source} has two papers with the id "${paper.id}"`, { hint: 'give every paper a unique id' });
    byId.set(paper.id, paper);
  }
  return { source, papers, get: (id) => byId.get(id), has: (id) => byId.has(id) };
}

const CORPUS_HINT = 'a corpus is a JSONL file of {"id", "title", "abstract", "text"?} objects, or a CSV with id,title,abstract[,text] columns';
const cache = new Map<string, Corpus>();

/** A row of a corpus file and the line it starts on, for messages. */
interface CorpusRow {
  line: number;
  row: unknown;
}

/** Reads a JSONL or CSV corpus once per path (tasks of one run share it). */
export function loadCorpus(path: string): Corpus {
  const known = cache.get(path);
  if (known) return known;
  let content: string;
  try {
    content = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new TaskError(`cannot read the corpus ${path}: ${why}`, { hint: CORPUS_HINT, cause: error });
  }
  const rows = extname(path).toLowerCase() === '.csv' ? csvRows(content, path) : parseJsonl(content, path);
  const papers = rows.map(({ line, row }) => {
    const parsed = paperSchema.safeParse(row);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((x) => (x.path.length > 0 ? `${x.path.join('.')}: ${x.message}` : x.message)).join('; ');
      throw new TaskError(`line ${line} of ${path} is not a paper {id, title, abstract}: ${issues}`, { hint: CORPUS_HINT });
    }
    return parsed.data;
  });
  if (papers.length === 0) throw new TaskError(`the corpus ${path} holds no papers`, { hint: CORPUS_HINT });
  const corpus = createCorpus(papers, path);
  cache.set(path, corpus);
  return corpus;
}

function parseJsonl(content: string, path: string): CorpusRow[] {
  return content.split(/\r?\n/).flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [{ line: i + 1, row: JSON.parse(line) }];
    } catch {
      throw new TaskError(`line ${i + 1} of ${path} is not JSON`, { hint: CORPUS_HINT });
    }
  });
}

/** RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes) with a header row; each row with its first line. */
function csvRows(content: string, path: string): { line: number; row: Record<string, string> }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 1;
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (c === '\n') line++;
    if (quoted) {
      if (c === '"' && content[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') (quoted = true), (quoteLine = line);
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && content[i + 1] === '\n') i++, line++;
      else if (c === '\r') line++;
      row.push(field), rows.push({ line: rowLine, cells: row }), (row = []), (field = ''), (rowLine = line);
    } else field += c;
  }
  if (quoted) throw new TaskError(`the CSV ${path} has a quote opened on line ${quoteLine} that is never closed`, { hint: 'close the quoted field with ", and write a quote inside one as ""' });
  if (field !== '' || row.length > 0) row.push(field), rows.push({ line: rowLine, cells: row });
  const [header, ...body] = rows.filter((r) => r.cells.some((cell) => cell.trim() !== ''));
  if (!header || !['id', 'title', 'abstract'].every((h) => header.cells.includes(h))) {
    throw new TaskError(`the CSV ${path} needs a header with id, title and abstract columns`, { hint: CORPUS_HINT });
  }
  return body.map(({ line: at, cells }) => {
    const record: Record<string, string> = {};
    header.cells.forEach((name, i) => {
      if (cells[i] !== undefined && !(name === 'text' && cells[i] === '')) record[name] = cells[i];
    });
    return { line: at, row: record };
  });
}
