import type { PoolClient } from 'pg';
import type { StoreRecord } from '../records.ts';
import { ALREADY_RECORDED, missingNodeReason } from '../rejected-records.ts';
import type { RecordRejection } from '../rejected-records.ts';
import type { PendingWrite } from '../sqlite-write.ts';

type Column = [name: string, type: 'text' | 'integer' | 'bigint' | 'double precision' | 'smallint'];
type AppendedType = 'run' | 'task' | 'node' | 'candidate' | 'model_call';
type ReplacedType = 'task_result' | 'run_end' | 'annotation';

const MODEL_CALL: Column[] = [
  ['id', 'text'], ['run_id', 'text'], ['task_id', 'text'], ['node_id', 'text'], ['model', 'text'], ['request_hash', 'text'], ['request', 'text'],
  ['text', 'text'], ['usage', 'text'], ['latency_ms', 'double precision'], ['cache_hit', 'smallint'], ['cached_from', 'text'], ['attempts', 'integer'],
  ['error', 'text'], ['created_at', 'bigint'],
];

// Columns in the order encodeRecord (sqlite-write.ts) lays out each record's parameters; `key` names what makes a row unique.
const APPENDED: Record<AppendedType, { table: string; columns: Column[]; key: string[] }> = {
  run: {
    table: 'runs',
    columns: [
      ['id', 'text'], ['started_at', 'text'], ['env_name', 'text'], ['env_version', 'text'], ['strategy_name', 'text'], ['strategy_config', 'text'],
      ['proposer_name', 'text'], ['proposer_config', 'text'], ['scorers', 'text'], ['budget', 'text'], ['seed', 'bigint'], ['task_spec', 'text'],
      ['stepwise_version', 'text'], ['tags', 'text'], ['provenance', 'text'], ['origin', 'text'],
    ],
    key: ['id'],
  },
  task: {
    table: 'tasks',
    columns: [
      ['run_id', 'text'], ['task_id', 'text'], ['task_index', 'integer'], ['source', 'text'], ['spec', 'text'], ['meta', 'text'], ['goal_text', 'text'],
      ['started_at', 'text'],
    ],
    key: ['run_id', 'task_id'],
  },
  node: {
    table: 'nodes',
    columns: [
      ['id', 'text'], ['run_id', 'text'], ['task_id', 'text'], ['parent_id', 'text'], ['depth', 'integer'], ['action', 'text'], ['action_text', 'text'],
      ['candidate_id', 'text'], ['state', 'text'], ['state_key', 'text'], ['observation', 'text'], ['reward', 'double precision'], ['step_check', 'text'],
      ['terminal', 'smallint'], ['success', 'smallint'], ['duplicate_of', 'text'], ['created_at', 'bigint'],
    ],
    key: ['id'],
  },
  candidate: {
    table: 'candidates',
    columns: [
      ['id', 'text'], ['run_id', 'text'], ['task_id', 'text'], ['node_id', 'text'], ['candidate_index', 'integer'], ['action', 'text'], ['text', 'text'],
      ['proposer', 'text'], ['prior', 'double precision'], ['invalid_reason', 'text'], ['scores', 'text'], ['value', 'double precision'],
    ],
    key: ['id'],
  },
  model_call: { table: 'model_calls', columns: MODEL_CALL, key: ['id'] },
};

// A later record with the same key replaces the earlier one's data and keeps its place (seq).
const REPLACED: Record<ReplacedType, { table: string; columns: Column[]; key: string[]; replaced: string[] }> = {
  task_result: {
    table: 'task_results',
    columns: [
      ['run_id', 'text'], ['task_id', 'text'], ['outcome', 'text'], ['stop_reason', 'text'], ['solution_node_id', 'text'], ['plan', 'text'],
      ['expansions', 'integer'], ['nodes', 'integer'], ['wall_ms', 'double precision'], ['finished_at', 'text'],
    ],
    key: ['run_id', 'task_id'],
    replaced: ['outcome', 'stop_reason', 'solution_node_id', 'plan', 'expansions', 'nodes', 'wall_ms', 'finished_at'],
  },
  run_end: {
    table: 'run_ends',
    columns: [['run_id', 'text'], ['finished_at', 'text'], ['outcomes', 'text'], ['wall_ms', 'double precision'], ['status', 'text']],
    key: ['run_id'],
    replaced: ['finished_at', 'outcomes', 'wall_ms', 'status'],
  },
  annotation: {
    table: 'annotations',
    columns: [
      ['run_id', 'text'], ['task_id', 'text'], ['node_id', 'text'], ['kind', 'text'], ['key', 'text'], ['target', 'text'], ['data', 'text'],
      ['created_at', 'bigint'],
    ],
    key: ['run_id', 'kind', 'target', 'key'],
    replaced: ['data', 'created_at'],
  },
};

const STATS_COLUMNS: Column[] = [['visits', 'integer'], ['value', 'double precision'], ['selected', 'smallint'], ['pruned', 'text'], ['id', 'text'], ['run_id', 'text']];

/** One statement for any number of rows: each column is one array parameter, unnested in the rows' order. */
function unnestRows(columns: Column[]): string {
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  return `SELECT ${columns.map(([name]) => `r.${name}`).join(', ')} FROM unnest(${arrays}) WITH ORDINALITY AS r(${columns.map(([name]) => name).join(', ')}, ord) ORDER BY r.ord`;
}

function columnArrays(columns: Column[], rows: readonly PendingWrite[]): unknown[][] {
  return columns.map((_, i) => rows.map((row) => row.params[i] ?? null));
}

const APPEND_SQL = Object.fromEntries(Object.entries(APPENDED).map(([type, { table, columns, key }]) => [type,
  `INSERT INTO ${table} (${columns.map(([name]) => name).join(', ')}) ${unnestRows(columns)} ON CONFLICT DO NOTHING RETURNING ${key.join(', ')}`,
])) as Record<AppendedType, string>;

const REPLACE_SQL = Object.fromEntries(Object.entries(REPLACED).map(([type, { table, columns, key, replaced }]) => [type,
  `INSERT INTO ${table} (${columns.map(([name]) => name).join(', ')}) ${unnestRows(columns)}
   ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${replaced.map((name) => `${name} = excluded.${name}`).join(', ')}`,
])) as Record<ReplacedType, string>;

const STATS_SQL = `UPDATE nodes n SET stats_visits = s.visits, stats_value = s.value, stats_selected = s.selected, stats_pruned = s.pruned
  FROM (${unnestRows(STATS_COLUMNS)}) s WHERE n.id = s.id AND n.run_id = s.run_id RETURNING n.id, n.run_id`;

/** The key of a pending row as text, from its parameters. */
function keyOf(columns: Column[], key: string[], params: readonly unknown[]): string {
  return JSON.stringify(key.map((name) => params[columns.findIndex(([column]) => column === name)]));
}

// Appended rows first, so stats and results in the same batch find their node; each table keeps its own append order.
const WRITE_ORDER: StoreRecord['type'][] = ['run', 'task', 'node', 'candidate', 'model_call', 'node_stats', 'task_result', 'run_end', 'annotation'];

/**
 * Writes one batch inside the caller's transaction, one statement per record type, and returns the records refused
 * (duplicates, stats of unknown nodes). Throws when a statement fails as a whole; `writeOneByOne` then finds the culprit.
 */
export async function writeBatchRows(client: PoolClient, batch: readonly PendingWrite[]): Promise<RecordRejection[]> {
  const rejections: RecordRejection[] = [];
  const byType = new Map<StoreRecord['type'], PendingWrite[]>();
  for (const pending of batch) {
    const list = byType.get(pending.type);
    if (list) list.push(pending);
    else byType.set(pending.type, [pending]);
  }
  for (const type of WRITE_ORDER) {
    const rows = byType.get(type);
    if (!rows) continue;
    if (type === 'node_stats') rejections.push(...(await writeStats(client, rows)));
    else if (type in APPENDED) rejections.push(...(await appendRows(client, type as AppendedType, rows)));
    else await replaceRows(client, type as ReplacedType, rows);
  }
  return rejections;
}

async function appendRows(client: PoolClient, type: AppendedType, rows: PendingWrite[]): Promise<RecordRejection[]> {
  const { columns, key } = APPENDED[type];
  const result = await client.query({ text: APPEND_SQL[type], values: columnArrays(columns, rows), rowMode: 'array' });
  // Each inserted key answers the first pending row with it; the others were recorded before (here or in another process).
  const inserted = new Set(result.rows.map((row: unknown[]) => JSON.stringify(row)));
  const rejections: RecordRejection[] = [];
  for (const row of rows) {
    const rowKey = keyOf(columns, key, row.params);
    if (inserted.delete(rowKey)) continue;
    rejections.push({ label: row.label, reason: ALREADY_RECORDED });
  }
  return rejections;
}

async function replaceRows(client: PoolClient, type: ReplacedType, rows: PendingWrite[]): Promise<void> {
  const { columns, key } = REPLACED[type];
  // One statement cannot update a row twice: rows with one key collapse to the last one's data, at the first one's place
  // (a Map keeps a key where it was first set).
  const byKey = new Map<string, PendingWrite>();
  for (const row of rows) byKey.set(keyOf(columns, key, row.params), row);
  const collapsed = [...byKey.values()];
  await client.query({ text: REPLACE_SQL[type], values: columnArrays(columns, collapsed) });
}

async function writeStats(client: PoolClient, rows: PendingWrite[]): Promise<RecordRejection[]> {
  // Stats replace a node's columns: only the last of a node's stats in the batch matters (an UPDATE touches a row once).
  const last = new Map<string, PendingWrite>();
  for (const row of rows) last.set(JSON.stringify([row.params[4], row.params[5]]), row);
  const result = await client.query({ text: STATS_SQL, values: columnArrays(STATS_COLUMNS, [...last.values()]), rowMode: 'array' });
  const found = new Set(result.rows.map((row: unknown[]) => JSON.stringify(row)));
  return rows
    .filter((row) => !found.has(JSON.stringify([row.params[4], row.params[5]])))
    .map((row) => ({ label: row.label, reason: missingNodeReason(String(row.params[4]), String(row.params[5])) }));
}

/** After a batch failed as a whole: each record in its own savepoint, so one bad record is refused and the others kept. */
export async function writeOneByOne(client: PoolClient, batch: readonly PendingWrite[]): Promise<RecordRejection[]> {
  const rejections: RecordRejection[] = [];
  for (const pending of batch) {
    await client.query('SAVEPOINT one_record');
    try {
      rejections.push(...(await writeBatchRows(client, [pending])));
      await client.query('RELEASE SAVEPOINT one_record');
    } catch (error) {
      await client.query('ROLLBACK TO SAVEPOINT one_record');
      rejections.push({ label: pending.label, reason: rejectionReason(error), cause: error });
    }
  }
  return rejections;
}

const NOT_NULL_VIOLATION = '23502';

function rejectionReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if ((error as { code?: unknown }).code === NOT_NULL_VIOLATION) return `a required field is missing (${message})`;
  return message;
}
