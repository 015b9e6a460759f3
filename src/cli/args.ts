import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/errors.ts';

/** One CLI command: its help text (with an example) and what it does. Returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  help: string;
  run(argv: string[]): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with errors that say which command and point to --help. */
export function parseCommandArgs<T extends Options>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`stepwise ${command}: ${message}`, { hint: `see \`stepwise ${command} --help\`` });
  }
}

export function intOption(name: string, value: string | undefined, options: { min?: number } = {}): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < (options.min ?? 0)) {
    throw new UsageError(`--${name} must be a whole number${options.min ? ` >= ${options.min}` : ''}, got "${value}"`);
  }
  return parsed;
}
