import { StoreError } from '../core/errors.ts';
import { annotationProblem, annotationTarget } from './annotations.ts';
import type {
  AnnotationRecord,
  CandidateRecord,
  ModelCallRecord,
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
import { defineStore } from './queries.ts';
import { missingTaskError, runLimit } from './run-query.ts';
import type { Store, StoredTree } from './store.ts';
import { claimWins, leaseOfClaim, type RunLease } from './lease.ts';

export const MEMORY_LOCATION = ':memory:';

/**
 * A record as JSON: exactly what a SQLite store keeps (undefined fields dropped), so callers cannot
 * change history through a record they still hold, and both backends read back alike.
 */
type Snapshot<T> = string & { readonly record?: T }; // The phantom field only remembers the record type.

function snapshotOf<T extends StoreRecord>(record: T): Snapshot<T> {
  return JSON.stringify(record) as Snapshot<T>;
}

/** A fresh copy per read, so readers cannot change what the store holds either. */
function readSnapshot<T>(snapshot: Snapshot<T>): T {
  return JSON.parse(snapshot) as T;
}

/** Run and task records are kept parsed (reads sort and match on them); readers get a copy. */
function copyRecord<T>(record: T): T {
  return JSON.parse(JSON.stringify(record)) as T;
}

function taskKey(runId: string, taskId: string): string {
  return `${runId}\u0000${taskId}`;
}

/** Records listed per (run, task), keyed by the id strings themselves so a hot append builds no key. */
function defineTaskLists<T>() {
  const byRun = new Map<string, Map<string, T[]>>();
  return {
    push(runId: string, taskId: string, value: T): void {
      let byTask = byRun.get(runId);
      if (!byTask) byRun.set(runId, (byTask = new Map()));
      pushTo(byTask, taskId, value);
    },
    get: (runId: string, taskId: string): readonly T[] => byRun.get(runId)?.get(taskId) ?? [],
  };
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A Store in process memory, for tests and throwaway runs; behaves like the SQLite store. */
export function createMemoryStore(): Store {
  const runs = new Map<string, { run: RunRecord; seq: number }>();
  const ends = new Map<string, Snapshot<RunEndRecord>>();
  const tasks = new Map<string, TaskRecord>();
  const tasksByRun = new Map<string, TaskRecord[]>();
  // Bulky, write-mostly records stay as JSON until read.
  const results = new Map<string, Snapshot<TaskResultRecord>>();
  const resultsByRun = new Map<string, Snapshot<TaskResultRecord>[]>();
  // Per node id, its run (candidates and stats must name it) and its snapshot (getNode).
  const nodesById = new Map<string, { runId: string; snapshot: Snapshot<NodeRecord> }>();
  const nodesByTask = defineTaskLists<Snapshot<NodeRecord>>();
  const stats = new Map<string, Snapshot<NodeStatsRecord>>();
  const candidateIds = new Set<string>();
  const candidatesByTask = defineTaskLists<Snapshot<CandidateRecord>>();
  const modelCallIds = new Set<string>();
  const modelCallsByTask = defineTaskLists<Snapshot<ModelCallRecord>>();
  // The request cache: the first successful sent call per request hash.
  const servableModelCalls = new Map<string, Snapshot<ModelCallRecord>>();
  // Per run, keyed by kind, target and key: a replacement keeps its first position, as SQLite's upsert keeps its seq.
  const annotationsByRun = new Map<string, Map<string, Snapshot<AnnotationRecord>>>();
  const modelCallsByRun = new Map<string, Snapshot<ModelCallRecord>[]>();
  let rejections: RecordRejection[] = [];
  let closed = false;
  let recordsKept = 0;

  /**
   * Keeps the record's snapshot, or returns why it cannot be kept (the same reasons the SQLite
   * store gives). Ids are read from `record` itself: they are strings, so the snapshot has the same.
   */
  function keep(record: StoreRecord, snapshot: Snapshot<StoreRecord>): string | undefined {
    switch (record.type) {
      case 'run':
        if (runs.has(record.id)) return ALREADY_RECORDED;
        runs.set(record.id, { run: readSnapshot(snapshot as Snapshot<RunRecord>), seq: runs.size });
        return undefined;
      case 'task': {
        const key = taskKey(record.runId, record.taskId);
        if (tasks.has(key)) return ALREADY_RECORDED;
        const task = readSnapshot(snapshot as Snapshot<TaskRecord>);
        tasks.set(key, task);
        pushTo(tasksByRun, record.runId, task);
        return undefined;
      }
      case 'node':
        if (nodesById.has(record.id)) return ALREADY_RECORDED;
        nodesById.set(record.id, { runId: record.runId, snapshot: snapshot as Snapshot<NodeRecord> });
        nodesByTask.push(record.runId, record.taskId, snapshot as Snapshot<NodeRecord>);
        return undefined;
      case 'candidate':
        if (candidateIds.has(record.id)) return ALREADY_RECORDED;
        candidateIds.add(record.id);
        candidatesByTask.push(record.runId, record.taskId, snapshot as Snapshot<CandidateRecord>);
        return undefined;
      case 'node_stats':
        if (nodesById.get(record.nodeId)?.runId !== record.runId) return missingNodeReason(record.nodeId, record.runId);
        stats.set(record.nodeId, snapshot as Snapshot<NodeStatsRecord>);
        return undefined;
      case 'task_result': {
        // A resumed run replaces the result of a task it was interrupted in, in place.
        const key = taskKey(record.runId, record.taskId);
        const earlier = results.get(key);
        results.set(key, snapshot as Snapshot<TaskResultRecord>);
        const list = resultsByRun.get(record.runId);
        if (earlier !== undefined && list) list[list.indexOf(earlier)] = snapshot as Snapshot<TaskResultRecord>;
        else pushTo(resultsByRun, record.runId, snapshot as Snapshot<TaskResultRecord>);
        return undefined;
      }
      case 'run_end':
        ends.set(record.runId, snapshot as Snapshot<RunEndRecord>);
        return undefined;
      case 'model_call': {
        if (modelCallIds.has(record.id)) return ALREADY_RECORDED;
        modelCallIds.add(record.id);
        const call = snapshot as Snapshot<ModelCallRecord>;
        // A call outside any task belongs to no tree, but may still answer the cache.
        if (record.taskId !== null) modelCallsByTask.push(record.runId, record.taskId, call);
        pushTo(modelCallsByRun, record.runId, call);
        if (!record.cacheHit && record.error === null && !servableModelCalls.has(record.requestHash)) {
          servableModelCalls.set(record.requestHash, call);
        }
        return undefined;
      }
      case 'annotation': {
        const problem = annotationProblem(record);
        if (problem) return problem;
        let ofRun = annotationsByRun.get(record.runId);
        if (!ofRun) annotationsByRun.set(record.runId, (ofRun = new Map()));
        ofRun.set(JSON.stringify([record.kind, annotationTarget(record), record.key]), snapshot as Snapshot<AnnotationRecord>);
        return undefined;
      }
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
      end: end ? readSnapshot(end) : null,
      tasks: tasksByRun.get(run.id)?.length ?? 0,
      results: (resultsByRun.get(run.id) ?? []).map(readSnapshot),
    };
  }

  function tasksOf(runId: string): TaskRecord[] {
    // Stable sort: equal indexes keep append order, as in SQLite's ORDER BY task_index, seq.
    return [...(tasksByRun.get(runId) ?? [])].sort((a, b) => a.index - b.index);
  }

  const leases = new Map<string, RunLease>();

  return defineStore({
    location: MEMORY_LOCATION,
    append(record) {
      if (closed) assertOpen(`append ${describeRecord(record)}`);
      try {
        const reason = keep(record, snapshotOf(record));
        if (reason !== undefined) rejections.push({ label: describeRecord(record), reason });
        else recordsKept++;
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
      const { idPrefix } = options;
      const newest = idPrefix === undefined ? runsNewestFirst() : runsNewestFirst().filter((run) => run.id.startsWith(idPrefix));
      return (limit === undefined ? newest : newest.slice(0, limit)).map(summarize);
    },
    async getTasks(runId) {
      assertOpen('read');
      return tasksOf(runId).map(copyRecord);
    },
    async getTask(runId, taskId) {
      assertOpen('read');
      const task = tasks.get(taskKey(runId, taskId));
      return task ? copyRecord(task) : null;
    },
    async getTree(runId, taskId): Promise<StoredTree> {
      assertOpen('read');
      const key = taskKey(runId, taskId);
      const task = tasks.get(key);
      if (!task) throw missingTaskError(MEMORY_LOCATION, runId, taskId, tasksOf(runId).map((known) => known.taskId));
      const nodes = nodesByTask.get(runId, taskId).map(readSnapshot);
      const treeStats = new Map<string, NodeStatsRecord>();
      for (const node of nodes) {
        const nodeStats = stats.get(node.id);
        if (nodeStats) treeStats.set(node.id, readSnapshot(nodeStats));
      }
      const result = results.get(key);
      return {
        task: copyRecord(task),
        result: result ? readSnapshot(result) : null,
        nodes,
        candidates: candidatesByTask.get(runId, taskId).map(readSnapshot),
        stats: treeStats,
        modelCalls: modelCallsByTask.get(runId, taskId).map(readSnapshot),
      };
    },
    async getNode(runId, nodeId) {
      assertOpen('read');
      const known = nodesById.get(nodeId);
      if (!known || known.runId !== runId) return null;
      const node = readSnapshot(known.snapshot);
      const nodeStats = stats.get(nodeId);
      return {
        node,
        stats: nodeStats ? readSnapshot(nodeStats) : null,
        candidates: candidatesByTask.get(runId, node.taskId).map(readSnapshot).filter((candidate) => candidate.nodeId === nodeId),
        modelCalls: modelCallsByTask.get(runId, node.taskId).map(readSnapshot).filter((call) => call.nodeId === nodeId),
      };
    },
    async getModelCalls(runId) {
      assertOpen('read');
      return (modelCallsByRun.get(runId) ?? []).map(readSnapshot);
    },
    async changeMark() {
      assertOpen('read');
      return String(recordsKept);
    },
    async findModelCall(requestHash) {
      assertOpen('read');
      const call = servableModelCalls.get(requestHash);
      return call ? readSnapshot(call) : null;
    },
    async getAnnotations(runId) {
      assertOpen('read');
      // defineStore applies the filter.
      return [...(annotationsByRun.get(runId)?.values() ?? [])].map(readSnapshot);
    },
    async takeRunLease(claim) {
      assertOpen('take the lease of a run');
      const current = leases.get(claim.runId);
      const now = Date.now();
      if (!claimWins(current, claim, now)) return { ...current! };
      const lease = leaseOfClaim(current, claim, now);
      leases.set(claim.runId, lease);
      return { ...lease };
    },
    async releaseRunLease(runId, owner) {
      assertOpen('release the lease of a run');
      if (leases.get(runId)?.owner === owner) leases.delete(runId);
    },
  });
}
