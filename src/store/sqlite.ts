import type { SQLOutputValue } from 'node:sqlite';
import { StoreError, UsageError } from '../core/errors.ts';
import type { StoreRecord } from './records.ts';
import { describeRecord, readOnlyAppendError, rejectedRecordsError } from './rejected-records.ts';
import type { RecordRejection } from './rejected-records.ts';
import { missingTaskError, resolveRunQuery, runLimit } from './run-query.ts';
import { damagedStoreError, isDamageError, openSqliteDatabase } from './sqlite-open.ts';
import { decodeModelCall, defineSqliteReader } from './sqlite-read.ts';
import { defineSqliteBatchWriter, encodeRecord } from './sqlite-write.ts';
import type { PendingWrite } from './sqlite-write.ts';
import { defineStore } from './queries.ts';
import type { Store } from './store.ts';
import { claimWins, leaseOfClaim, readOnlyLeaseError, type RunLease, type RunLeaseClaim } from './lease.ts';
import type { DatabaseSync } from 'node:sqlite';

export interface SqliteStoreOptions {
  /** Records per transaction; a full batch is written at once. Default 512. */
  batchSize?: number;
  /** A partial batch is written this long after its first record. Default 100 ms. */
  flushIntervalMs?: number;
  /** Open an existing store for reading only (the viewer); `append` then throws. */
  readonly?: boolean;
  /** How long one write waits for another connection's lock before it counts as failed. Default 5 s. */
  busyTimeoutMs?: number;
}

const DEFAULT_BATCH_SIZE = 512;
const DEFAULT_FLUSH_INTERVAL_MS = 100;
// After a failed write, the kept records are tried again on this backoff (doubling), not on every append.
const FIRST_RETRY_MS = 200;
const MAX_RETRY_MS = 5000;

/** A Store in one SQLite file (WAL mode), created with its parent folders when missing. */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Store {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new UsageError(`Store batch size must be a whole number of at least 1, got ${batchSize}.`);
  }
  if (!Number.isFinite(flushIntervalMs) || flushIntervalMs < 0) {
    throw new UsageError(`Store flush interval must be a number of milliseconds of at least 0, got ${flushIntervalMs}.`);
  }
  const readonly = options.readonly ?? false;
  const { db, formatVersion } = openSqliteDatabase(path, readonly, options.busyTimeoutMs);
  const writer = readonly ? undefined : defineSqliteBatchWriter(db);
  const reader = defineSqliteReader(db, formatVersion);

  let batch: PendingWrite[] = [];
  // The first servable call per request hash still in the batch: the request cache must not write the batch on every lookup.
  let servableInBatch = new Map<string, PendingWrite>();
  let rejections: RecordRejection[] = [];
  let failure: StoreError | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  // data_version ignores this connection's own commits, so the mark counts them too.
  let batchesWritten = 0;

  // Records whose write failed stay first in the batch: the file only ever holds a prefix of what was appended,
  // so a run_end can never be committed after records that were lost.
  let retryMs = 0;

  // Never throws: errors wait for the next flush()/close(), since a timer has no caller to tell.
  function writeBatch(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (batch.length === 0 || writer === undefined) return;
    const pending = batch;
    batch = [];
    servableInBatch = new Map();
    try {
      rejections.push(...writer.write(pending));
      batchesWritten++;
      failure = undefined;
      retryMs = 0;
    } catch (error) {
      batch = pending.concat(batch);
      for (const kept of batch) noteServable(kept);
      failure = unwrittenError(path, batch.length, error);
      retryMs = Math.min(MAX_RETRY_MS, retryMs === 0 ? FIRST_RETRY_MS : retryMs * 2);
      timer = setTimeout(writeBatch, retryMs);
      timer.unref();
    }
  }

  function noteServable(pending: PendingWrite): void {
    if (pending.servableHash !== undefined && !servableInBatch.has(pending.servableHash)) servableInBatch.set(pending.servableHash, pending);
  }

  // A failed write stays reported until a retry succeeds: its records are still waiting.
  function takeWriteError(): StoreError | undefined {
    const error = failure ?? (rejections.length > 0 ? rejectedRecordsError(path, rejections) : undefined);
    rejections = [];
    return error;
  }

  function assertOpen(action: string): void {
    if (closed) throw new StoreError(`Cannot ${action}: the store at ${path} is closed.`, { hint: 'Open the store again.' });
  }

  // Reads see records still in the batch because they write it first.
  function beforeRead(): void {
    assertOpen('read');
    if (failure === undefined) writeBatch();
  }

  const store = defineStore({
    location: path,
    append(record: StoreRecord) {
      if (closed) assertOpen(`append ${describeRecord(record)}`);
      if (readonly) {
        throw readOnlyAppendError(record, path);
      }
      let pending: PendingWrite;
      try {
        pending = encodeRecord(record);
      } catch (error) {
        rejections.push({ label: describeRecord(record), reason: error instanceof Error ? error.message : String(error), cause: error });
        return;
      }
      batch.push(pending);
      noteServable(pending);
      if (failure !== undefined) return; // the retry timer is set
      if (batch.length >= batchSize) writeBatch();
      else if (timer === undefined) {
        timer = setTimeout(writeBatch, flushIntervalMs);
        timer.unref();
      }
    },
    async flush() {
      assertOpen('flush');
      writeBatch();
      const error = takeWriteError();
      if (error) throw error;
    },
    async close() {
      if (closed) return;
      writeBatch();
      if (timer !== undefined) clearTimeout(timer);
      closed = true;
      db.close();
      const error = takeWriteError();
      if (error) throw error;
    },
    async listRuns(listOptions = {}) {
      beforeRead();
      const limit = runLimit(listOptions.limit);
      const runs = listOptions.idPrefix === undefined ? reader.newestRuns(limit) : reader.withPrefix(listOptions.idPrefix).slice(0, limit);
      return runs.map(reader.summarize);
    },
    async getRun(idOrPrefix) {
      beforeRead();
      return reader.summarize(resolveRunQuery(idOrPrefix, path, reader));
    },
    async getTasks(runId) {
      beforeRead();
      return reader.tasks(runId);
    },
    async getTask(runId, taskId) {
      beforeRead();
      return reader.task(runId, taskId) ?? null;
    },
    async getTree(runId, taskId) {
      beforeRead();
      const tree = reader.tree(runId, taskId);
      if (tree) return tree;
      throw missingTaskError(path, runId, taskId, reader.tasks(runId).map((task) => task.taskId));
    },
    async getTreeOutline(runId, taskId, outlineOptions = {}) {
      beforeRead();
      const outline = await reader.outline(runId, taskId, runLimit(outlineOptions.limit));
      if (outline) return outline;
      throw missingTaskError(path, runId, taskId, reader.tasks(runId).map((task) => task.taskId));
    },
    async getNode(runId, nodeId) {
      beforeRead();
      return reader.node(runId, nodeId) ?? null;
    },
    async getModelCallTotals(runId) {
      beforeRead();
      return reader.modelCallTotals(runId);
    },
    async getModelCalls(runId) {
      beforeRead();
      return reader.modelCallsOfRun(runId);
    },
    async changeMark() {
      beforeRead();
      return `${reader.dataVersion()}.${batchesWritten}`;
    },
    async findModelCall(requestHash) {
      assertOpen('read');
      // Written calls are older than those in the batch, so the file answers first.
      const written = reader.servableModelCall(requestHash);
      if (written) return written;
      const pending = servableInBatch.get(requestHash);
      return pending ? decodeModelCall(pending.params as SQLOutputValue[]) : null;
    },
    async getAnnotations(runId, filter = {}) {
      beforeRead();
      return reader.annotations(runId, filter);
    },
    async takeRunLease(claim) {
      assertOpen('take the lease of a run');
      if (readonly) throw readOnlyLeaseError(path);
      try {
        return takeSqliteLease(db, claim);
      } catch (error) {
        if (!isLockError(error)) throw error;
        throw new StoreError(`records could not be written to ${path}: another connection holds its write lock (${(error as Error).message}); run ${claim.runId} did not start`, {
          hint: 'Stop the other program writing to this file (or use another --db), then run again (or `stepwise resume <run>` a run that had started).',
          cause: error,
        });
      }
    },
    async releaseRunLease(runId, owner) {
      assertOpen('release the lease of a run');
      if (readonly) throw readOnlyLeaseError(path);
      try {
        db.prepare('DELETE FROM run_leases WHERE run_id = ? AND owner = ?').run(runId, owner);
      } catch (error) {
        // Best effort under another writer's lock: an unreleased lease lapses, and its ended owner is taken over at once.
        if (!isLockError(error)) throw error;
      }
    },
  });
  // A damaged page surfaces at whichever read reaches it: name the file and the way out instead of SQLite's bare error.
  for (const method of READ_METHODS) {
    const read = store[method] as (...args: unknown[]) => Promise<unknown>;
    (store as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      try {
        return await read(...args);
      } catch (error) {
        throw isDamageError(error) ? damagedStoreError(path, error) : error;
      }
    };
  }
  return store;
}

// Under the write lock, so two processes claiming at once see each other's claim.
function takeSqliteLease(db: DatabaseSync, claim: RunLeaseClaim): RunLease {
  db.exec('BEGIN IMMEDIATE');
  try {
    const row = db.prepare('SELECT owner, host, pid, since, expires_at FROM run_leases WHERE run_id = ?').get(claim.runId);
    const current: RunLease | undefined = row && {
      runId: claim.runId, owner: String(row.owner), host: String(row.host), pid: Number(row.pid), since: String(row.since), expiresAt: Number(row.expires_at),
    };
    const now = Date.now();
    const lease = claimWins(current, claim, now) ? leaseOfClaim(current, claim, now) : current!;
    if (lease !== current) {
      db.prepare('INSERT OR REPLACE INTO run_leases (run_id, owner, host, pid, since, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(lease.runId, lease.owner, lease.host, lease.pid, lease.since, lease.expiresAt);
    }
    db.exec('COMMIT');
    return lease;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

const READ_METHODS = ['listRuns', 'getRun', 'getTasks', 'getTask', 'getTree', 'getTreeOutline', 'getNode', 'getModelCallTotals', 'changeMark', 'findModelCall', 'getAnnotations', 'getModelCalls'] as const;

const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;

/** SQLite's busy or locked error: another connection holds the write lock. */
function isLockError(error: unknown): boolean {
  const code = Number((error as { errcode?: unknown }).errcode) & 0xff;
  return code === SQLITE_BUSY || code === SQLITE_LOCKED;
}

/** Why records are still waiting to be written; they are kept, in order, and tried again. */
function unwrittenError(path: string, waiting: number, error: unknown): StoreError {
  const message = error instanceof Error ? error.message : String(error);
  const locked = isLockError(error);
  if (isDamageError(error)) return damagedStoreError(path, error);
  return new StoreError(`${waiting} records could not be written to ${path}${locked ? ': another connection holds its write lock' : ''} (${message}).`, {
    hint: locked
      ? 'Stop the other program writing to this file (or use another --db); the run is not marked complete, and `stepwise resume <run>` continues it from what was written.'
      : 'Check free disk space and the file\'s permissions; the run is not marked complete, and `stepwise resume <run>` continues it from what was written.',
    cause: error,
  });
}
