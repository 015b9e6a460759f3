import { createRequire } from 'node:module';
import type { Pool, PoolClient } from 'pg';
import { StoreError, UsageError } from '../../core/errors.ts';
import { STEPWISE_VERSION } from '../../core/version.ts';
import { STORE_FORMAT_VERSION } from '../records.ts';
import type { ModelCallRecord, StoreRecord } from '../records.ts';
import { defineStore } from '../queries.ts';
import { describeRecord, readOnlyAppendError, rejectedRecordsError } from '../rejected-records.ts';
import type { RecordRejection } from '../rejected-records.ts';
import { missingTaskError, runLimit } from '../run-query.ts';
import { decodeModelCall } from '../sqlite-read.ts';
import { encodeRecord } from '../sqlite-write.ts';
import type { PendingWrite } from '../sqlite-write.ts';
import type { Store } from '../store.ts';
import { readOnlyLeaseError, type RunLease } from '../lease.ts';
import { quoteIdentifier, readPostgresFormat, runPostgresMigrations } from './migrations.ts';
import { definePostgresReader } from './read.ts';
import { writeBatchRows, writeOneByOne } from './write.ts';

export interface PostgresStoreOptions {
  /** Records per transaction; a full batch is written at once. Default 512. */
  batchSize?: number;
  /** A partial batch is written this long after its first record. Default 100 ms. */
  flushIntervalMs?: number;
  /** Read only (the viewer): never migrates, and `append` throws. */
  readonly?: boolean;
}

/** A `postgres://` URL split into what the driver takes and what the store shows. */
export interface PostgresTarget {
  connectionString: string;
  /** From `?schema=`: the store's tables live in this schema (created when missing), else in the default one. */
  schema: string | undefined;
  /** The URL without its password, for messages. */
  location: string;
}

const DEFAULT_BATCH_SIZE = 512;
const DEFAULT_FLUSH_INTERVAL_MS = 100;
const CONNECTIONS = 3;
const CONNECT_TIMEOUT_MS = 5000;
// Deadlocks and serialization failures between writers are retried: the batch's transaction was rolled back whole.
const RETRIED_CODES = new Set(['40P01', '40001']);
const WRITE_ATTEMPTS = 3;

export function parsePostgresUrl(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new UsageError(`"${url}" is not a Postgres URL.`, { hint: 'Write it as postgres://user:password@host:5432/database (add ?schema=name to keep the store in its own schema).', cause: error });
  }
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) {
    throw new UsageError(`The schema "${schema}" in ${url} is not a plain SQL name.`, { hint: 'Use letters, digits and underscores, starting with a letter, e.g. ?schema=stepwise.' });
  }
  parsed.searchParams.delete('schema');
  const connectionString = parsed.toString();
  if (parsed.password) parsed.password = '***';
  if (schema !== undefined) parsed.searchParams.set('schema', schema);
  return { connectionString, schema, location: parsed.toString() };
}

// The driver loads on the first Postgres store, so commands on SQLite files start without it.
const requireModule = createRequire(import.meta.url);
let driver: typeof import('pg') | undefined;
function loadDriver(): typeof import('pg') {
  return (driver ??= requireModule('pg') as typeof import('pg'));
}

// BIGINT columns (seq, seeds, ms timestamps, counts) come back as numbers, as from SQLite; all fit in 2^53.
function bigintsAsNumbers(pg: typeof import('pg')) {
  return {
    getTypeParser: ((oid: number, format?: string) =>
      oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
  };
}

/**
 * A Store in a PostgreSQL database, shared by any number of processes and machines. Returns at once and connects in the
 * background: `append` never waits, and the first read or flush reports a server that cannot be reached. Batches are
 * written in one transaction each, one multi-row statement per record type.
 */
export function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Store {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new UsageError(`Store batch size must be a whole number of at least 1, got ${batchSize}.`);
  }
  if (!Number.isFinite(flushIntervalMs) || flushIntervalMs < 0) {
    throw new UsageError(`Store flush interval must be a number of milliseconds of at least 0, got ${flushIntervalMs}.`);
  }
  const readonly = options.readonly ?? false;
  const target = parsePostgresUrl(url);
  const { location } = target;
  const pg = loadDriver();
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max: CONNECTIONS,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    types: bigintsAsNumbers(pg),
    ...(target.schema === undefined ? {} : { options: `-c search_path=${quoteIdentifier(target.schema)}` }),
  });
  let failure: StoreError | undefined;
  // An idle connection the server dropped: the next query opens another, so it is only noted.
  pool.on('error', () => undefined);
  const ready = prepare(pool, target, readonly);
  ready.catch(() => undefined); // Reported by the first read, flush or close.
  const reader = definePostgresReader(pool);

  let batch: PendingWrite[] = [];
  let servableInBatch = new Map<string, PendingWrite>();
  // The servable calls of batches being written: committed any moment, so the request cache must still see them here.
  const servableInFlight = new Set<Map<string, PendingWrite>>();
  let rejections: RecordRejection[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();
  let closed = false;

  // Never throws: errors wait for the next flush()/close(), since a timer has no caller to tell.
  function writeBatch(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (batch.length > 0) {
      const pending = batch;
      const servable = servableInBatch;
      batch = [];
      servableInBatch = new Map();
      servableInFlight.add(servable);
      writing = writing.then(() => writePending(pending)).finally(() => servableInFlight.delete(servable));
    }
    return writing;
  }

  async function writePending(pending: PendingWrite[]): Promise<void> {
    try {
      await ready;
      const client = await pool.connect();
      try {
        rejections.push(...(await inTransaction(client, pending)));
      } finally {
        client.release();
      }
      await pool.query("SELECT nextval('stepwise_change_mark')");
    } catch (error) {
      failure ??= error instanceof StoreError ? error : new StoreError(`Could not write ${pending.length} records to ${location}: ${messageOf(error)}.`, {
        hint: 'Check that the Postgres server is up and reachable; the records of that batch are lost.',
        cause: error,
      });
    }
  }

  async function inTransaction(client: PoolClient, pending: PendingWrite[]): Promise<RecordRejection[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query('BEGIN');
        const refused = await writeBatchRows(client, pending).catch(async (error: unknown) => {
          if (RETRIED_CODES.has(codeOf(error))) throw error;
          // One bad record failed the statement of its type: redo the batch record by record to keep the others.
          await client.query('ROLLBACK');
          await client.query('BEGIN');
          return writeOneByOne(client, pending);
        });
        await client.query('COMMIT');
        return refused;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        if (!RETRIED_CODES.has(codeOf(error)) || attempt >= WRITE_ATTEMPTS) throw error;
      }
    }
  }

  function takeWriteError(): StoreError | undefined {
    const error = failure ?? (rejections.length > 0 ? rejectedRecordsError(location, rejections) : undefined);
    failure = undefined;
    rejections = [];
    return error;
  }

  function assertOpen(action: string): void {
    if (closed) throw new StoreError(`Cannot ${action}: the store at ${location} is closed.`, { hint: 'Open the store again.' });
  }

  // Reads see records still in the batch because they write it first.
  async function beforeRead(): Promise<void> {
    assertOpen('read');
    await ready;
    await writeBatch();
  }

  return defineStore({
    location,
    append(record: StoreRecord) {
      if (closed) assertOpen(`append ${describeRecord(record)}`);
      if (readonly) {
        throw readOnlyAppendError(record, location);
      }
      let pending: PendingWrite;
      try {
        pending = encodeRecord(record);
      } catch (error) {
        rejections.push({ label: describeRecord(record), reason: messageOf(error), cause: error });
        return;
      }
      batch.push(pending);
      if (record.type === 'model_call' && !record.cacheHit && record.error === null && !servableInBatch.has(record.requestHash)) {
        servableInBatch.set(record.requestHash, pending);
      }
      if (batch.length >= batchSize) void writeBatch();
      else if (timer === undefined) {
        timer = setTimeout(() => void writeBatch(), flushIntervalMs);
        timer.unref();
      }
    },
    async flush() {
      assertOpen('flush');
      await writeBatch();
      const error = takeWriteError();
      if (error) throw error;
    },
    async close() {
      if (closed) return;
      closed = true;
      await writeBatch();
      await pool.end().catch(() => undefined);
      const error = takeWriteError();
      if (error) throw error;
    },
    async listRuns(listOptions = {}) {
      await beforeRead();
      return reader.runs(runLimit(listOptions.limit), listOptions.idPrefix);
    },
    async getTasks(runId) {
      await beforeRead();
      return reader.tasks(runId);
    },
    async getTask(runId, taskId) {
      await beforeRead();
      return reader.task(runId, taskId);
    },
    async getTree(runId, taskId) {
      await beforeRead();
      const tree = await reader.tree(runId, taskId);
      if (tree) return tree;
      throw missingTaskError(location, runId, taskId, (await reader.tasks(runId)).map((task) => task.taskId));
    },
    async getTreeOutline(runId, taskId, outlineOptions = {}) {
      await beforeRead();
      const outline = await reader.outline(runId, taskId, runLimit(outlineOptions.limit));
      if (outline) return outline;
      throw missingTaskError(location, runId, taskId, (await reader.tasks(runId)).map((task) => task.taskId));
    },
    async getNode(runId, nodeId) {
      await beforeRead();
      return reader.node(runId, nodeId);
    },
    async getModelCalls(runId) {
      await beforeRead();
      return reader.modelCalls(runId);
    },
    async findModelCall(requestHash): Promise<ModelCallRecord | null> {
      assertOpen('read');
      // Taken before asking the server, so a batch committed meanwhile is seen in one place or the other.
      const local = [...servableInFlight, servableInBatch].find((servable) => servable.has(requestHash))?.get(requestHash);
      await ready;
      // Written calls are older than unwritten ones, so the server answers first; other processes' calls are there too.
      const written = await reader.servableModelCall(requestHash);
      if (written) return written;
      return local ? decodeModelCall(local.params as never) : null;
    },
    async getAnnotations(runId, filter = {}) {
      await beforeRead();
      return reader.annotations(runId, filter);
    },
    async changeMark() {
      await beforeRead();
      return reader.changeMark();
    },
    async takeRunLease(claim) {
      assertOpen('take the lease of a run');
      if (readonly) throw readOnlyLeaseError(location);
      await ready;
      // One statement decides, as claimWins does: the row is replaced only when free, the claimant's, expired or `replaces`'.
      for (;;) {
        const now = Date.now();
        const taken = await pool.query<LeaseRow>(
          `INSERT INTO run_leases AS held (run_id, owner, host, pid, since, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (run_id) DO UPDATE SET owner = excluded.owner, host = excluded.host, pid = excluded.pid, expires_at = excluded.expires_at,
             since = CASE WHEN held.owner = excluded.owner THEN held.since ELSE excluded.since END
           WHERE held.owner = excluded.owner OR held.expires_at < $7 OR held.owner = $8
           RETURNING run_id, owner, host, pid, since, expires_at`,
          [claim.runId, claim.owner, claim.host, claim.pid, new Date(now).toISOString(), now + claim.ttlMs, now, claim.replaces ?? null],
        );
        const row = taken.rows[0] ?? (await pool.query<LeaseRow>('SELECT run_id, owner, host, pid, since, expires_at FROM run_leases WHERE run_id = $1', [claim.runId])).rows[0];
        // None: released between the two statements, so free again; claim once more.
        if (row) return leaseOfRow(row);
      }
    },
    async releaseRunLease(runId, owner) {
      assertOpen('release the lease of a run');
      if (readonly) throw readOnlyLeaseError(location);
      await ready;
      await pool.query('DELETE FROM run_leases WHERE run_id = $1 AND owner = $2', [runId, owner]);
    },
  });
}

interface LeaseRow {
  run_id: string;
  owner: string;
  host: string;
  pid: number;
  since: string;
  expires_at: number;
}

function leaseOfRow(row: LeaseRow): RunLease {
  return { runId: row.run_id, owner: row.owner, host: row.host, pid: Number(row.pid), since: row.since, expiresAt: Number(row.expires_at) };
}

/** `openPostgresStore`, resolved once the server answered and the schema is ready: errors in the URL or the server surface here. */
export async function connectPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const store = openPostgresStore(url, options);
  try {
    await store.changeMark();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

/** Connects, checks the store's format, and migrates it when writable. */
async function prepare(pool: Pool, target: PostgresTarget, readonly: boolean): Promise<void> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw connectError(error, target.location);
  }
  try {
    const version = readonly ? await readPostgresFormat(client) : await runPostgresMigrations(client, target.schema, STEPWISE_VERSION);
    if (version < 0) {
      throw new StoreError(`${target.location} holds tables that are not a stepwise store's (a "runs" table without stepwise_meta).`, {
        hint: 'Point at an empty database, or add ?schema=stepwise to keep the store in a schema of its own.',
      });
    }
    if (version > STORE_FORMAT_VERSION) {
      throw new StoreError(`The store at ${target.location} has format version ${version}, but this stepwise (${STEPWISE_VERSION}) reads format versions up to ${STORE_FORMAT_VERSION}.`, {
        hint: 'Upgrade stepwise to open it, or record into a different database or schema.',
      });
    }
    if (readonly && version === 0) {
      throw new StoreError(`No stepwise store at ${target.location}; expected one written by an earlier run.`, {
        hint: 'Check the URL (database and ?schema=), or record a run into it first.',
      });
    }
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(`Could not prepare the store at ${target.location}: ${messageOf(error)}.`, {
      hint: 'Check that the user may create tables in that database (or schema).',
      cause: error,
    });
  } finally {
    client.release();
  }
}

function connectError(error: unknown, location: string): StoreError {
  const code = codeOf(error);
  const hint = code === '3D000'
    ? 'Create the database first (createdb <name>, or CREATE DATABASE in psql), or point at one that exists.'
    : code === '28P01' || code === '28000'
      ? 'Check the user and password in the URL.'
      : 'Check that the Postgres server runs and that the host, port and database in the URL are right.';
  return new StoreError(`Could not connect to the Postgres store at ${location}: ${messageOf(error)}.`, { hint, cause: error });
}

function codeOf(error: unknown): string {
  return String((error as { code?: unknown } | null)?.code ?? '');
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  return error instanceof Error ? error.message : String(error);
}
