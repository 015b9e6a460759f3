import type { SQLOutputValue } from 'node:sqlite';
import { StoreError, UsageError } from '../core/errors.ts';
import type { StoreRecord } from './records.ts';
import { describeRecord, rejectedRecordsError } from './rejected-records.ts';
import type { RecordRejection } from './rejected-records.ts';
import { missingTaskError, resolveRunQuery, runLimit } from './run-query.ts';
import { openSqliteDatabase } from './sqlite-open.ts';
import { decodeModelCall, defineSqliteReader } from './sqlite-read.ts';
import { defineSqliteBatchWriter, encodeRecord } from './sqlite-write.ts';
import type { PendingWrite } from './sqlite-write.ts';
import { defineStore } from './queries.ts';
import type { Store } from './store.ts';

export interface SqliteStoreOptions {
  /** Records per transaction; a full batch is written at once. Default 512. */
  batchSize?: number;
  /** A partial batch is written this long after its first record. Default 100 ms. */
  flushIntervalMs?: number;
  /** Open an existing store for reading only (the viewer); `append` then throws. */
  readonly?: boolean;
}

const DEFAULT_BATCH_SIZE = 512;
const DEFAULT_FLUSH_INTERVAL_MS = 100;

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
  const { db, formatVersion } = openSqliteDatabase(path, readonly);
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
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failure ??= new StoreError(`Could not write ${pending.length} records to ${path}: ${message}.`, {
        hint: 'Check free disk space and that no other program holds the file locked; the records of that batch are lost.',
        cause: error,
      });
    }
  }

  function takeWriteError(): StoreError | undefined {
    const error = failure ?? (rejections.length > 0 ? rejectedRecordsError(path, rejections) : undefined);
    failure = undefined;
    rejections = [];
    return error;
  }

  function assertOpen(action: string): void {
    if (closed) throw new StoreError(`Cannot ${action}: the store at ${path} is closed.`, { hint: 'Open the store again.' });
  }

  // Reads see records still in the batch because they write it first.
  function beforeRead(): void {
    assertOpen('read');
    writeBatch();
  }

  return defineStore({
    location: path,
    append(record: StoreRecord) {
      if (closed) assertOpen(`append ${describeRecord(record)}`);
      if (readonly) {
        throw new StoreError(`Cannot append ${describeRecord(record)}: the store at ${path} was opened read-only.`, {
          hint: 'Open it without the readonly option to record into it.',
        });
      }
      let pending: PendingWrite;
      try {
        pending = encodeRecord(record);
      } catch (error) {
        rejections.push({ label: describeRecord(record), reason: error instanceof Error ? error.message : String(error), cause: error });
        return;
      }
      batch.push(pending);
      if (record.type === 'model_call' && !record.cacheHit && record.error === null && !servableInBatch.has(record.requestHash)) {
        servableInBatch.set(record.requestHash, pending);
      }
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
  });
}
