import { StoreError } from '../core/errors.ts';
import type {
  CandidateRecord,
  NodeRecord,
  NodeStatsRecord,
  RunEndRecord,
  RunRecord,
  RunSummary,
  StoreRecord,
  TaskRecord,
  TaskResultRecord,
} from './records.ts';
import { ALREADY_RECORDED, describeRecord, missingNodeReason, rejectedRecordsError, unknownTypeReason } from './rejected-records.ts';
import type { RecordRejection } from './rejected-records.ts';
import { missingTaskError, resolveRunQuery, runLimit } from './run-query.ts';
import type { Store, StoredTree } from './store.ts';

export const MEMORY_LOCATION = ':memory:';

/**
 * A copy holding exactly what a SQLite store keeps (JSON values; undefined fields dropped), so
 * callers cannot change history through a record they still hold, and both backends read back alike.
 */
function copyRecord<T>(record: T): T {
  return JSON.parse(JSON.stringify(record)) as T;
}

function taskKey(runId: string, taskId: string): string {
  return `${runId}\u0000${taskId}`;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A Store in process memory, for tests and throwaway runs; behaves like the SQLite store. */
export function createMemoryStore(): Store {
  const runs = new Map<string, { run: RunRecord; seq: number }>();
  const ends = new Map<string, RunEndRecord>();
  const tasks = new Map<string, TaskRecord>();
  const tasksByRun = new Map<string, TaskRecord[]>();
  const results = new Map<string, TaskResultRecord>();
  const resultsByRun = new Map<string, TaskResultRecord[]>();
  const nodeRunIds = new Map<string, string>();
  const nodesByTask = new Map<string, NodeRecord[]>();
  const stats = new Map<string, NodeStatsRecord>();
  const candidateIds = new Set<string>();
  const candidatesByTask = new Map<string, CandidateRecord[]>();
  let rejections: RecordRejection[] = [];
  let closed = false;

  /** Keeps the record, or returns why it cannot be kept (the same reasons the SQLite store gives). */
  function keep(record: StoreRecord): string | undefined {
    switch (record.type) {
      case 'run':
        if (runs.has(record.id)) return ALREADY_RECORDED;
        runs.set(record.id, { run: record, seq: runs.size });
        return undefined;
      case 'task': {
        const key = taskKey(record.runId, record.taskId);
        if (tasks.has(key)) return ALREADY_RECORDED;
        tasks.set(key, record);
        pushTo(tasksByRun, record.runId, record);
        return undefined;
      }
      case 'node':
        if (nodeRunIds.has(record.id)) return ALREADY_RECORDED;
        nodeRunIds.set(record.id, record.runId);
        pushTo(nodesByTask, taskKey(record.runId, record.taskId), record);
        return undefined;
      case 'candidate':
        if (candidateIds.has(record.id)) return ALREADY_RECORDED;
        candidateIds.add(record.id);
        pushTo(candidatesByTask, taskKey(record.runId, record.taskId), record);
        return undefined;
      case 'node_stats':
        if (nodeRunIds.get(record.nodeId) !== record.runId) return missingNodeReason(record.nodeId, record.runId);
        stats.set(record.nodeId, record);
        return undefined;
      case 'task_result': {
        const key = taskKey(record.runId, record.taskId);
        if (results.has(key)) return ALREADY_RECORDED;
        results.set(key, record);
        pushTo(resultsByRun, record.runId, record);
        return undefined;
      }
      case 'run_end':
        if (ends.has(record.runId)) return ALREADY_RECORDED;
        ends.set(record.runId, record);
        return undefined;
      default:
        return unknownTypeReason();
    }
  }

  function assertOpen(action: string): void {
    if (closed) throw new StoreError(`Cannot ${action}: the store at ${MEMORY_LOCATION} is closed.`, { hint: 'Open the store again.' });
  }

  function takeWriteError(): StoreError | undefined {
    const error = rejections.length > 0 ? rejectedRecordsError(MEMORY_LOCATION, rejections) : undefined;
    rejections = [];
    return error;
  }

  function runsNewestFirst(): RunRecord[] {
    return [...runs.values()]
      .sort((a, b) => (a.run.startedAt === b.run.startedAt ? b.seq - a.seq : a.run.startedAt < b.run.startedAt ? 1 : -1))
      .map((entry) => entry.run);
  }

  function summarize(run: RunRecord): RunSummary {
    const end = ends.get(run.id);
    return {
      run: copyRecord(run),
      end: end ? copyRecord(end) : null,
      tasks: tasksByRun.get(run.id)?.length ?? 0,
      results: (resultsByRun.get(run.id) ?? []).map(copyRecord),
    };
  }

  function tasksOf(runId: string): TaskRecord[] {
    // Stable sort: equal indexes keep append order, as in SQLite's ORDER BY task_index, seq.
    return [...(tasksByRun.get(runId) ?? [])].sort((a, b) => a.index - b.index);
  }

  return {
    location: MEMORY_LOCATION,
    append(record) {
      if (closed) assertOpen(`append ${describeRecord(record)}`);
      try {
        const reason = keep(copyRecord(record));
        if (reason !== undefined) rejections.push({ label: describeRecord(record), reason });
      } catch (error) {
        // JSON.stringify throws on BigInt and cycles, as the SQLite store's encoding does.
        rejections.push({ label: describeRecord(record), reason: error instanceof Error ? error.message : String(error), cause: error });
      }
    },
    async flush() {
      assertOpen('flush');
      const error = takeWriteError();
      if (error) throw error;
    },
    async close() {
      if (closed) return;
      closed = true;
      const error = takeWriteError();
      if (error) throw error;
    },
    async listRuns(options = {}) {
      assertOpen('read');
      const limit = runLimit(options.limit);
      const newest = runsNewestFirst();
      return (limit === undefined ? newest : newest.slice(0, limit)).map(summarize);
    },
    async getRun(idOrPrefix) {
      assertOpen('read');
      const run = resolveRunQuery(idOrPrefix, MEMORY_LOCATION, {
        byId: (id) => runs.get(id)?.run,
        newest: () => runsNewestFirst()[0],
        withPrefix: (prefix) => runsNewestFirst().filter((candidate) => candidate.id.startsWith(prefix)),
      });
      return summarize(run);
    },
    async getTasks(runId) {
      assertOpen('read');
      return tasksOf(runId).map(copyRecord);
    },
    async getTree(runId, taskId): Promise<StoredTree> {
      assertOpen('read');
      const key = taskKey(runId, taskId);
      const task = tasks.get(key);
      if (!task) throw missingTaskError(MEMORY_LOCATION, runId, taskId, tasksOf(runId).map((known) => known.taskId));
      const nodes = nodesByTask.get(key) ?? [];
      const treeStats = new Map<string, NodeStatsRecord>();
      for (const node of nodes) {
        const nodeStats = stats.get(node.id);
        if (nodeStats) treeStats.set(node.id, copyRecord(nodeStats));
      }
      const result = results.get(key);
      return {
        task: copyRecord(task),
        result: result ? copyRecord(result) : null,
        nodes: nodes.map(copyRecord),
        candidates: (candidatesByTask.get(key) ?? []).map(copyRecord),
        stats: treeStats,
      };
    },
  };
}
