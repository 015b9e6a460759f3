import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from '../core/errors.ts';

// Pieces of task specs that several environments read the same way.

/** `generate:<kind>?a=1&b=2`: checks the kind and that every parameter is one the generator reads. */
export function parseGeneratorSpec(spec: string, expectedKind: string, known: string[]): URLSearchParams {
  const body = spec.slice('generate:'.length);
  const [kind, query = ''] = body.split('?');
  const example = `generate:${expectedKind}?${known.map((k) => `${k}=…`).join('&')}`;
  if (kind !== expectedKind) throw new UsageError(`this environment generates "${expectedKind}" tasks, not "${kind}"`, { hint: `use ${example}` });
  const params = new URLSearchParams(query);
  for (const key of params.keys()) {
    if (!known.includes(key)) throw new UsageError(`the ${expectedKind} generator has no parameter "${key}"`, { hint: `its parameters are ${known.join(', ')}, as in ${example}` });
  }
  return params;
}

export function intParam(params: URLSearchParams, key: string, fallback: number): number {
  const raw = params.get(key);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`generator parameter ${key} must be a whole number, got "${raw}"`);
  return value;
}

/** `path.csv:900-999` → path and rows; a suffix after the last colon is rows unless it looks like part of a path. */
export function splitRowRange(text: string): { path: string; rows?: string } {
  const colon = text.lastIndexOf(':');
  const suffix = text.slice(colon + 1);
  if (colon <= 0 || /[\\/]/.test(suffix) || existsSync(text)) return { path: text };
  return { path: text.slice(0, colon), rows: suffix };
}

/** Reads a file, or standard input for `-`, with an error that names the path. */
export function readTextInput(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new UsageError(`cannot read ${path === '-' ? 'standard input' : path}: ${reason}`, { hint: 'pass the path of a text file, or - to read standard input' });
  }
}

/** Inclusive range of 0-based rows or records (in a CSV, the row after the header is 0). */
export interface RowRange {
  start: number;
  end: number;
}

/** Reads `900-999` or a single row `5`. */
export function parseRowRange(text: string): RowRange {
  const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(text);
  if (!match) {
    throw new UsageError(`'${text}' is not a row range`, { hint: "give rows as 'start-end' (e.g. 900-999) or one row (e.g. 5)" });
  }
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  if (end < start) {
    throw new UsageError(`row range '${text}' ends before it starts`, { hint: `did you mean ${end}-${start}?` });
  }
  return { start, end };
}

