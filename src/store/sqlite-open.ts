import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { StoreError } from '../core/errors.ts';
import { STORE_FORMAT_VERSION } from './records.ts';
import { OLDEST_FORMAT_READABLE_UNMIGRATED, readFormatVersion, runSqliteMigrations } from './sqlite-migrations.ts';
import { STEPWISE_VERSION } from '../core/version.ts';

const BUSY_TIMEOUT_MS = 5000;
const SQLITE_CANTOPEN = 14;
const SQLITE_NOTADB = 26;
const SQLITE_CORRUPT = 11;

/** Whether SQLite found the file's pages damaged (a disk fault, a copy cut short, a write into it by another program). */
export function isDamageError(error: unknown): boolean {
  return (Number((error as { errcode?: unknown }).errcode) & 0xff) === SQLITE_CORRUPT;
}

/** The error for a damaged store: which file, and how to get back what can still be read. */
export function damagedStoreError(path: string, cause: unknown): StoreError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new StoreError(`The store file ${path} is damaged (${message}); stepwise cannot read it as it is.`, {
    hint: `keep the file as it is; try SQLite's recovery into a new file (\`sqlite3 ${path} .recover | sqlite3 recovered.db\`, then \`sqlite3 recovered.db "PRAGMA user_version = ${STORE_FORMAT_VERSION}"\`) and read it with --db recovered.db; record new runs into another --db`,
    cause,
  });
}

/** An open stepwise file and the format it is in: STORE_FORMAT_VERSION unless opened read-only. */
export interface OpenedSqliteDatabase {
  db: DatabaseSync;
  formatVersion: number;
}

/** Opens (creating and migrating when writable) a stepwise SQLite file, or throws a StoreError saying what is wrong with it. */
export function openSqliteDatabase(path: string, readonly: boolean, busyTimeoutMs = BUSY_TIMEOUT_MS): OpenedSqliteDatabase {
  const inMemory = path === ':memory:';
  if (readonly && !inMemory && !existsSync(path)) {
    throw new StoreError(`No store file at ${path}; expected a stepwise trace file written by an earlier run.`, {
      hint: 'Check the path, or record a run into it first.',
    });
  }
  if (!inMemory && existsSync(path) && statSync(path).isDirectory()) {
    // SQLite reports a folder as a disk I/O error (read-only) or "unable to open", neither of which says what to fix.
    throw new StoreError(`${path} is a folder, not a store file.`, { hint: 'Pass the path of a stepwise trace file, e.g. --db .stepwise/traces.db.' });
  }
  if (!readonly && !inMemory) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw new StoreError(`cannot create the folder for the store ${path}: ${(error as Error).message}`, { hint: 'pass --db <file> in a folder that exists or can be created' });
    }
  }
  if (!readonly && !inMemory) assertWritable(path);
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { readOnly: readonly, timeout: busyTimeoutMs });
    return { db, formatVersion: prepareDatabase(db, path, readonly) };
  } catch (error) {
    if (db?.isOpen) db.close();
    if (readonly && !inMemory && !writable(dirname(path))) return openImmutable(path, error);
    throw explainOpenError(error, path);
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

// Checked before any search: SQLite would open a write-protected file read-only and fail only at the first batch.
function assertWritable(path: string): void {
  const where = existsSync(path) ? path : dirname(path);
  if (existsSync(path) && !writable(path)) {
    throw new StoreError(`The store file ${path} is read-only: nothing could be recorded into it.`, {
      hint: 'make it writable (chmod u+w), or pass --db <another file>; commands that only read it (runs, show, replay, export, view) work as it is',
    });
  }
  if (!writable(dirname(path))) {
    throw new StoreError(`The folder of the store ${where} is read-only: SQLite keeps its journal (-wal, -shm) beside the file, so nothing could be recorded.`, {
      hint: 'record into a writable folder with --db <file>; commands that only read the store (runs, show, replay, export, view) work as it is',
    });
  }
}

/**
 * A store in a folder this process cannot write, whose journal needs a file SQLite cannot create: read it as an
 * immutable file. Records still in its -wal journal (a run that was killed) are then not visible.
 */
function openImmutable(path: string, openError: unknown): OpenedSqliteDatabase {
  const url = pathToFileURL(path);
  url.searchParams.set('immutable', '1');
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(url, { readOnly: true });
    return { db, formatVersion: prepareDatabase(db, path, true) };
  } catch {
    if (db?.isOpen) db.close();
    throw explainOpenError(openError, path);
  }
}

/** Returns the format version the file is in once prepared. */
function prepareDatabase(db: DatabaseSync, path: string, readonly: boolean): number {
  // Reading the header first is what fails on a file that is not SQLite at all.
  let version = readFormatVersion(db);
  assertStepwiseFile(db, path, version);
  if (version > STORE_FORMAT_VERSION) throw newerFormatError(path, version);
  if (readonly) {
    if (version === 0) throw notAStoreError(path);
    // Older formats the reader understands are read as they are: a read-only store must not write.
    if (version < OLDEST_FORMAT_READABLE_UNMIGRATED) {
      throw new StoreError(`The store at ${path} has format version ${version}, older than ${OLDEST_FORMAT_READABLE_UNMIGRATED}, and it was opened read-only so it cannot be migrated.`, {
        hint: 'Open it once without read-only mode (any stepwise command that records) to migrate it.',
      });
    }
    return version;
  }
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  if (version === STORE_FORMAT_VERSION) return version;
  version = runSqliteMigrations(db, STEPWISE_VERSION);
  if (version > STORE_FORMAT_VERSION) throw newerFormatError(path, version);
  return STORE_FORMAT_VERSION;
}

// A file with tables but no stepwise header is another program's database; never migrate into it.
function assertStepwiseFile(db: DatabaseSync, path: string, version: number): void {
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all().map((row) => row.name);
  const looksLikeStore = version === 0 ? tables.length === 0 : tables.includes('meta') && tables.includes('runs');
  if (!looksLikeStore) throw notAStoreError(path);
}

function newerFormatError(path: string, version: number): StoreError {
  return new StoreError(`The store at ${path} has format version ${version}, but this stepwise (${STEPWISE_VERSION}) reads format versions up to ${STORE_FORMAT_VERSION}.`, {
    hint: 'Upgrade stepwise to open it, or record into a different file.',
  });
}

function notAStoreError(path: string, cause?: unknown): StoreError {
  return new StoreError(`${path} is not a stepwise store: expected a SQLite file written by stepwise.`, {
    hint: 'Check the path, or pass a new file name to record into.',
    cause,
  });
}

function explainOpenError(error: unknown, path: string): unknown {
  if (error instanceof StoreError) return error;
  const errcode = (error as { errcode?: unknown }).errcode;
  const message = error instanceof Error ? error.message : String(error);
  if (errcode === SQLITE_NOTADB) return notAStoreError(path, error);
  if (isDamageError(error)) return damagedStoreError(path, error);
  if (errcode === SQLITE_CANTOPEN) {
    return new StoreError(`Could not open the store file ${path}: ${message}.`, {
      hint: 'Check that the path names a file (not a folder) and that you may read and write it.',
      cause: error,
    });
  }
  return new StoreError(`Could not open the store at ${path}: ${message}.`, {
    hint: 'Check that the file is a stepwise store, that you may read it and its folder, and that no other program holds it locked.',
    cause: error,
  });
}
