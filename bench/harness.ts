import { parseArgs } from 'node:util';
import pg from 'pg';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { UsageError } from '../src/core/errors.ts';

/** Median, min and max of one figure over the repetitions of a benchmark. */
export type RepeatedFigure = { median: number; min: number; max: number; samples: number[] };

/** Options every benchmark script reads from its command line. */
export type BenchOptions = { steps: number; reps: number };

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * A full garbage collection, so one measured run is not charged the collection of what the run before it left
 * (side-by-side benchmarks interleave engines whose garbage differs tenfold). Call it before every timed run.
 */
export function collectGarbage(): void {
  gc();
}

/** Runs `work` once and returns its result with the wall time it took. */
export async function timeAsync<T>(work: () => Promise<T>): Promise<{ result: T; wallMs: number }> {
  const start = process.hrtime.bigint();
  const result = await work();
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  return { result, wallMs };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values; expected at least one sample.');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Runs `measureOnce` `reps` times in sequence, reporting progress on stderr, and summarises the figure it returns. */
export async function repeatMeasure(label: string, reps: number, measureOnce: () => Promise<number>): Promise<RepeatedFigure> {
  const samples: number[] = [];
  for (let rep = 1; rep <= reps; rep += 1) {
    const sample = await measureOnce();
    samples.push(sample);
    process.stderr.write(`  ${label}: rep ${rep}/${reps} → ${formatFigure(sample)}\n`);
  }
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), samples };
}

/** Prints rows as an aligned text table on stdout, for people. */
export function printTable(title: string, rows: ReadonlyArray<Record<string, string | number>>): void {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cells = rows.map((row) => columns.map((column) => formatCell(row[column])));
  const widths = columns.map((column, index) => Math.max(column.length, ...cells.map((line) => line[index].length)));
  const renderLine = (line: string[]) => line.map((cell, index) => cell.padStart(widths[index])).join('  ');
  console.log(`\n${title}`);
  console.log(renderLine(columns));
  console.log(renderLine(widths.map((width) => '-'.repeat(width))));
  for (const line of cells) console.log(renderLine(line));
}

/** Prints the one-line JSON summary; call it last so the summary is the final line of stdout. */
export function printSummary(bench: string, figures: Record<string, unknown>): void {
  console.log(JSON.stringify({ bench, ...figures }));
}

/** Reads `--steps` and `--reps`; prints `usage` and exits for `--help` (code 0) or a bad flag (code 2). */
export function readBenchOptions(argv: readonly string[], usage: string, defaults: BenchOptions): BenchOptions {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { steps: { type: 'string' }, reps: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    return {
      steps: readPositiveInteger('--steps', values.steps, defaults.steps),
      reps: readPositiveInteger('--reps', values.reps, defaults.reps),
    };
  } catch (error) {
    // A mistyped flag deserves the usage text, not a stack trace.
    const hint = error instanceof UsageError && error.hint !== undefined ? ` ${error.hint}` : '';
    process.stderr.write(`error: ${(error as Error).message}${hint}\n\n${usage}\n`);
    process.exit(2);
  }
}

function readPositiveInteger(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new UsageError(`${flag} was '${text}'; expected a positive whole number.`, { hint: `Pass e.g. ${flag} ${fallback}.` });
  }
  return value;
}

function formatCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'number' ? formatFigure(value) : value;
}

function formatFigure(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** A database of its own on the server, or undefined (with a line on stderr) when the server does not answer. */
export async function scratchPostgresDatabase(adminUrl: string) {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    process.stderr.write(`Postgres figures skipped: no server at ${adminUrl} (${(error as Error).message}).\n`);
    return undefined;
  }
  const name = `stepwise_bench_${process.pid}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url(schema?: string) {
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      if (schema !== undefined) url.searchParams.set('schema', schema);
      return url.toString();
    },
    async drop() {
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}
