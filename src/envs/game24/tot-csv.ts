import { readFileSync } from 'node:fs';
import type { Task } from '../../core/environment.ts';
import { TaskError, UsageError } from '../../core/errors.ts';
import type { Game24Spec } from './spec.ts';
import { parseRowRange, type RowRange } from '../task-spec.ts';

export { parseRowRange, type RowRange };

const HEADER = ['Rank', 'Puzzles', 'AMT (s)', 'Solved rate', '1-sigma Mean (s)', '1-sigma STD (s)'];


function readCsvLines(path: string): string[] {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new TaskError(`cannot read the Game of 24 CSV ${path}: ${reason}`, {
      hint: "pass the path of Tree of Thoughts' 24.csv (src/tot/data/24/24.csv in princeton-nlp/tree-of-thought-llm)",
      cause: error,
    });
  }
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return lines;
}

function parseRow(path: string, line: string, row: number): Task<Game24Spec> {
  const where = `${path} line ${row + 2} (row ${row})`;
  const cells = line.split(',');
  if (cells.length !== HEADER.length) {
    throw new TaskError(`${where}: expected ${HEADER.length} comma-separated cells, found ${cells.length}: '${line}'`);
  }
  const puzzle = cells[1].trim().split(/\s+/);
  if (puzzle.length !== 4 || !puzzle.every((n) => /^\d+$/.test(n))) {
    throw new TaskError(`${where}: expected four whole numbers in Puzzles, found '${cells[1]}'`);
  }
  const rank = Number(cells[0]);
  const rate = /^\s*([\d.]+)%\s*$/.exec(cells[3]);
  if (!Number.isInteger(rank) || rate === null) {
    throw new TaskError(`${where}: expected an integer Rank and a percentage Solved rate, found '${cells[0]}' and '${cells[3]}'`);
  }
  return {
    id: `tot-${row}`,
    env: 'game24',
    source: `${path}#${row}`,
    spec: { numbers: puzzle.map(Number) },
    meta: { rank, solvedRate: Number(rate[1]) / 100 },
  };
}

/** Loads Tree of Thoughts' `24.csv`; the paper's test set is rows 900–999. */
export function loadTotCsv(path: string, range?: RowRange): Task<Game24Spec>[] {
  const lines = readCsvLines(path);
  const header = (lines[0] ?? '').split(',').map((cell) => cell.trim());
  if (header.join(',') !== HEADER.join(',')) {
    throw new TaskError(`${path} does not look like ToT's 24.csv: its header is '${lines[0] ?? ''}'`, {
      hint: `expected the header '${HEADER.join(',')}'`,
    });
  }
  const rowCount = lines.length - 1;
  const { start, end } = range ?? { start: 0, end: rowCount - 1 };
  if (start < 0 || end >= rowCount || start > end) {
    throw new TaskError(`rows ${start}-${end} are outside ${path}, which has rows 0-${rowCount - 1}`, {
      hint: 'pick a range inside the file, e.g. 900-999 for the paper test set',
    });
  }
  const tasks: Task<Game24Spec>[] = [];
  for (let row = start; row <= end; row++) tasks.push(parseRow(path, lines[row + 1], row));
  return tasks;
}
