import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { annotationProblem, annotationTarget } from './annotations.ts';
import type { StoreRecord } from './records.ts';
import { ALREADY_RECORDED, describeRecord, missingNodeReason, unknownTypeReason } from './rejected-records.ts';
import type { RecordRejection } from './rejected-records.ts';
import { MODEL_CALL_COLUMNS } from './sqlite-read.ts';

/** A record turned into statement parameters at append time, so later changes by the caller cannot reach the file. */
export interface PendingWrite {
  type: StoreRecord['type'];
  label: string;
  params: SQLInputValue[];
  /** A sent, successful model call: the request hash it can answer while it waits in the batch. */
  servableHash?: string;
}

const WRITE_SQL: Record<StoreRecord['type'], string> = {
  run: `INSERT INTO runs (id, started_at, env_name, env_version, strategy_name, strategy_config, proposer_name,
    proposer_config, scorers, budget, seed, task_spec, stepwise_version, tags, provenance, origin)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  task: `INSERT INTO tasks (run_id, task_id, task_index, source, spec, meta, goal_text, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  node: `INSERT INTO nodes (id, run_id, task_id, parent_id, depth, action, action_text, candidate_id, state, state_key,
    observation, reward, step_check, terminal, success, duplicate_of, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  candidate: `INSERT INTO candidates (id, run_id, task_id, node_id, candidate_index, action, text, proposer, prior,
    invalid_reason, scores, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  node_stats: `UPDATE nodes SET stats_visits = ?, stats_value = ?, stats_selected = ?, stats_pruned = ? WHERE id = ? AND run_id = ?`,
  // A resumed run replaces the result of a task it was interrupted in, and its own end.
  task_result: `INSERT INTO task_results (run_id, task_id, outcome, stop_reason, solution_node_id, plan, expansions, nodes,
    wall_ms, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, task_id) DO UPDATE SET outcome = excluded.outcome,
    stop_reason = excluded.stop_reason, solution_node_id = excluded.solution_node_id, plan = excluded.plan, expansions = excluded.expansions,
    nodes = excluded.nodes, wall_ms = excluded.wall_ms, finished_at = excluded.finished_at`,
  run_end: `INSERT INTO run_ends (run_id, finished_at, outcomes, wall_ms, status) VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id) DO UPDATE
    SET finished_at = excluded.finished_at, outcomes = excluded.outcomes, wall_ms = excluded.wall_ms, status = excluded.status`,
  // In the reader's column order, so a pending call decodes like its row (see findModelCall).
  model_call: `INSERT INTO model_calls (${MODEL_CALL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  annotation: `INSERT INTO annotations (run_id, task_id, node_id, kind, key, target, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (run_id, kind, target, key) DO UPDATE SET data = excluded.data, created_at = excluded.created_at`,
};

/** JSON text for a JSON column; SQL NULL stands for an absent (undefined) value. */
function json(value: unknown): string | null {
  return value === undefined ? null : (JSON.stringify(value) ?? null);
}

function flag(value: boolean): number {
  return value ? 1 : 0;
}

/** Encodes one record; throws (to be reported as a rejection) when it cannot be stored. */
export function encodeRecord(record: StoreRecord): PendingWrite {
  const pending = encodeFields(record);
  // SQLite would keep such an integer, but reading it back fails (or rounds): one record must never make a store unreadable.
  const unsafe = pending.params.find((param) => typeof param === 'number' && Number.isInteger(param) && !Number.isSafeInteger(param));
  if (unsafe !== undefined) throw new Error(`it holds the number ${unsafe}, beyond ±(2^53 - 1), which could not be read back exactly`);
  return pending;
}

function encodeFields(record: StoreRecord): PendingWrite {
  const label = describeRecord(record);
  switch (record.type) {
    case 'run':
      return { type: record.type, label, params: [
        record.id, record.startedAt, record.env.name, record.env.version, record.strategy.name, json(record.strategy.config),
        record.proposer.name, json(record.proposer.config), json(record.scorers), json(record.budget), record.seed,
        record.taskSpec, record.stepwiseVersion, json(record.tags), json(record.provenance), json(record.origin),
      ] };
    case 'task':
      return { type: record.type, label, params: [
        record.runId, record.taskId, record.index, record.source, json(record.spec), json(record.meta), record.goalText, record.startedAt,
      ] };
    case 'node':
      return { type: record.type, label, params: [
        record.id, record.runId, record.taskId, record.parentId, record.depth, json(record.action), record.actionText,
        record.candidateId, json(record.state), record.stateKey, record.observation, record.reward, json(record.check),
        flag(record.terminal), flag(record.success), record.duplicateOf, record.createdAt,
      ] };
    case 'candidate':
      return { type: record.type, label, params: [
        record.id, record.runId, record.taskId, record.nodeId, record.index, json(record.action), record.text, record.proposer,
        record.prior, record.invalidReason, json(record.scores), record.value,
      ] };
    case 'node_stats':
      return { type: record.type, label, params: [
        record.visits, record.value, flag(record.selected), record.pruned, record.nodeId, record.runId,
      ] };
    case 'task_result':
      return { type: record.type, label, params: [
        record.runId, record.taskId, record.outcome, record.stopReason, record.solutionNodeId, json(record.plan),
        record.expansions, record.nodes, record.wallMs, record.finishedAt,
      ] };
    case 'run_end':
      return { type: record.type, label, params: [
        record.runId, record.finishedAt, json(record.outcomes), record.wallMs, record.status,
      ] };
    case 'model_call':
      return { type: record.type, label, servableHash: !record.cacheHit && record.error === null ? record.requestHash : undefined, params: [
        record.id, record.runId, record.taskId, record.nodeId, record.model, record.requestHash, json(record.request), record.text,
        json(record.usage), record.latencyMs, flag(record.cacheHit), record.cachedFrom, record.attempts, record.error, record.createdAt,
      ] };
    case 'annotation': {
      const problem = annotationProblem(record);
      if (problem) throw new Error(problem);
      return { type: record.type, label, params: [
        record.runId, record.taskId, record.nodeId, record.kind, record.key, annotationTarget(record), json(record.data), record.createdAt,
      ] };
    }
    default:
      throw new Error(unknownTypeReason());
  }
}

/** Writes batches of pending records, each batch in one transaction with prepared statements. */
export interface SqliteBatchWriter {
  /** Returns the records SQLite refused (the rest are committed); throws when the batch as a whole failed. */
  write(batch: readonly PendingWrite[]): RecordRejection[];
}

export function defineSqliteBatchWriter(db: DatabaseSync): SqliteBatchWriter {
  const statements = Object.fromEntries(
    Object.entries(WRITE_SQL).map(([type, sql]) => [type, db.prepare(sql)]),
  ) as Record<StoreRecord['type'], StatementSync>;
  return {
    write(batch) {
      const rejections: RecordRejection[] = [];
      db.exec('BEGIN IMMEDIATE');
      try {
        for (const pending of batch) {
          try {
            const { changes } = statements[pending.type].run(...pending.params);
            if (pending.type === 'node_stats' && Number(changes) === 0) {
              rejections.push({ label: pending.label, reason: missingNodeReason(String(pending.params[4]), String(pending.params[5])) });
            }
          } catch (error) {
            // A constraint failure undoes only its own statement; anything that ends the transaction fails the batch.
            if (!db.isTransaction) throw error;
            rejections.push({ label: pending.label, reason: rejectionReason(error), cause: error });
          }
        }
        db.exec('COMMIT');
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        throw error;
      }
      return rejections;
    },
  };
}

const SQLITE_CONSTRAINT = 19;

function rejectionReason(error: unknown): string {
  const errcode = Number((error as { errcode?: unknown }).errcode);
  const message = error instanceof Error ? error.message : String(error);
  if ((errcode & 0xff) === SQLITE_CONSTRAINT && message.includes('UNIQUE')) return ALREADY_RECORDED;
  if ((errcode & 0xff) === SQLITE_CONSTRAINT && message.includes('NOT NULL')) return `a required field is missing (${message})`;
  return message;
}
