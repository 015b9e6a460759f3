import type {
  AnnotationFilter,
  AnnotationRecord,
  CandidateRecord,
  ModelCallRecord,
  NodeRecord,
  NodeStatsRecord,
  RunSummary,
  StoreRecord,
  TaskRecord,
  TaskResultRecord,
} from './records.ts';

/** One task's tree as read back from a store. Node stats are merged into `stats`. */
export interface StoredTree {
  task: TaskRecord;
  result: TaskResultRecord | null;
  nodes: NodeRecord[];
  candidates: CandidateRecord[];
  stats: Map<string, NodeStatsRecord>;
  /** Every model call of the task, in the order made. */
  modelCalls: ModelCallRecord[];
}

/**
 * Where runs are recorded. Writes are buffered: `append` never waits on the disk; a backend
 * flushes in one transaction when its batch fills, on a short timer, and on `flush`/`close`.
 * A crash loses at most the last unflushed batch and never leaves the store unreadable.
 */
export interface Store {
  /** Where the records live, for messages (`:memory:` or a file path). */
  readonly location: string;
  append(record: StoreRecord): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Newest first. */
  listRuns(options?: { limit?: number }): Promise<RunSummary[]>;
  /** Accepts a full id or a unique prefix; `latest` names the newest run. Throws StoreError if none or ambiguous. */
  getRun(idOrPrefix: string): Promise<RunSummary>;
  getTasks(runId: string): Promise<TaskRecord[]>;
  getTree(runId: string, taskId: string): Promise<StoredTree>;
  /**
   * The first successful sent (not cache-hit) call with this request hash, in any run, or null.
   * Sees calls still in the unflushed batch. This is the cross-run request cache.
   */
  findModelCall(requestHash: string): Promise<ModelCallRecord | null>;
  /** The run's annotations that match the filter, in the order first written; replaced ones carry the latest data. */
  getAnnotations(runId: string, filter?: AnnotationFilter): Promise<AnnotationRecord[]>;
}
