import type { StepCheck } from '../core/environment.ts';

/**
 * The persisted record format. Every record kind is a discriminated union member with a
 * `type` literal; the store writes them append-only, except `node_stats`, which updates the
 * search statistics of nodes already written (MCTS visits change until the task ends).
 * A later `task_result` or `run_end` of the same task or run replaces the earlier one (a resumed run finishing).
 * Bump STORE_FORMAT_VERSION and add a migration in the backends whenever a field changes.
 */
export const STORE_FORMAT_VERSION = 4;

export type TaskOutcome = 'solved' | 'unsolvable' | 'budget_exhausted' | 'failed';

export interface RunRecord {
  type: 'run';
  id: string;
  /** ISO timestamp. */
  startedAt: string;
  env: { name: string; version: string };
  strategy: { name: string; config: Record<string, unknown> };
  proposer: { name: string; config?: Record<string, unknown> };
  scorers: { name: string; weight: number; config?: Record<string, unknown> }[];
  budget: Record<string, number | undefined>;
  seed: number;
  /** The `--tasks` spec or another description of the task set. */
  taskSpec: string;
  stepwiseVersion: string;
  /** Free-form labels (suite, configuration …). */
  tags?: Record<string, string>;
  /** Where and with what the run was made (format 3). */
  provenance?: RunProvenance;
  /** The run this one continues or branches from (format 3). */
  origin?: RunOrigin | null;
}

/** What it takes to redo a run: the code, the machine, the prompts and models it used. */
export interface RunProvenance {
  /** `process.version`, e.g. `v24.9.0`. */
  node: string;
  platform: string;
  arch: string;
  /** HEAD of the git work tree the run was started in, when there is one. */
  gitCommit: string | null;
  /** Whether that work tree had uncommitted changes; null outside git. */
  gitDirty: boolean | null;
  cwd: string;
  /** Prompt templates by name with the sha256 of their content. */
  prompts: { name: string; sha256: string }[];
  /** Model specs with their sampling parameters. */
  models: { spec: string; params: Record<string, unknown> }[];
  /** The command line, without the executable. */
  argv: string[];
  /** The settings the run was built from, so replay, resume and fork can build it again (absent in runs recorded before recipes were). */
  recipe?: RunRecipe;
}

/** Everything `stepwise run` was asked for, as plain JSON: the run can be built again from it. */
export interface RunRecipe {
  env: string;
  /** The `--tasks` spec (replay, resume and fork read the recorded task records instead). */
  tasks: string;
  domain?: string;
  strategy: string;
  strategyOptions: Record<string, string | number | boolean | undefined>;
  budget: { expansions?: number; wallMs?: number; modelCalls?: number; tokens?: number };
  maxDepth?: number;
  seed: number;
  /** Scorer names (heuristic, value, pick, learned:<file>, a plug-in's) or ['none']. */
  scorers: string[];
  model: RecipeModel | null;
  concurrency?: number;
  taskConcurrency?: number;
  /** A fork's given action, taken at the fork node (RunRecord.origin) before the search goes on. */
  forkAction?: { action: unknown; text: string };
  /** The proposer by registry name, when not the default (`llm` with a model, else `enumerate`). */
  proposer?: RecipeComponent;
  /** Options of named scorers (plug-in scorers that take options), by scorer name. */
  scorerOptions?: Record<string, Record<string, unknown>>;
  /** Guards by registry name, checked on every candidate before it runs. */
  guards?: RecipeComponent[];
  /** Worlds open at once per task (environments with side effects); the pool's default when absent. */
  maxWorlds?: number;
  /** The plug-ins the run's components came from, so replay, resume and fork load them again (absent: built-ins only). */
  plugins?: RecipePlugin[];
}

/** A component named in a recipe: its registry name and options. */
export interface RecipeComponent {
  name: string;
  options?: Record<string, unknown>;
}

/** A plug-in a run needs: its name and version, and where it was loaded from (an absolute file path or a package name). */
export interface RecipePlugin {
  name: string;
  version?: string;
  specifier?: string;
}

/** The model settings of a recipe; `spec` as text, e.g. `openai:gpt-4o-mini`. */
export interface RecipeModel {
  spec: string;
  /** Proposer prompt: a built-in template name or a file path. */
  prompt?: string;
  /** Judge prompt: a built-in template name or a file path. */
  judgePrompt?: string;
  /** `tools`: the environment's actions offered as tools (native tool calling; src/tools). */
  mode?: 'samples' | 'list' | 'tools';
  temperature?: number;
  /** Requests in flight to this model at once. */
  concurrency?: number;
  timeoutMs?: number;
  /** Value-judge samples per state. */
  judgeSamples?: number;
}

/** How a run relates to an earlier one. */
export interface RunOrigin {
  runId: string;
  /** The node the run branches from (fork), or null when it relates to the whole run. */
  nodeId: string | null;
  kind: 'fork' | 'resume' | 'import' | 'eval';
}

export interface TaskRecord {
  type: 'task';
  runId: string;
  taskId: string;
  /** Position of the task in the run, from 0. */
  index: number;
  source: string;
  spec: unknown;
  meta?: Record<string, unknown>;
  goalText: string;
  startedAt: string;
}

export interface NodeRecord {
  type: 'node';
  runId: string;
  taskId: string;
  /** Globally unique: `<runId>.<n>`, or `<runId>.<taskIndex>.<n>` for a task a queue worker searched. */
  id: string;
  parentId: string | null;
  depth: number;
  /** The action that led here (null at the root), as JSON and as text. */
  action: unknown;
  actionText: string | null;
  /** Id of the candidate this node executes. */
  candidateId: string | null;
  state: unknown;
  stateKey: string;
  observation: string;
  reward: number;
  check: StepCheck;
  terminal: boolean;
  success: boolean;
  /** Set when the same state was already reached elsewhere in the tree: that node's id. */
  duplicateOf: string | null;
  createdAt: number;
}

export interface ScoreRecord {
  scorer: string;
  /** Null only for a judge none of whose replies could be read: no score, left out of the candidate's value. */
  value: number | null;
  detail?: string;
  /** A model judge's replies for this candidate, and how many of them had no readable verdict (excluded from value). */
  judgments?: number;
  unparsed?: number;
}

export interface CandidateRecord {
  type: 'candidate';
  runId: string;
  taskId: string;
  /** `<nodeId>/<i>`. */
  id: string;
  nodeId: string;
  index: number;
  /** null when the proposal could not be parsed into an action. */
  action: unknown;
  text: string;
  proposer: string;
  prior: number | null;
  /** Why the candidate is not a usable action (unparsable, illegal, denied by a guard). */
  invalidReason: string | null;
  scores: ScoreRecord[];
  /** Weighted mean of `scores`; null when unscored. */
  value: number | null;
}

export interface NodeStatsRecord {
  type: 'node_stats';
  runId: string;
  nodeId: string;
  visits: number;
  /** Mean backed-up value (MCTS) or the best value found below (other strategies). */
  value: number | null;
  /** The strategy kept this node on its frontier / beam / chosen path. */
  selected: boolean;
  /** Why the strategy dropped this node, when it did. */
  pruned: string | null;
}

export interface TaskResultRecord {
  type: 'task_result';
  runId: string;
  taskId: string;
  outcome: TaskOutcome;
  /** Which budget ended the search, when one did. */
  stopReason: string | null;
  solutionNodeId: string | null;
  plan: string[] | null;
  expansions: number;
  nodes: number;
  wallMs: number;
  finishedAt: string;
}

export interface RunEndRecord {
  type: 'run_end';
  runId: string;
  finishedAt: string;
  /** Counts by outcome. */
  outcomes: Record<TaskOutcome, number>;
  wallMs: number;
  /** 'completed', or why the run stopped early (e.g. 'interrupted'). */
  status: string;
}

/** One request to a model, sent or served from the cache (format 2). */
export interface ModelCallRecord {
  type: 'model_call';
  runId: string;
  /** null for calls outside a task (none yet, but kept open). */
  taskId: string | null;
  /** The node whose expansion made the call. */
  nodeId: string | null;
  /** `<nodeId>#<n>`, unique. */
  id: string;
  /** The model spec, e.g. `openai:gpt-4o-mini`. */
  model: string;
  /** sha256 of the canonical request (model, parameters, messages, sample index): the cache key. */
  requestHash: string;
  /** The request as sent: messages and parameters. */
  request: unknown;
  /** The reply text; null when the call failed. */
  text: string | null;
  usage: { inputTokens: number; outputTokens: number } | null;
  latencyMs: number;
  cacheHit: boolean;
  /** For a cache hit, the id of the recorded call that answered it. */
  cachedFrom: string | null;
  /** Requests sent for this call, retries included (0 for a cache hit). */
  attempts: number;
  /** Why the call failed for good, when it did. */
  error: string | null;
  createdAt: number;
}

/**
 * Anything attached to a run, task or node after the fact: credit values, human feedback, eval results (format 3).
 * A later annotation with the same (runId, kind, taskId, nodeId, key) replaces the earlier one.
 */
export interface AnnotationRecord {
  type: 'annotation';
  runId: string;
  taskId: string | null;
  nodeId: string | null;
  /** Dotted kind naming the module that owns `data`'s schema: 'credit', 'feedback.turn', 'eval.keynodes' … */
  kind: string;
  /** Tells apart several annotations of one kind on one target; '' when there is one. */
  key: string;
  data: unknown;
  createdAt: number;
}

/** Which annotations `Store.getAnnotations` returns; `kind` matches exactly or as a dotted prefix. */
export interface AnnotationFilter {
  kind?: string;
  taskId?: string;
  nodeId?: string;
}

export type StoreRecord =
  | RunRecord
  | TaskRecord
  | NodeRecord
  | CandidateRecord
  | NodeStatsRecord
  | TaskResultRecord
  | RunEndRecord
  | ModelCallRecord
  | AnnotationRecord;

/** A run as read back: its start record, its end record when it ended, and its task results. */
export interface RunSummary {
  run: RunRecord;
  end: RunEndRecord | null;
  tasks: number;
  results: TaskResultRecord[];
}
