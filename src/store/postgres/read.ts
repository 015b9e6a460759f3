import type { Pool } from 'pg';
import type { SQLOutputValue } from 'node:sqlite';
import type { AnnotationFilter, AnnotationRecord, ModelCallRecord, NodeStatsRecord, RunSummary, TaskRecord } from '../records.ts';
import {
  CANDIDATE_COLUMNS,
  decodeAnnotation,
  decodeCandidate,
  decodeModelCall,
  decodeNode,
  decodeRun,
  decodeRunEnd,
  decodeStats,
  decodeTask,
  decodeTaskResult,
  MODEL_CALL_COLUMNS,
  NODE_COLUMNS,
  NODE_STATS_AT,
} from '../sqlite-read.ts';
import { OUTLINE_TEXT_CHARS } from '../store.ts';
import type { CandidateOutline, NodeOutline, StoredNode, StoredTree, TreeOutline } from '../store.ts';

type Row = Record<string, SQLOutputValue>;
type ArrayRow = SQLOutputValue[];

/** The Postgres store's reads: the same rows as SQLite's, decoded by the same decoders. */
export function definePostgresReader(pool: Pool) {
  async function objects(text: string, values: unknown[]): Promise<Row[]> {
    return (await pool.query(text, values)).rows as Row[];
  }
  async function arrays(text: string, values: unknown[]): Promise<ArrayRow[]> {
    return (await pool.query({ text, values, rowMode: 'array' })).rows as ArrayRow[];
  }

  return {
    async runs(limit: number | undefined, idPrefix: string | undefined): Promise<RunSummary[]> {
      const runs = await objects(`SELECT r.*, (SELECT count(*) FROM tasks t WHERE t.run_id = r.id) AS task_count FROM runs r
        WHERE ($1::text IS NULL OR starts_with(r.id, $1)) ORDER BY r.started_at DESC, r.seq DESC LIMIT $2`, [idPrefix ?? null, limit ?? null]);
      if (runs.length === 0) return [];
      const ids = runs.map((row) => row.id);
      const [results, ends] = await Promise.all([
        objects('SELECT * FROM task_results WHERE run_id = ANY($1) ORDER BY seq', [ids]),
        objects('SELECT * FROM run_ends WHERE run_id = ANY($1)', [ids]),
      ]);
      return runs.map((row) => ({
        run: decodeRun(row),
        end: ((end) => (end ? decodeRunEnd(end) : null))(ends.find((end) => end.run_id === row.id)),
        tasks: Number(row.task_count),
        results: results.filter((result) => result.run_id === row.id).map(decodeTaskResult),
      }));
    },
    async tasks(runId: string): Promise<TaskRecord[]> {
      return (await objects('SELECT * FROM tasks WHERE run_id = $1 ORDER BY task_index, seq', [runId])).map(decodeTask);
    },
    async task(runId: string, taskId: string): Promise<TaskRecord | null> {
      const rows = await objects('SELECT * FROM tasks WHERE run_id = $1 AND task_id = $2 ORDER BY seq LIMIT 1', [runId, taskId]);
      return rows.length === 0 ? null : decodeTask(rows[0]);
    },
    /** Undefined when the run has no such task. */
    async tree(runId: string, taskId: string): Promise<StoredTree | undefined> {
      const [task, result, nodeRows, candidateRows, callRows] = await Promise.all([
        objects('SELECT * FROM tasks WHERE run_id = $1 AND task_id = $2', [runId, taskId]),
        objects('SELECT * FROM task_results WHERE run_id = $1 AND task_id = $2', [runId, taskId]),
        arrays(`SELECT ${NODE_COLUMNS} FROM nodes WHERE run_id = $1 AND task_id = $2 ORDER BY seq`, [runId, taskId]),
        arrays(`SELECT ${CANDIDATE_COLUMNS} FROM candidates WHERE run_id = $1 AND task_id = $2 ORDER BY seq`, [runId, taskId]),
        arrays(`SELECT ${MODEL_CALL_COLUMNS} FROM model_calls WHERE run_id = $1 AND task_id = $2 ORDER BY seq`, [runId, taskId]),
      ]);
      if (task.length === 0) return undefined;
      const stats = new Map<string, NodeStatsRecord>();
      for (const row of nodeRows) if (row[NODE_STATS_AT] !== null) stats.set(row[0] as string, decodeStats(row));
      return {
        task: decodeTask(task[0]),
        result: result.length === 0 ? null : decodeTaskResult(result[0]),
        nodes: nodeRows.map(decodeNode),
        candidates: candidateRows.map(decodeCandidate),
        stats,
        modelCalls: callRows.map(decodeModelCall),
      };
    },
    /** Undefined when the run has no such task. Only light columns: laying out a big tree reads no states or scores. */
    async outline(runId: string, taskId: string, limit: number | undefined): Promise<TreeOutline | undefined> {
      const [task, result, nodeRows, count, candidateRows] = await Promise.all([
        objects('SELECT * FROM tasks WHERE run_id = $1 AND task_id = $2', [runId, taskId]),
        objects('SELECT * FROM task_results WHERE run_id = $1 AND task_id = $2', [runId, taskId]),
        arrays(`SELECT n.id, n.parent_id, n.depth, left(n.action_text, ${OUTLINE_TEXT_CHARS}), c.value, n.reward,
            (n.step_check::json->>'valid')::boolean, n.terminal, n.success, n.duplicate_of, n.stats_visits, n.stats_value, n.stats_selected,
            n.stats_pruned, n.candidate_id
          FROM nodes n LEFT JOIN candidates c ON c.id = n.candidate_id WHERE n.run_id = $1 AND n.task_id = $2 ORDER BY n.seq LIMIT $3`, [runId, taskId, limit ?? null]),
        objects('SELECT count(*) AS nodes FROM nodes WHERE run_id = $1 AND task_id = $2', [runId, taskId]),
        // A cut outline is a first look: no unexecuted candidates (TreeOutlineOptions).
        limit !== undefined ? Promise.resolve([]) : arrays(`SELECT c.id, c.node_id, c.candidate_index, left(c.text, ${OUTLINE_TEXT_CHARS}), c.invalid_reason, c.value
          FROM candidates c WHERE c.run_id = $1 AND c.task_id = $2
          AND NOT EXISTS (SELECT 1 FROM nodes n WHERE n.candidate_id = c.id AND n.run_id = $1 AND n.task_id = $2) ORDER BY c.seq`, [runId, taskId]),
      ]);
      if (task.length === 0) return undefined;
      const nodes = nodeRows.map(([id, parentId, depth, actionText, value, reward, valid, terminal, success, duplicateOf, visits, searchValue, selected, pruned]): NodeOutline => ({
        id: id as string,
        parentId: parentId as string | null,
        depth: depth as number,
        actionText: actionText as string | null,
        value: value as number | null,
        reward: reward as number,
        valid: (valid as unknown) === true,
        terminal: terminal === 1,
        success: success === 1,
        duplicateOf: duplicateOf as string | null,
        visits: visits as number | null,
        searchValue: searchValue as number | null,
        selected: selected === 1,
        pruned: pruned as string | null,
      }));
      const unexecuted = candidateRows.map(([id, nodeId, index, text, invalidReason, value]): CandidateOutline => ({
        id: id as string,
        nodeId: nodeId as string,
        index: index as number,
        text: text as string,
        invalidReason: invalidReason as string | null,
        value: value as number | null,
      }));
      return {
        task: decodeTask(task[0]),
        result: result.length === 0 ? null : decodeTaskResult(result[0]),
        nodes,
        unexecuted,
        totalNodes: Number(count[0].nodes),
      };
    },
    async node(runId: string, nodeId: string): Promise<StoredNode | null> {
      const [row] = await arrays(`SELECT ${NODE_COLUMNS} FROM nodes WHERE id = $1 AND run_id = $2`, [nodeId, runId]);
      if (row === undefined) return null;
      const [candidates, calls] = await Promise.all([
        arrays(`SELECT ${CANDIDATE_COLUMNS} FROM candidates WHERE run_id = $1 AND node_id = $2 ORDER BY seq`, [runId, nodeId]),
        arrays(`SELECT ${MODEL_CALL_COLUMNS} FROM model_calls WHERE run_id = $1 AND task_id = $2 AND node_id = $3 ORDER BY seq`, [runId, row[2], nodeId]),
      ]);
      return {
        node: decodeNode(row),
        stats: row[NODE_STATS_AT] === null ? null : decodeStats(row),
        candidates: candidates.map(decodeCandidate),
        modelCalls: calls.map(decodeModelCall),
      };
    },
    async modelCalls(runId: string): Promise<ModelCallRecord[]> {
      return (await arrays(`SELECT ${MODEL_CALL_COLUMNS} FROM model_calls WHERE run_id = $1 ORDER BY seq`, [runId])).map(decodeModelCall);
    },
    async servableModelCall(requestHash: string): Promise<ModelCallRecord | undefined> {
      const [row] = await arrays(`SELECT ${MODEL_CALL_COLUMNS} FROM model_calls
        WHERE request_hash = $1 AND cache_hit = 0 AND error IS NULL ORDER BY seq LIMIT 1`, [requestHash]);
      return row === undefined ? undefined : decodeModelCall(row);
    },
    async annotations(runId: string, { kind, taskId, nodeId }: AnnotationFilter): Promise<AnnotationRecord[]> {
      const rows = await objects(`SELECT run_id, task_id, node_id, kind, key, data, created_at FROM annotations WHERE run_id = $1
        AND ($2::text IS NULL OR kind = $2 OR starts_with(kind, $2 || '.'))
        AND ($3::text IS NULL OR task_id = $3) AND ($4::text IS NULL OR node_id = $4) ORDER BY seq`, [runId, kind ?? null, taskId ?? null, nodeId ?? null]);
      return rows.map(decodeAnnotation);
    },
    async changeMark(): Promise<string> {
      const [row] = await objects('SELECT last_value, is_called FROM stepwise_change_mark', []);
      return row.is_called ? String(row.last_value) : '0';
    },
  };
}
