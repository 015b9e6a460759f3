import { UsageError } from '../core/errors.ts';
import { createMemoryStore, MEMORY_LOCATION } from './memory.ts';
import { openPostgresStore } from './postgres/index.ts';
import { openSqliteStore } from './sqlite.ts';
import type { Store } from './store.ts';

/** Where runs are recorded when no `--db` is given, relative to the working folder. */
export const DEFAULT_STORE_PATH = '.stepwise/traces.db';

/** The options every backend understands; a backend ignores what does not apply (memory has no batches). */
export interface StoreOpenOptions {
  /** Records per transaction. Default 512. */
  batchSize?: number;
  /** A partial batch is written this long after its first record. Default 100 ms. */
  flushIntervalMs?: number;
  /** Read only (the viewer, export): never migrates, and `append` throws. */
  readonly?: boolean;
}

/** The store URLs `openStore` knows, for help texts and errors. */
export const STORE_URL_FORMS = ['a file path or sqlite:<path>', 'memory: (or :memory:)', 'postgres://user@host:5432/database[?schema=name] (or postgresql://)'];

/**
 * Opens the store a URL names: `memory:`/`:memory:` in process memory, `postgres://`/`postgresql://` a PostgreSQL
 * database, `sqlite:<path>` or a plain path a SQLite file. Unknown schemes are refused, naming the known ones.
 */
export function openStore(url: string, options: StoreOpenOptions = {}): Store {
  if (url === MEMORY_LOCATION || url === 'memory:') return createMemoryStore();
  if (/^postgres(ql)?:\/\//i.test(url)) return openPostgresStore(url, options);
  if (/^sqlite:/i.test(url)) {
    const path = storeFilePath(url)!;
    if (path === '') throw new UsageError(`"${url}" names no file.`, { hint: 'Write sqlite:<path>, e.g. sqlite:.stepwise/traces.db.' });
    return openSqliteStore(path, options);
  }
  // Two or more letters before a colon: a scheme (a Windows drive letter such as C: stays a path).
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(url)?.[1];
  if (scheme !== undefined) {
    throw new UsageError(`Unknown store scheme "${scheme}:" in "${url}"; stepwise opens ${STORE_URL_FORMS.join(', ')}.`, {
      hint: `For a file whose name holds a colon, write sqlite:${url} or ./${url}.`,
    });
  }
  return openSqliteStore(url, options);
}

/** The SQLite file a store URL names, or undefined for a store that is not a file (memory, Postgres). */
export function storeFilePath(url: string): string | undefined {
  if (url === MEMORY_LOCATION || url === 'memory:' || /^postgres(ql)?:\/\//i.test(url)) return undefined;
  return /^sqlite:/i.test(url) ? url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') : url;
}
