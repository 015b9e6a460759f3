import type { DatabaseSync } from 'node:sqlite';

/** One step of the SQLite file format: `up` turns a file of `version - 1` into `version`. Never edit a shipped one; add the next. */
export interface SqliteMigration {
  version: number;
  description: string;
  up(db: DatabaseSync): void;
}

// Format 1. JSON columns hold fields whose shape belongs to an environment or a component (state, action, spec, config).
const SCHEMA_V1 = `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE runs (
  seq INTEGER PRIMARY KEY,
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
  seed INTEGER NOT NULL,
  task_spec TEXT NOT NULL,
  stepwise_version TEXT NOT NULL,
  tags TEXT
);
CREATE INDEX runs_by_started_at ON runs (started_at);

CREATE TABLE tasks (
  seq INTEGER PRIMARY KEY,
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
  seq INTEGER PRIMARY KEY,
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
  reward REAL NOT NULL,
  step_check TEXT NOT NULL,
  terminal INTEGER NOT NULL,
  success INTEGER NOT NULL,
  duplicate_of TEXT,
  created_at INTEGER NOT NULL,
  stats_visits INTEGER,
  stats_value REAL,
  stats_selected INTEGER,
  stats_pruned TEXT
);
CREATE INDEX nodes_by_task ON nodes (run_id, task_id);

CREATE TABLE candidates (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  run_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  node_id TEXT NOT NULL,
  candidate_index INTEGER NOT NULL,
  action TEXT,
  text TEXT NOT NULL,
  proposer TEXT NOT NULL,
  prior REAL,
  invalid_reason TEXT,
  scores TEXT NOT NULL,
  value REAL
);
CREATE INDEX candidates_by_task ON candidates (run_id, task_id);

CREATE TABLE task_results (
  seq INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  stop_reason TEXT,
  solution_node_id TEXT,
  plan TEXT,
  expansions INTEGER NOT NULL,
  nodes INTEGER NOT NULL,
  wall_ms REAL NOT NULL,
  finished_at TEXT NOT NULL,
  UNIQUE (run_id, task_id)
);

CREATE TABLE run_ends (
  run_id TEXT PRIMARY KEY,
  finished_at TEXT NOT NULL,
  outcomes TEXT NOT NULL,
  wall_ms REAL NOT NULL,
  status TEXT NOT NULL
);
`;

// Format 2: every model call, sent or served from the cache. Rows of one task are read in seq order, and
// the cross-run request cache looks calls up by request hash (seq, the rowid, ends every index, so ORDER BY seq is free).
const MODEL_CALLS_V2 = `
CREATE TABLE model_calls (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  run_id TEXT NOT NULL,
  task_id TEXT,
  node_id TEXT,
  model TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  request TEXT,
  text TEXT,
  usage TEXT,
  latency_ms REAL NOT NULL,
  cache_hit INTEGER NOT NULL,
  cached_from TEXT,
  attempts INTEGER NOT NULL,
  error TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX model_calls_by_task ON model_calls (run_id, task_id);
CREATE INDEX model_calls_by_request_hash ON model_calls (request_hash);
`;

// Format 3: provenance and origin of runs (replay, fork, resume), and annotations attached to runs, tasks and nodes
// after the fact (credit, feedback, eval results). `target` joins task and node id so a missing one takes part in UNIQUE.
const ANNOTATIONS_V3 = `
ALTER TABLE runs ADD COLUMN provenance TEXT;
ALTER TABLE runs ADD COLUMN origin TEXT;
CREATE TABLE annotations (
  seq INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL,
  task_id TEXT,
  node_id TEXT,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  target TEXT NOT NULL,
  data TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (run_id, kind, target, key)
);
CREATE INDEX annotations_by_node ON annotations (run_id, node_id);
`;

// Format 4: who is writing a run (a lease that its owner renews), so a second process cannot resume it at the same time.
// Not records: leases are never read back as part of a run, copied or replayed.
const RUN_LEASES_V4 = `
CREATE TABLE run_leases (
  run_id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  since TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
`;

/** Every format step, in order; the last one's version is STORE_FORMAT_VERSION. */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  { version: 1, description: 'create the schema', up: (db) => db.exec(SCHEMA_V1) },
  { version: 2, description: 'record model calls (the cross-run request cache)', up: (db) => db.exec(MODEL_CALLS_V2) },
  { version: 3, description: 'run provenance and origin; annotations (credit, feedback, eval results)', up: (db) => db.exec(ANNOTATIONS_V3) },
  { version: 4, description: 'run leases (one writer per run)', up: (db) => db.exec(RUN_LEASES_V4) },
];

/**
 * The oldest format the reader reads as it is, so a read-only store (which cannot migrate) still opens it.
 * Format 1 lacks only the model_calls table and format 2 the annotations table, which read as empty, and the runs'
 * provenance and origin columns, which read as absent. Raise it when a migration changes a table the reader uses.
 */
export const OLDEST_FORMAT_READABLE_UNMIGRATED = 1;

/** The first format with a model_calls table. */
export const MODEL_CALLS_FORMAT = 2;

/** The first format with an annotations table. */
export const ANNOTATIONS_FORMAT = 3;

/** Format version in the file header (`PRAGMA user_version`); 0 for a new file. */
export function readFormatVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get();
  return Number(row?.user_version ?? 0);
}

/**
 * Brings a file from its version to the last migration's (STORE_FORMAT_VERSION) in one transaction, so a crash mid-way
 * leaves the old format intact. Returns the version found under the write lock, in case another
 * process migrated first.
 */
export function runSqliteMigrations(
  db: DatabaseSync,
  stepwiseVersion: string,
  migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS, // Tests pass a failing step to check the rollback.
): number {
  const target = migrations.at(-1)?.version ?? 0;
  db.exec('BEGIN IMMEDIATE');
  try {
    const found = readFormatVersion(db);
    if (found >= target) {
      db.exec('COMMIT');
      return found;
    }
    for (const migration of migrations) {
      if (migration.version <= found) continue;
      migration.up(db);
      db.exec(`PRAGMA user_version = ${migration.version}`);
    }
    const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    const keepMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING');
    setMeta.run('format_version', String(target));
    setMeta.run('migrated_by_stepwise', stepwiseVersion);
    keepMeta.run('created_by_stepwise', stepwiseVersion);
    keepMeta.run('created_at', new Date().toISOString());
    db.exec('COMMIT');
    return found;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
