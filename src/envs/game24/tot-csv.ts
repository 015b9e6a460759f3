import { readFileSync } from 'node:fs';
import type { Task } from '../../core/environment.ts';
import { TaskError, UsageError } from '../../core/errors.ts';
import type { Game24Spec } from './spec.ts';
import { quoteText } from '../../core/quote-text.ts';
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

/** How to get past one bad row: fix it, or leave it out of the range (rows are 0-based; line = row + 2). */
function rowHint(path: string, row: number): string {
  const around = [row > 0 ? `tot:${path}:0-${row - 1}` : '', `tot:${path}:${row + 1}-<last row>`].filter(Boolean).join(' or ');
  return `fix line ${row + 2} of the file, or leave row ${row} out: ${around}`;
}

function parseRow(path: string, line: string, row: number): Task<Game24Spec> {
  const where = `${path} line ${row + 2} (row ${row})`;
  const cells = line.split(',');
  if (cells.length !== HEADER.length) {
    throw new TaskError(`${where}: expected ${HEADER.length} comma-separated cells, found ${cells.length}: ${quoteText(line)}`, { hint: rowHint(path, row) });
  }
  const puzzle = cells[1].trim().split(/\s+/);
  if (puzzle.length !== 4 || !puzzle.every((n) => /^\d+$/.test(n))) {
    throw new TaskError(`${where}: expected four whole numbers in Puzzles, found ${quoteText(cells[1])}`, { hint: rowHint(path, row) });
  }
  const rank = Number(cells[0]);
  const rate = /^\s*([\d.]+)%\s*$/.exec(cells[3]);
  // Only the cells that are wrong are named: a message must not call a good cell bad.
  const wrong = [
    Number.isInteger(rank) && cells[0].trim() !== '' ? '' : `an integer Rank, found ${quoteText(cells[0])}`,
    rate !== null ? '' : `a percentage Solved rate (like 99%), found ${quoteText(cells[3])}`,
  ].filter((part) => part !== '');
  if (wrong.length > 0 || rate === null) throw new TaskError(`${where}: expected ${wrong.join('; and ')}`, { hint: rowHint(path, row) });
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
    throw new TaskError(`${path} does not look like ToT's 24.csv: its header is ${quoteText(lines[0] ?? '')}`, {
      hint: `expected the header '${HEADER.join(',')}'`,
    });
  }
  const rowCount = lines.length - 1;
  if (rowCount === 0) {
    throw new TaskError(`${path} has a header but no puzzle rows`, { hint: "pass Tree of Thoughts' 24.csv (1,362 puzzles), or add rows under the header" });
  }
  const { start, end } = range ?? { start: 0, end: rowCount - 1 };
  if (start < 0 || end >= rowCount || start > end) {
    // Only a range that exists in this file is suggested: the paper's 900-999 when the file has them.
    const inside = rowCount >= 1000 ? '900-999 for the paper test set' : `0-${Math.min(rowCount, 100) - 1}`;
    throw new TaskError(`rows ${start}-${end} are outside ${path}, which has ${rowCount === 1 ? 'only row 0' : `rows 0-${rowCount - 1}`}`, {
      hint: `pick a range inside the file, e.g. ${inside}`,
    });
  }
  const tasks: Task<Game24Spec>[] = [];
  for (let row = start; row <= end; row++) tasks.push(parseRow(path, lines[row + 1], row));
  return tasks;
}
