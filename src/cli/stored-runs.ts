import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError, UsageError } from '../core/errors.ts';
import { openStore, storeFilePath, type StoreOpenOptions } from '../store/index.ts';
import type { RunSummary } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { isPersistent, rejectExtraPositionals } from './args.ts';

const RUN_HINT = 'pass a run id from `stepwise runs`, or "latest"';

/** The one `<run>` positional a command takes; `hint` says where to find one. */
export function runArgument(command: string, positionals: string[], hint = RUN_HINT): string {
  const [runRef] = positionals;
  if (!runRef) throw new UsageError('which run?', { hint });
  rejectExtraPositionals(command, positionals, 1);
  return runRef;
}

/** Opens the store at `db` for one command's work and closes it however that work ends. */
export async function withStore<T>(db: string, options: StoreOpenOptions, use: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore(db, options);
  if (options.readonly) warnOfUnreadJournal(db);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** A read-only folder keeps SQLite from reading a killed run's -wal journal: say that its last records are not shown. */
export function warnOfUnreadJournal(db: string): void {
  if (!isPersistent(db) || !existsSync(`${db}-wal`) || statSync(`${db}-wal`).size === 0) return;
  try {
    accessSync(dirname(db), constants.W_OK);
  } catch {
    console.error(`stepwise: ${db}-wal holds records not yet in ${db}, which cannot be read without write access to its folder; they are not shown.`);
    console.error('  hint: copy the folder somewhere writable (with the -wal file) and read the copy to see them');
  }
}

/**
 * `withStore` for commands that work on recorded runs but write (replay migrates, resume and fork record): a path
 * that names no file is a mistake there, so it is not created.
 */
export async function withRecordedStore<T>(db: string, use: (store: Store) => Promise<T>): Promise<T> {
  const file = storeFilePath(db);
  if (file !== undefined && isPersistent(db) && !existsSync(file)) {
    throw new StoreError(`No store file at ${file}; expected a stepwise trace file written by an earlier run.`, {
      hint: 'Check the path (--db), or record a run into it first with `stepwise run`.',
    });
  }
  return withStore(db, {}, use);
}

/** `getRun`, with the recorded runs added to the hint when the reference matches none. */
export async function findRun(store: Store, runRef: string) {
  try {
    return await store.getRun(runRef);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    const runs = await store.listRuns({ limit: 10 });
    if (runs.length === 0) throw error;
    const known = runs.map(({ run }) => `${run.id} (${run.env.name} ${run.strategy.name}, ${run.startedAt.slice(0, 19).replace('T', ' ')})`);
    throw new StoreError(error.message, { hint: `recorded runs, newest first: ${known.join(', ')}; see \`stepwise runs\`` });
  }
}

/** The runs several `<run>` positionals name, in order, each once (an id and `latest` may name the same); the first that matches none throws. */
export async function findRuns(store: Store, runRefs: readonly string[]): Promise<RunSummary[]> {
  const runs = new Map<string, RunSummary>();
  for (const ref of runRefs) {
    const summary = await findRun(store, ref);
    if (!runs.has(summary.run.id)) runs.set(summary.run.id, summary);
  }
  return [...runs.values()];
}

/** Warns on stderr that a run that did not complete (still running, killed, interrupted) is read as it stands: its tree may still grow. */
export function warnIfUnfinished(command: string, { run, end, tasks }: RunSummary, what: string): void {
  if (end?.status === 'completed') return;
  const state = end ? `stopped early (${end.status})` : 'has not finished (it is still running, or was killed)';
  console.error(`stepwise ${command}: run ${run.id} ${state}: ${what} covers the ${tasks} task(s) recorded so far.`);
  console.error(`  hint: once it ends (or after \`stepwise resume ${run.id}\`), run ${command} again`);
}
