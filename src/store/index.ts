import { createMemoryStore, MEMORY_LOCATION } from './memory.ts';
import { openSqliteStore } from './sqlite.ts';
import type { SqliteStoreOptions } from './sqlite.ts';
import type { Store } from './store.ts';

export * from './records.ts';
export type { Store, StoredTree } from './store.ts';
export { createMemoryStore, MEMORY_LOCATION } from './memory.ts';
export { openSqliteStore } from './sqlite.ts';
export type { SqliteStoreOptions } from './sqlite.ts';
export { LATEST_RUN } from './run-query.ts';

/** Where runs are recorded when no `--store` is given, relative to the working folder. */
export const DEFAULT_STORE_PATH = '.stepwise/traces.db';

/** `:memory:` gives an in-process store; anything else is a SQLite file path. */
export function openStore(pathOrMemory: string, options?: SqliteStoreOptions): Store {
  return pathOrMemory === MEMORY_LOCATION ? createMemoryStore() : openSqliteStore(pathOrMemory, options);
}
