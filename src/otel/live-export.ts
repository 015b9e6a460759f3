import type { ModelCallRecord, NodeRecord, NodeStatsRecord, RunRecord, StoreRecord, TaskRecord } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { startOtlpTracing } from './otlp-tracing.ts';
import { emitTaskSpans } from './tree-spans.ts';

/** A task's records as they were appended, until its result closes it. */
interface OpenTask {
  task: TaskRecord;
  nodes: NodeRecord[];
  stats: Map<string, NodeStatsRecord>;
  modelCalls: ModelCallRecord[];
}

/**
 * The store seen by a run whose trees also go to an OpenTelemetry collector as it searches: each task's spans are
 * sent as soon as its result is recorded (queue workers send the tasks they search). Closing the store sends what
 * is left and says whether the collector took everything.
 */
export function withLiveOtelExport(store: Store, endpoint: string, options: { headers?: Record<string, string> } = {}): Store {
  const tracing = startOtlpTracing(endpoint, options);
  const runs = new Map<string, RunRecord>();
  const open = new Map<string, OpenTask>();
  const taskOfNode = new Map<string, OpenTask>();
  const pending = new Set<Promise<void>>();
  const key = (runId: string, taskId: string | null) => `${runId}\u0000${taskId ?? ''}`;

  // A worker searching one task of a run never sees its run record: it reads it back once.
  const runOf = async (runId: string): Promise<RunRecord> => runs.get(runId) ?? (await store.getRun(runId)).run;

  const observe = (record: StoreRecord) => {
    switch (record.type) {
      case 'run':
        runs.set(record.id, record);
        return;
      case 'task':
        open.set(key(record.runId, record.taskId), { task: record, nodes: [], stats: new Map(), modelCalls: [] });
        return;
      case 'node': {
        const task = open.get(key(record.runId, record.taskId));
        task?.nodes.push(record);
        if (task) taskOfNode.set(record.id, task);
        return;
      }
      case 'model_call':
        open.get(key(record.runId, record.taskId))?.modelCalls.push(record);
        return;
      case 'node_stats':
        taskOfNode.get(record.nodeId)?.stats.set(record.nodeId, record);
        return;
      case 'task_result': {
        const task = open.get(key(record.runId, record.taskId));
        if (!task) return;
        open.delete(key(record.runId, record.taskId));
        for (const node of task.nodes) taskOfNode.delete(node.id);
        const sent = runOf(record.runId)
          .then((run) => void emitTaskSpans(tracing.tracer, run, { task: task.task, result: record, nodes: task.nodes, candidates: [], stats: task.stats, modelCalls: task.modelCalls }))
          .finally(() => pending.delete(sent));
        pending.add(sent);
        return;
      }
      default:
        return;
    }
  };

  return Object.create(store, {
    append: {
      value: (record: StoreRecord) => {
        store.append(record);
        observe(record);
      },
    },
    close: {
      value: async () => {
        try {
          await Promise.all(pending);
          await tracing.shutdown();
        } finally {
          await store.close();
        }
      },
    },
  }) as Store;
}
