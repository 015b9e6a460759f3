import type { PoolClient } from 'pg';

/**
 * One step of the Postgres schema, numbered like the SQLite formats (STORE_FORMAT_VERSION): `up` turns a store of
 * the previous version into `version`. Never edit a shipped one; add the next, in step with sqlite-migrations.ts.
 */
export interface PostgresMigration {
  version: number;
  description: string;
  up(client: PoolClient): Promise<unknown>;
}

// Format 3, the first format stored in Postgres: the SQLite tables with the same columns, so both backends decode rows
// with one set of decoders (sqlite-read.ts). JSON columns stay TEXT: a record reads back byte for byte, as from SQLite.
// Flags are SMALLINT 0/1 for the same reason. seq (an identity) is the append order within each table.
const SCHEMA_V3 = `
CREATE TABLE stepwise_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE SEQUENCE stepwise_change_mark;

CREATE TABLE runs (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  started_at TEXT NOT NULL,
  env_name TEXT NOT NULL,
  env_version TEXT NOT NULL,
  strategy_name TEXT NOT NULL,
  strategy_config TEXT NOT NULL,
  proposer_name TEXT NOT NULL,
  proposer_config TEXT,
  scorers TEXT NOT NULL,
  budget TEXT NOT NULL,
  seed BIGINT NOT NULL,
  task_spec TEXT NOT NULL,
  stepwise_version TEXT NOT NULL,
  tags TEXT,
  provenance TEXT,
  origin TEXT
);
CREATE INDEX runs_newest_first ON runs (started_at DESC, seq DESC);

CREATE TABLE tasks (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  task_index INTEGER NOT NULL,
  source TEXT NOT NULL,
  spec TEXT,
  meta TEXT,
  goal_text TEXT NOT NULL,
  started_at TEXT NOT NULL,
  UNIQUE (run_id, task_id)
);

CREATE TABLE nodes (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  run_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  parent_id TEXT,
  depth INTEGER NOT NULL,
  action TEXT,
  action_text TEXT,
  candidate_id TEXT,
  state TEXT,
  state_key TEXT NOT NULL,
  observation TEXT NOT NULL,
  reward DOUBLE PRECISION NOT NULL,
  step_check TEXT NOT NULL,
  terminal SMALLINT NOT NULL,
  success SMALLINT NOT NULL,
  duplicate_of TEXT,
  created_at BIGINT NOT NULL,
  stats_visits INTEGER,
  stats_value DOUBLE PRECISION,
  stats_selected SMALLINT,
  stats_pruned TEXT
);
CREATE INDEX nodes_by_task ON nodes (run_id, task_id, seq);

CREATE TABLE candidates (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  run_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  node_id TEXT NOT NULL,
  candidate_index INTEGER NOT NULL,
  action TEXT,
  text TEXT NOT NULL,
  proposer TEXT NOT NULL,
  prior DOUBLE PRECISION,
  invalid_reason TEXT,
  scores TEXT NOT NULL,
  value DOUBLE PRECISION
);
CREATE INDEX candidates_by_task ON candidates (run_id, task_id, seq);
CREATE INDEX candidates_by_node ON candidates (run_id, node_id, seq);

CREATE TABLE task_results (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  stop_reason TEXT,
  solution_node_id TEXT,
  plan TEXT,
  expansions INTEGER NOT NULL,
  nodes INTEGER NOT NULL,
  wall_ms DOUBLE PRECISION NOT NULL,
  finished_at TEXT NOT NULL,
  UNIQUE (run_id, task_id)
);

CREATE TABLE run_ends (
  run_id TEXT PRIMARY KEY,
  finished_at TEXT NOT NULL,
  outcomes TEXT NOT NULL,
  wall_ms DOUBLE PRECISION NOT NULL,
  status TEXT NOT NULL
);

CREATE TABLE model_calls (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  run_id TEXT NOT NULL,
  task_id TEXT,
  node_id TEXT,
  model TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  request TEXT,
  text TEXT,
  usage TEXT,
  latency_ms DOUBLE PRECISION NOT NULL,
  cache_hit SMALLINT NOT NULL,
  cached_from TEXT,
  attempts INTEGER NOT NULL,
  error TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX model_calls_by_run ON model_calls (run_id, task_id, seq);
-- The request cache shared by every process: only servable calls are indexed.
CREATE INDEX model_calls_servable ON model_calls (request_hash, seq) WHERE cache_hit = 0 AND error IS NULL;

CREATE TABLE annotations (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id TEXT NOT NULL,
  task_id TEXT,
  node_id TEXT,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  target TEXT NOT NULL,
  data TEXT,
  created_at BIGINT NOT NULL,
  UNIQUE (run_id, kind, target, key)
);
CREATE INDEX annotations_by_run ON annotations (run_id, seq);
`;

// Format 4: who is writing a run (a lease its owner renews); as in SQLite's format 4.
const RUN_LEASES_V4 = `
CREATE TABLE run_leases (
  run_id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  since TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
`;

/** Every schema step, in order; the last one's version is STORE_FORMAT_VERSION. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  { version: 3, description: 'create the schema at format 3 (the first format stored in Postgres)', up: (client) => client.query(SCHEMA_V3) },
  { version: 4, description: 'run leases (one writer per run)', up: (client) => client.query(RUN_LEASES_V4) },
];

/** The format a schema holds: 0 when it has no stepwise tables yet, -1 when it holds tables that are not a stepwise store's. */
export async function readPostgresFormat(client: PoolClient): Promise<number> {
  const { rows } = await client.query<{ meta: string | null; runs: string | null }>(
    "SELECT to_regclass('stepwise_meta')::text AS meta, to_regclass('runs')::text AS runs",
  );
  if (rows[0].meta === null) return rows[0].runs === null ? 0 : -1;
  const version = await client.query<{ value: string }>("SELECT value FROM stepwise_meta WHERE key = 'format_version'");
  return Number(version.rows[0]?.value ?? 0);
}

/**
 * Brings the schema to the last migration's version in one transaction, under an advisory lock so processes opening
 * a new store at once migrate it once; a crash mid-way leaves the old format intact. Returns the version found under the lock.
 */
export async function runPostgresMigrations(
  client: PoolClient,
  schema: string | undefined,
  stepwiseVersion: string,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<number> {
  const target = migrations.at(-1)?.version ?? 0;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`stepwise store ${schema ?? ''}`]);
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    const found = await readPostgresFormat(client);
    if (found >= target || found < 0) {
      await client.query('COMMIT');
      return found;
    }
    for (const migration of migrations) {
      if (migration.version <= found) continue;
      await migration.up(client);
    }
    const setMeta = 'INSERT INTO stepwise_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value';
    const keepMeta = 'INSERT INTO stepwise_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING';
    await client.query(setMeta, ['format_version', String(target)]);
    await client.query(setMeta, ['migrated_by_stepwise', stepwiseVersion]);
    await client.query(keepMeta, ['created_by_stepwise', stepwiseVersion]);
    await client.query(keepMeta, ['created_at', new Date().toISOString()]);
    await client.query('COMMIT');
    return found;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** A schema name as a SQL identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
