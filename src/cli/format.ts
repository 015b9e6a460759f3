/** Plain-text tables and numbers for terminal output. */

export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number' || /^[\d.,%-]+[a-z]*$/.test(String(row[i]))));
  const line = (row: string[]) =>
    row.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes}m${Math.round((ms % 60_000) / 1000)
    .toString()
    .padStart(2, '0')}s`;
}

export function fixed(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? '–' : value.toFixed(digits);
}

/** Closes the help of commands whose examples read public benchmark data: where that data comes from. */
export const BENCHMARK_DATA_NOTE = `Paths under ../shared/data are public benchmark data beside a clone of the repository:
PlanBench's planbench/blocksworld (github.com/karthikv792/LLMs-Planning), Tree of Thoughts'
src/tot/data/24/24.csv and logs/game24/ (github.com/princeton-nlp/tree-of-thought-llm); built-in
generators (generate:…) need no data.`;
