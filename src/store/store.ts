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
import type { RunLease, RunLeaseClaim } from './lease.ts';

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

/** The light fields of one node, enough to draw it in a tree of 100,000 (the viewer). */
export interface NodeOutline {
  id: string;
  parentId: string | null;
  depth: number;
  /** At most OUTLINE_TEXT_CHARS characters of the action text. */
  actionText: string | null;
  /** The value of the candidate the node executes (its weighted score), when scored. */
  value: number | null;
  reward: number;
  /** The per-step check's verdict. */
  valid: boolean;
  terminal: boolean;
  success: boolean;
  duplicateOf: string | null;
  visits: number | null;
  /** The strategy's backed-up value (node_stats), when written. */
  searchValue: number | null;
  selected: boolean;
  pruned: string | null;
}

/** A candidate no node executes (invalid, pruned or never chosen), drawn muted under its node. */
export interface CandidateOutline {
  id: string;
  nodeId: string;
  index: number;
  /** At most OUTLINE_TEXT_CHARS characters of the candidate text. */
  text: string;
  invalidReason: string | null;
  value: number | null;
}

/** One task's tree without states, observations or scores: what a viewer needs to lay it out. Nodes in append order. */
export interface TreeOutline {
  task: TaskRecord;
  result: TaskResultRecord | null;
  nodes: NodeOutline[];
  unexecuted: CandidateOutline[];
  /** Nodes in the whole tree (more than `nodes` holds when a limit cut it). */
  totalNodes: number;
}

export interface TreeOutlineOptions {
  /**
   * Only the first `limit` nodes in append order (a connected top of the tree, since parents come before their
   * children) and no unexecuted candidates: a first look at a big tree in milliseconds.
   */
  limit?: number;
}

/** Everything recorded about one node: the node, its stats, its candidates and the model calls its expansion made. */
export interface StoredNode {
  node: NodeRecord;
  stats: NodeStatsRecord | null;
  candidates: CandidateRecord[];
  modelCalls: ModelCallRecord[];
}

/** A task's model calls added up (the viewer's runs table and charts). */
export interface ModelCallTotals {
  taskId: string | null;
  calls: number;
  cacheHits: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
}

/** Texts in outlines are cut to this many characters. */
export const OUTLINE_TEXT_CHARS = 160;

/** Which runs `listRuns` returns. */
export interface ListRunsOptions {
  /** At most this many (newest first). */
  limit?: number;
  /** Only runs whose id starts with this (run lookup by prefix). */
  idPrefix?: string;
}

/**
 * What a backend implements: writes and the core reads every other read is built on. Writes are buffered: `append`
 * never waits on the disk; a backend flushes in one transaction when its batch fills, on a short timer, and on
 * `flush`/`close`. A crash loses at most the last unflushed batch and never leaves the store unreadable.
 * `storeBehaviourSuite` (from `/testing`) is the contract; `defineStore` turns a backend into a `Store`.
 */
export interface StoreBackend {
  /** Where the records live, for messages (`:memory:`, a file path, a server URL without its password). */
  readonly location: string;
  append(record: StoreRecord): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Newest first (started at, then the later appended). */
  listRuns(options?: ListRunsOptions): Promise<RunSummary[]>;
  /** In task index order, then append order; [] for an unknown run. */
  getTasks(runId: string): Promise<TaskRecord[]>;
  /** Throws StoreError (`missingTaskError`) for a task that was never recorded. */
  getTree(runId: string, taskId: string): Promise<StoredTree>;
  /** Every model call of the run in the order made, including those outside any task. */
  getModelCalls(runId: string): Promise<ModelCallRecord[]>;
  /**
   * The first successful sent (not cache-hit) call with this request hash, in any run, or null.
   * Sees calls still in the unflushed batch. This is the cross-run request cache.
   */
  findModelCall(requestHash: string): Promise<ModelCallRecord | null>;
  /**
   * The run's annotations in the order first written; replaced ones carry the latest data. A backend may apply the
   * filter (fewer rows read); the store applies it again, so one that ignores it is still right.
   */
  getAnnotations(runId: string, filter?: AnnotationFilter): Promise<AnnotationRecord[]>;
  /**
   * A mark that differs whenever records were written since it was read (by this store or, for a shared store, any process):
   * a viewer polls it to see that a run moved on. Only equality between two marks means anything.
   */
  changeMark(): Promise<string>;
  /**
   * The one writer of a run: takes the run's lease for the claimant, in one atomic step, when `claimWins` (free, theirs,
   * expired, or held by `claim.replaces`), and returns the lease as it then stands, whoever holds it. Written at once, not batched.
   */
  takeRunLease(claim: RunLeaseClaim): Promise<RunLease>;
  /** Gives the run's lease up if `owner` still holds it. */
  releaseRunLease(runId: string, owner: string): Promise<void>;
}

/** Reads derived from the core ones (`defaultQueries`); a backend answers them natively where that is much faster. */
export interface StoreQueries {
  /** Accepts a full id or a unique prefix; `latest` names the newest run. Throws StoreError if none or ambiguous. */
  getRun(idOrPrefix: string): Promise<RunSummary>;
  /** One task's record (its first, as `getTasks` orders them), or null when the run has no such task or no such run. */
  getTask(runId: string, taskId: string): Promise<TaskRecord | null>;
  /** The tree's layout fields only (read-only; the viewer). Throws StoreError for an unknown task, like getTree. */
  getTreeOutline(runId: string, taskId: string, options?: TreeOutlineOptions): Promise<TreeOutline>;
  /** One node with its stats, candidates and model calls, or null when the run has no such node. */
  getNode(runId: string, nodeId: string): Promise<StoredNode | null>;
  /** The run's model calls added up per task, in the order of each task's first call; [] when it made none. */
  getModelCallTotals(runId: string): Promise<ModelCallTotals[]>;
}

/** Where runs are recorded: a backend's writes and core reads, and the queries built on them. */
export interface Store extends StoreBackend, StoreQueries {}
