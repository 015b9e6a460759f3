import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/errors.ts';
import { DEFAULT_STORE_PATH, MEMORY_LOCATION } from '../store/index.ts';

/** One CLI command: its help text (with an example) and what it does. Returns the exit code. */
export interface Command {
  name: string;
  help: string;
  run(argv: string[]): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with errors that point to --help; main() prefixes them with the command. */
export function parseCommandArgs<T extends Options>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message, { hint: `see \`stepwise ${command} --help\`` });
  }
}

/** Rejects positionals beyond the `expected` ones; `advice` says what the user probably meant. */
export function rejectExtraPositionals(command: string, positionals: string[], expected: number, advice?: string): void {
  const extra = positionals.slice(expected);
  if (extra.length === 0) return;
  throw new UsageError(`unexpected argument${extra.length > 1 ? 's' : ''} ${extra.map((a) => `"${a}"`).join(' ')}`, {
    hint: `${advice ? `${advice}; ` : ''}see \`stepwise ${command} --help\``,
  });
}

/** Extra words after `run`/`verify` are almost always a value with spaces that lost its quotes. */
export const QUOTE_ADVICE = 'quote values that hold spaces, e.g. --tasks "puzzle:4 4 6 8"';

export function intOption(name: string, value: string | undefined, options: { min?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isInteger(parsed) || parsed < (options.min ?? 0)) {
    throw new UsageError(`--${name} must be a whole number${options.min ? ` >= ${options.min}` : ' >= 0'}, got "${value}"`);
  }
  return parsed;
}

/** `--db <path>` as a flag to repeat in "Next:" hints, empty for the default store. */
export function dbFlag(db: string): string {
  return db === DEFAULT_STORE_PATH ? '' : ` --db ${/^[\w./:@+-]+$/.test(db) ? db : JSON.stringify(db)}`;
}

/** Whether runs written to `db` can be read back by a later command. */
export function isPersistent(db: string): boolean {
  return db !== MEMORY_LOCATION;
}
