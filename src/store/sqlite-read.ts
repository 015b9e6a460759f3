import type { DatabaseSync, SQLOutputValue } from 'node:sqlite';
import type {
  AnnotationFilter,
  AnnotationRecord,
  CandidateRecord,
  ModelCallRecord,
  NodeRecord,
  NodeStatsRecord,
  RunEndRecord,
  RunRecord,
  RunSummary,
  TaskRecord,
  TaskResultRecord,
} from './records.ts';
import type { RunLookup } from './run-query.ts';
import { ANNOTATIONS_FORMAT, MODEL_CALLS_FORMAT } from './sqlite-migrations.ts';
import { OUTLINE_TEXT_CHARS } from './store.ts';
import type { CandidateOutline, ModelCallTotals, NodeOutline, StoredNode, StoredTree, TreeOutline } from './store.ts';

type Row = Record<string, SQLOutputValue>;
type ArrayRow = SQLOutputValue[];

// Column order of the array rows; the decoders below destructure in the same order.
/** Also the Postgres store's column order (postgres/read.ts), so both decode rows with the decoders below. */
export const NODE_COLUMNS = `id, run_id, task_id, parent_id, depth, action, action_text, candidate_id, state, state_key, observation,
  reward, step_check, terminal, success, duplicate_of, created_at, stats_visits, stats_value, stats_selected, stats_pruned`;
export const NODE_STATS_AT = 17;
export const CANDIDATE_COLUMNS = 'id, run_id, task_id, node_id, candidate_index, action, text, proposer, prior, invalid_reason, scores, value';
/** Also the insert's column order (sqlite-write.ts). */
export const MODEL_CALL_COLUMNS = `id, run_id, task_id, node_id, model, request_hash, request, text, usage, latency_ms, cache_hit,
  cached_from, attempts, error, created_at`;

/** The queries behind the Store's reads, prepared once per open database. */
export interface SqliteReader extends RunLookup {
  newestRuns(limit: number | undefined): RunRecord[];
  summarize(run: RunRecord): RunSummary;
  tasks(runId: string): TaskRecord[];
  task(runId: string, taskId: string): TaskRecord | undefined;
  /** Undefined when the run has no such task. */
  tree(runId: string, taskId: string): StoredTree | undefined;
  /** Undefined when the run has no such task. Read in pages with a turn of the event loop between them, so a server stays responsive while a big tree loads. */
  outline(runId: string, taskId: string, limit: number | undefined): Promise<TreeOutline | undefined>;
  /** Undefined when the run has no such node. */
  node(runId: string, nodeId: string): StoredNode | undefined;
  modelCallTotals(runId: string): ModelCallTotals[];
  /** Every model call of the run in the order made. */
  modelCallsOfRun(runId: string): ModelCallRecord[];
  /** Changes when another connection commits (SQLite's data_version). */
  dataVersion(): number;
  /** The first successful sent call with this request hash, in any run. */
  servableModelCall(requestHash: string): ModelCallRecord | undefined;
  annotations(runId: string, filter: AnnotationFilter): AnnotationRecord[];
}

const NEWEST_FIRST = 'ORDER BY started_at DESC, seq DESC';

/** `formatVersion` is the file's; a read-only store may read a format 1 file, which has no model calls yet. */
export function defineSqliteReader(db: DatabaseSync, formatVersion: number): SqliteReader {
  const runsNewestFirst = db.prepare(`SELECT * FROM runs ${NEWEST_FIRST} LIMIT ?`);
  const runById = db.prepare('SELECT * FROM runs WHERE id = ?');
  const runsWithPrefix = db.prepare(`SELECT * FROM runs WHERE substr(id, 1, ?) = ? ${NEWEST_FIRST}`);
  const taskCount = db.prepare('SELECT count(*) AS tasks FROM tasks WHERE run_id = ?');
  const resultsOfRun = db.prepare('SELECT * FROM task_results WHERE run_id = ? ORDER BY seq');
  const endOfRun = db.prepare('SELECT * FROM run_ends WHERE run_id = ?');
  const tasksOfRun = db.prepare('SELECT * FROM tasks WHERE run_id = ? ORDER BY task_index, seq');
  const taskById = db.prepare('SELECT * FROM tasks WHERE run_id = ? AND task_id = ? ORDER BY seq LIMIT 1');
  const resultOfTask = db.prepare('SELECT * FROM task_results WHERE run_id = ? AND task_id = ?');
  // Trees can hold 100,000 nodes: rows as arrays are several times faster to build than rows as objects.
  const nodesOfTask = db.prepare(`SELECT ${NODE_COLUMNS} FROM nodes WHERE run_id = ? AND task_id = ? ORDER BY seq`);
  nodesOfTask.setReturnArrays(true);
  const candidatesOfTask = db.prepare(`SELECT ${CANDIDATE_COLUMNS} FROM candidates WHERE run_id = ? AND task_id = ? ORDER BY seq`);
  candidatesOfTask.setReturnArrays(true);
  const modelCalls = formatVersion >= MODEL_CALLS_FORMAT ? defineModelCallQueries(db) : undefined;
  const outlines = defineOutlineQueries(db);
  const nodeById = db.prepare(`SELECT ${NODE_COLUMNS} FROM nodes WHERE id = ? AND run_id = ?`);
  nodeById.setReturnArrays(true);
  const candidatesOfNode = db.prepare(`SELECT ${CANDIDATE_COLUMNS} FROM candidates WHERE run_id = ? AND task_id = ? AND node_id = ? ORDER BY seq`);
  candidatesOfNode.setReturnArrays(true);
  const dataVersion = db.prepare('PRAGMA data_version');
  const annotationsOfRun = formatVersion >= ANNOTATIONS_FORMAT
    ? db.prepare(`SELECT run_id, task_id, node_id, kind, key, data, created_at FROM annotations WHERE run_id = ?
      AND (? IS NULL OR kind = ? OR substr(kind, 1, length(?) + 1) = ? || '.')
      AND (? IS NULL OR task_id = ?) AND (? IS NULL OR node_id = ?) ORDER BY seq`)
    : undefined;

  // Integers as BigInt, so a seed beyond 2^53 written by an older stepwise reads as that one run's problem, not a RangeError for every run.
  for (const statement of [runsNewestFirst, runById, runsWithPrefix]) statement.setReadBigInts(true);
  const newestRuns = (limit: number | undefined) => runsNewestFirst.all(limit ?? -1).map(decodeRun);
  return {
    newestRuns,
    byId: (id) => decodeOptional(runById.get(id), decodeRun),
    newest: () => newestRuns(1)[0],
    // substr counts characters as JS code points do, so prefixes beyond ASCII match too.
    withPrefix: (prefix) => runsWithPrefix.all([...prefix].length, prefix).map(decodeRun),
    summarize(run) {
      return {
        run,
        end: decodeOptional(endOfRun.get(run.id), decodeRunEnd) ?? null,
        tasks: Number(taskCount.get(run.id)?.tasks ?? 0),
        results: resultsOfRun.all(run.id).map(decodeTaskResult),
      };
    },
    tasks: (runId) => tasksOfRun.all(runId).map(decodeTask),
    task: (runId, taskId) => decodeOptional(taskById.get(runId, taskId), decodeTask),
    tree(runId, taskId) {
      const task = decodeOptional(taskById.get(runId, taskId), decodeTask);
      if (!task) return undefined;
      const nodeRows = nodesOfTask.all(runId, taskId) as unknown as ArrayRow[];
      const stats = new Map<string, NodeStatsRecord>();
      for (const row of nodeRows) {
        if (row[NODE_STATS_AT] !== null) stats.set(row[0] as string, decodeStats(row));
      }
      return {
        task,
        result: decodeOptional(resultOfTask.get(runId, taskId), decodeTaskResult) ?? null,
        nodes: nodeRows.map(decodeNode),
        candidates: (candidatesOfTask.all(runId, taskId) as unknown as ArrayRow[]).map(decodeCandidate),
        stats,
        modelCalls: modelCalls?.ofTask(runId, taskId) ?? [],
      };
    },
    async outline(runId, taskId, limit) {
      const task = decodeOptional(taskById.get(runId, taskId), decodeTask);
      if (!task) return undefined;
      const result = decodeOptional(resultOfTask.get(runId, taskId), decodeTaskResult) ?? null;
      return { task, result, ...(await outlines.ofTask(runId, taskId, limit)) };
    },
    node(runId, nodeId) {
      const row = nodeById.get(nodeId, runId) as unknown as ArrayRow | undefined;
      if (row === undefined) return undefined;
      const node = decodeNode(row);
      return {
        node,
        stats: row[NODE_STATS_AT] === null ? null : decodeStats(row),
        candidates: (candidatesOfNode.all(runId, node.taskId, nodeId) as unknown as ArrayRow[]).map(decodeCandidate),
        modelCalls: modelCalls?.ofNode(runId, node.taskId, nodeId) ?? [],
      };
    },
    modelCallTotals: (runId) => modelCalls?.totals(runId) ?? [],
    modelCallsOfRun: (runId) => modelCalls?.ofRun(runId) ?? [],
    dataVersion: () => Number(dataVersion.get()?.data_version ?? 0),
    servableModelCall: (requestHash) => modelCalls?.servable(requestHash),
    annotations(runId, { kind, taskId, nodeId }) {
      if (!annotationsOfRun) return [];
      const k = kind ?? null;
      const t = taskId ?? null;
      const n = nodeId ?? null;
      return annotationsOfRun.all(runId, k, k, k, k, t, t, n, n).map(decodeAnnotation);
    },
  };
}

/** Rows per page of a whole-tree outline read: about 40 ms each, so other requests wait at most that long. */
const OUTLINE_PAGE = 10_000;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

// Only light columns, so laying out a 100,000-node tree reads no states, observations or scores.
function defineOutlineQueries(db: DatabaseSync) {
  // Keyset pages by seq: each page is its own statement run, so reads interleave safely with other queries.
  const nodes = db.prepare(`SELECT n.id, n.parent_id, n.depth, substr(n.action_text, 1, ${OUTLINE_TEXT_CHARS}), c.value, n.reward,
      json_extract(n.step_check, '$.valid'), n.terminal, n.success, n.duplicate_of, n.stats_visits, n.stats_value, n.stats_selected,
      n.stats_pruned, n.candidate_id, n.seq
    FROM nodes n LEFT JOIN candidates c ON c.id = n.candidate_id WHERE n.run_id = ? AND n.task_id = ? AND n.seq > ? ORDER BY n.seq LIMIT ?`);
  nodes.setReturnArrays(true);
  const nodeCount = db.prepare('SELECT count(*) AS nodes FROM nodes WHERE run_id = ? AND task_id = ?');
  const candidates = db.prepare(`SELECT id, node_id, candidate_index, substr(text, 1, ${OUTLINE_TEXT_CHARS}), invalid_reason, value, seq
    FROM candidates WHERE run_id = ? AND task_id = ? AND seq > ? ORDER BY seq LIMIT ?`);
  candidates.setReturnArrays(true);

  /** All rows of `statement` after seq, `pageSize` at a time (seq is the last column), pausing between pages. */
  async function* pages(statement: typeof nodes, runId: string, taskId: string, total: number): AsyncGenerator<ArrayRow[]> {
    let after = -1;
    for (let left = total; left > 0; ) {
      const size = Math.min(OUTLINE_PAGE, left);
      const rows = statement.all(runId, taskId, after, size) as unknown as ArrayRow[];
      if (rows.length === 0) return;
      yield rows;
      left -= rows.length;
      if (rows.length < size) return;
      after = rows[rows.length - 1][rows[0].length - 1] as number;
      await turn();
    }
  }

  return {
    async ofTask(runId: string, taskId: string, limit: number | undefined): Promise<{ nodes: NodeOutline[]; unexecuted: CandidateOutline[]; totalNodes: number }> {
      const executed = new Set<string>();
      const nodeOutlines: NodeOutline[] = [];
      for await (const page of pages(nodes, runId, taskId, limit ?? Infinity)) {
        for (const row of page) {
          const [id, parentId, depth, actionText, value, reward, valid, terminal, success, duplicateOf, visits, searchValue, selected, pruned, candidateId] = row;
          if (candidateId !== null) executed.add(candidateId as string);
          nodeOutlines.push({
            id: id as string,
            parentId: parentId as string | null,
            depth: depth as number,
            actionText: actionText as string | null,
            value: value as number | null,
            reward: reward as number,
            valid: valid === 1,
            terminal: terminal === 1,
            success: success === 1,
            duplicateOf: duplicateOf as string | null,
            visits: visits as number | null,
            searchValue: searchValue as number | null,
            selected: selected === 1,
            pruned: pruned as string | null,
          });
        }
      }
      const unexecuted: CandidateOutline[] = [];
      if (limit !== undefined) return { nodes: nodeOutlines, unexecuted, totalNodes: Number(nodeCount.get(runId, taskId)?.nodes ?? 0) };
      for await (const page of pages(candidates, runId, taskId, Infinity)) {
        for (const row of page) {
          const [id, nodeId, index, text, invalidReason, value] = row;
          if (executed.has(id as string)) continue;
          unexecuted.push({
            id: id as string,
            nodeId: nodeId as string,
            index: index as number,
            text: text as string,
            invalidReason: invalidReason as string | null,
            value: value as number | null,
          });
        }
      }
      return { nodes: nodeOutlines, unexecuted, totalNodes: nodeOutlines.length };
    },
  };
}

function defineModelCallQueries(db: DatabaseSync) {
  const callsOfTask = db.prepare(`SELECT ${MODEL_CALL_COLUMNS} FROM model_calls WHERE run_id = ? AND task_id = ? ORDER BY seq`);
  callsOfTask.setReturnArrays(true);
  const callsOfRun = db.prepare(`SELECT ${MODEL_CALL_COLUMNS} FROM model_calls WHERE run_id = ? ORDER BY seq`);
  callsOfRun.setReturnArrays(true);
  const callsOfNode = db.prepare(`SELECT ${MODEL_CALL_COLUMNS} FROM model_calls WHERE run_id = ? AND task_id = ? AND node_id = ? ORDER BY seq`);
  callsOfNode.setReturnArrays(true);
  const totalsOfRun = db.prepare(`SELECT task_id, count(*), sum(cache_hit), sum(error IS NOT NULL),
      coalesce(sum(json_extract(usage, '$.inputTokens')), 0), coalesce(sum(json_extract(usage, '$.outputTokens')), 0), sum(latency_ms)
    FROM model_calls WHERE run_id = ? GROUP BY task_id ORDER BY min(seq)`);
  totalsOfRun.setReturnArrays(true);
  const firstServable = db.prepare(`SELECT ${MODEL_CALL_COLUMNS} FROM model_calls
    WHERE request_hash = ? AND cache_hit = 0 AND error IS NULL ORDER BY seq LIMIT 1`);
  firstServable.setReturnArrays(true);
  return {
    ofTask: (runId: string, taskId: string) => (callsOfTask.all(runId, taskId) as unknown as ArrayRow[]).map(decodeModelCall),
    ofRun: (runId: string) => (callsOfRun.all(runId) as unknown as ArrayRow[]).map(decodeModelCall),
    ofNode: (runId: string, taskId: string, nodeId: string) =>
      (callsOfNode.all(runId, taskId, nodeId) as unknown as ArrayRow[]).map(decodeModelCall),
    totals: (runId: string): ModelCallTotals[] => (totalsOfRun.all(runId) as unknown as ArrayRow[]).map((row) => {
      const [taskId, calls, cacheHits, errors, inputTokens, outputTokens, latencyMs] = row;
      return {
        taskId: taskId as string | null,
        calls: Number(calls),
        cacheHits: Number(cacheHits),
        errors: Number(errors),
        inputTokens: Number(inputTokens),
        outputTokens: Number(outputTokens),
        latencyMs: Number(latencyMs),
      };
    }),
    servable(requestHash: string): ModelCallRecord | undefined {
      const row = firstServable.get(requestHash) as unknown as ArrayRow | undefined;
      return row === undefined ? undefined : decodeModelCall(row);
    },
  };
}

function decodeOptional<T>(row: Row | undefined, decode: (row: Row) => T): T | undefined {
  return row === undefined ? undefined : decode(row);
}

/** SQL NULL in a JSON column means the field was absent; so does a column an older format lacks (undefined). */
function parseJson(text: SQLOutputValue | undefined): any {
  return text === null || text === undefined ? undefined : JSON.parse(text as string);
}

// Absent optional fields come back as absent keys, not `undefined` values, like the memory store's copies.
function withoutUndefined<T extends object>(record: T): T {
  for (const key of Object.keys(record)) {
    if ((record as Record<string, unknown>)[key] === undefined) Reflect.deleteProperty(record, key);
  }
  return record;
}

export function decodeRun(row: Row): RunRecord {
  return withoutUndefined<RunRecord>({
    type: 'run',
    id: row.id as string,
    startedAt: row.started_at as string,
    env: { name: row.env_name as string, version: row.env_version as string },
    strategy: { name: row.strategy_name as string, config: parseJson(row.strategy_config) },
    proposer: withoutUndefined({ name: row.proposer_name as string, config: parseJson(row.proposer_config) }),
    scorers: parseJson(row.scorers),
    budget: parseJson(row.budget),
    // Beyond 2^53 the seed is kept approximately (not a safe integer), so replay, resume and fork refuse it by name.
    seed: Number(row.seed as bigint | number),
    taskSpec: row.task_spec as string,
    stepwiseVersion: row.stepwise_version as string,
    tags: parseJson(row.tags),
    provenance: parseJson(row.provenance),
    origin: parseJson(row.origin),
  });
}

export function decodeAnnotation(row: Row): AnnotationRecord {
  return withoutUndefined<AnnotationRecord>({
    type: 'annotation',
    runId: row.run_id as string,
    taskId: row.task_id as string | null,
    nodeId: row.node_id as string | null,
    kind: row.kind as string,
    key: row.key as string,
    data: parseJson(row.data),
    createdAt: row.created_at as number,
  });
}

export function decodeTask(row: Row): TaskRecord {
  return withoutUndefined<TaskRecord>({
    type: 'task',
    runId: row.run_id as string,
    taskId: row.task_id as string,
    index: row.task_index as number,
    source: row.source as string,
    spec: parseJson(row.spec),
    meta: parseJson(row.meta),
    goalText: row.goal_text as string,
    startedAt: row.started_at as string,
  });
}

export function decodeNode(row: ArrayRow): NodeRecord {
  const [id, runId, taskId, parentId, depth, action, actionText, candidateId, state, stateKey, observation,
    reward, check, terminal, success, duplicateOf, createdAt] = row;
  const node: NodeRecord = {
    type: 'node',
    runId: runId as string,
    taskId: taskId as string,
    id: id as string,
    parentId: parentId as string | null,
    depth: depth as number,
    action: parseJson(action),
    actionText: actionText as string | null,
    candidateId: candidateId as string | null,
    state: parseJson(state),
    stateKey: stateKey as string,
    observation: observation as string,
    reward: reward as number,
    check: parseJson(check),
    terminal: terminal === 1,
    success: success === 1,
    duplicateOf: duplicateOf as string | null,
    createdAt: createdAt as number,
  };
  return action === null || state === null ? withoutUndefined(node) : node;
}

export function decodeStats(row: ArrayRow): NodeStatsRecord {
  const [visits, value, selected, pruned] = row.slice(NODE_STATS_AT);
  return {
    type: 'node_stats',
    runId: row[1] as string,
    nodeId: row[0] as string,
    visits: visits as number,
    value: value as number | null,
    selected: selected === 1,
    pruned: pruned as string | null,
  };
}

export function decodeCandidate(row: ArrayRow): CandidateRecord {
  const [id, runId, taskId, nodeId, index, action, text, proposer, prior, invalidReason, scores, value] = row;
  const candidate: CandidateRecord = {
    type: 'candidate',
    runId: runId as string,
    taskId: taskId as string,
    id: id as string,
    nodeId: nodeId as string,
    index: index as number,
    action: parseJson(action),
    text: text as string,
    proposer: proposer as string,
    prior: prior as number | null,
    invalidReason: invalidReason as string | null,
    scores: parseJson(scores),
    value: value as number | null,
  };
  return action === null ? withoutUndefined(candidate) : candidate;
}

/** Also decodes a pending insert's parameters, which are in the same order. */
export function decodeModelCall(row: readonly SQLOutputValue[]): ModelCallRecord {
  const [id, runId, taskId, nodeId, model, requestHash, request, text, usage, latencyMs, cacheHit, cachedFrom, attempts, error, createdAt] = row;
  const call: ModelCallRecord = {
    type: 'model_call',
    runId: runId as string,
    taskId: taskId as string | null,
    nodeId: nodeId as string | null,
    id: id as string,
    model: model as string,
    requestHash: requestHash as string,
    request: parseJson(request),
    text: text as string | null,
    usage: parseJson(usage) ?? null,
    latencyMs: latencyMs as number,
    cacheHit: cacheHit === 1,
    cachedFrom: cachedFrom as string | null,
    attempts: attempts as number,
    error: error as string | null,
    createdAt: createdAt as number,
  };
  return request === null ? withoutUndefined(call) : call;
}

export function decodeTaskResult(row: Row): TaskResultRecord {
  return {
    type: 'task_result',
    runId: row.run_id as string,
    taskId: row.task_id as string,
    outcome: row.outcome as TaskResultRecord['outcome'],
    stopReason: row.stop_reason as string | null,
    solutionNodeId: row.solution_node_id as string | null,
    plan: parseJson(row.plan) ?? null,
    expansions: row.expansions as number,
    nodes: row.nodes as number,
    wallMs: row.wall_ms as number,
    finishedAt: row.finished_at as string,
  };
}

export function decodeRunEnd(row: Row): RunEndRecord {
  return {
    type: 'run_end',
    runId: row.run_id as string,
    finishedAt: row.finished_at as string,
    outcomes: parseJson(row.outcomes),
    wallMs: row.wall_ms as number,
    status: row.status as string,
  };
}
