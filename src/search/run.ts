import type { Environment, Problem, Task } from '../core/environment.ts';
import { isFatal, UsageError } from '../core/errors.ts';
import { newRunId, nodeId } from '../core/ids.ts';
import { createRng } from '../core/rng.ts';
import type { ApprovalDecision, Guard, Proposer, Scorer } from '../core/step.ts';
import { STEPWISE_VERSION } from '../core/version.ts';
import { createMemoryStore } from '../store/memory.ts';
import type { RunOrigin, RunProvenance, TaskOutcome, TaskResultRecord } from '../store/records.ts';
import type { RecordedPath } from './borrowed-path.ts';
import { artifactsDirOf } from '../store/artifacts.ts';
import type { Store } from '../store/store.ts';
import { holdRunLease, type HeldRunLease } from '../store/lease.ts';
import { createBudget, type BudgetLimits } from './budget.ts';
import { createLimiter } from '../core/limiter.ts';
import type { Strategy } from './strategy.ts';
import { createSearchTree, isUsable, pathTo, type SearchTree } from './tree.ts';
import { SearchStopped } from '../core/errors.ts';
import { withDeadline } from '../core/deadline.ts';
import { createWorldPool, type WorldPool } from '../worlds/pool.ts';
import type { RecordedSteps } from '../worlds/recorded-steps.ts';

export interface RunOptions<S, A> {
  env: Environment<S, A>;
  tasks: readonly Task[];
  proposer: Proposer<S, A>;
  /** Scorers, optionally weighted; a candidate's value is the weighted mean of their scores. */
  scorers?: readonly (Scorer<S, A> | { scorer: Scorer<S, A>; weight: number })[];
  guards?: readonly Guard<S, A>[];
  strategy: Strategy;
  /** Limits per task. */
  budget?: BudgetLimits;
  /** Nodes at this depth are not expanded (default 64). */
  maxDepth?: number;
  seed?: number;
  /** Where records go; an in-memory store by default. The caller closes it. */
  store?: Store;
  /** Proposer and scorer calls in flight at once, shared by all tasks (default 8). */
  concurrency?: number;
  /** Tasks searched at once (default 1). */
  taskConcurrency?: number;
  /** How the task set was named on the command line, recorded with the run. */
  taskSpec?: string;
  tags?: Record<string, string>;
  runId?: string;
  /** Recorded with the run: what it takes to redo it. */
  provenance?: RunProvenance;
  /** Recorded with the run: the run it continues or branches from. */
  origin?: RunOrigin | null;
  /** Continue a run that was killed or interrupted: keep what it recorded (the store must drop records it already holds). */
  resume?: ResumePoint;
  /** A person's decisions on candidates guards held for approval (resume after `stepwise approve`), by held candidate id. */
  approvals?: ReadonlyMap<string, ApprovalDecision>;
  /** Fork: start the (single) task from a recorded node instead of its initial state, optionally by taking `action` there first. */
  start?: { path: RecordedPath; action?: { action: A; text: string } };
  /** Problems with side effects: live worlds at once per task (default DEFAULT_MAX_WORLDS). */
  maxWorlds?: number;
  /** Replay of a stateful run: a task's steps read from its record instead of executed in worlds. */
  recordedSteps?: (taskId: string) => RecordedSteps<S> | undefined;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /**
   * Search each task elsewhere (a queue's workers) and return its result: this process records the run and its end,
   * nothing of the trees, and hands every task out at once. Null: the task was withdrawn unsearched (the run was interrupted).
   */
  delegate?: (task: Task, index: number) => Promise<TaskResult | null>;
  /**
   * Search one task of a run another process records (a queue job): no run or run_end record, the task keeps its index
   * in the run, and its node ids are numbered per task (`<runId>.<index>.<n>`) so processes writing one run never collide.
   */
  part?: { taskIndex: number };
  /**
   * The run's lease, already held by the caller (resume takes it before reading the record); released by the caller.
   * Without it the run takes its own (unless `part`): a second process writing the same run is refused.
   */
  lease?: HeldRunLease;
}

/** What a resumed run keeps from its record. */
export interface ResumePoint {
  /** The id the record gives the node at this tree position, if it recorded one. */
  nodeIdAt(taskId: string, parentId: string | null, candidateIndex: number | null): string | undefined;
  /** Node ids already taken, which new nodes must skip. */
  hasNode(id: string): boolean;
  /** The recorded result of a task the run finished (not one it was interrupted in). */
  finishedResult(taskId: string): TaskResult | undefined;
}

export type RunEvent =
  | { type: 'run_start'; runId: string; tasks: number }
  | { type: 'task_start'; taskId: string; index: number }
  | { type: 'task_end'; result: TaskResult; done: number; total: number };

/** The one result shape every strategy produces. */
export interface TaskResult {
  taskId: string;
  outcome: TaskOutcome;
  /** Which budget (or guard, or interruption) ended the search. */
  stopReason: string | null;
  /** Action texts from the root to the solution. */
  plan: string[] | null;
  solutionNodeId: string | null;
  expansions: number;
  nodes: number;
  wallMs: number;
}

export interface RunStats {
  tasks: number;
  solved: number;
  unsolvable: number;
  budgetExhausted: number;
  failed: number;
  /** Mean plan length over solved tasks (null if none). */
  meanPlanLength: number | null;
  expansions: number;
  nodes: number;
  wallMs: number;
}

export interface RunResult {
  runId: string;
  results: TaskResult[];
  stats: RunStats;
  /** `paused`: some task waits for a person's approval (`stepwise approve`, then `stepwise resume`). */
  status: 'completed' | 'interrupted' | 'paused';
}

/** Runs a strategy over tasks, recording every node and candidate in the store. */
export async function runSearch<S, A>(options: RunOptions<S, A>): Promise<RunResult> {
  const { env, tasks, proposer, strategy } = options;
  const store = options.store ?? createMemoryStore();
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed)) {
    throw new UsageError(`the seed must be a whole number within ±${Number.MAX_SAFE_INTEGER} (2^53 - 1), got ${seed}`, { hint: 'pick a smaller seed' });
  }
  const runId = options.runId ?? newRunId();
  const scorers = (options.scorers ?? []).map((s) => ('scorer' in s ? s : { scorer: s, weight: 1 }));
  const limiter = createLimiter(options.concurrency ?? 8);
  const maxDepth = options.maxDepth ?? 64;
  // Our own controller, following the caller's, so a fatal error in one task also stops the others.
  const stopAll = new AbortController();
  options.signal?.addEventListener('abort', () => stopAll.abort(options.signal?.reason), { once: true });
  if (options.signal?.aborted) stopAll.abort(options.signal.reason);
  const signal = stopAll.signal;
  // Load every task first, so a malformed task fails the run before any search starts.
  const problems: Problem<S, A>[] = [];
  // Every loaded problem is closed exactly once, whichever way the run ends (finished, stopped, failed, never started).
  const closing = new Map<Problem<S, A>, Promise<void>>();
  const closeProblem = (problem: Problem<S, A>): Promise<void> => {
    let pending = closing.get(problem);
    if (!pending) {
      pending = Promise.resolve().then(() => problem.close?.());
      closing.set(problem, pending);
    }
    return pending;
  };
  const closeAll = () => Promise.allSettled(problems.map(closeProblem));
  try {
    for (const task of tasks) problems.push(env.load(task as Task<never>));
  } catch (error) {
    await closeAll();
    throw error;
  }
  let seq = 0;
  const { resume } = options;
  // A resumed run keeps its recorded ids; new nodes take the numbers it had not used.
  const idSpace = options.part?.taskIndex;
  const nextNodeId = () => {
    while (resume?.hasNode(nodeId(runId, seq, idSpace))) seq++;
    return nodeId(runId, seq++, idSpace);
  };
  const started = performance.now();

  // The last step that can refuse the run: nothing is recorded before the lease is ours.
  let lease: HeldRunLease | undefined;
  try {
    lease = options.part ? undefined : (options.lease ?? (await holdRunLease(store, runId)));
  } catch (error) {
    await closeAll();
    throw error;
  }
  // Another process took the run over (this one paused past the lease): stop writing it at once.
  lease?.lost.addEventListener('abort', () => stopAll.abort(lease.lost.reason), { once: true });
  const releaseLease = () => (lease !== options.lease ? lease?.release() : undefined);

  if (!options.part) store.append({
    type: 'run',
    id: runId,
    startedAt: new Date().toISOString(),
    env: { name: env.name, version: env.version },
    strategy: { name: strategy.name, config: strategy.config },
    proposer: { name: proposer.name, config: proposer.config },
    scorers: scorers.map(({ scorer, weight }) => ({ name: scorer.name, weight, ...(scorer.config ? { config: scorer.config } : {}) })),
    budget: { ...options.budget, maxDepth },
    seed,
    taskSpec: options.taskSpec ?? `${tasks.length} tasks`,
    stepwiseVersion: STEPWISE_VERSION,
    tags: options.tags,
    ...(options.provenance ? { provenance: options.provenance } : {}),
    ...(options.origin ? { origin: options.origin } : {}),
  });
  options.onEvent?.({ type: 'run_start', runId, tasks: tasks.length });

  const searchTask = async (index: number): Promise<TaskResult | null> => {
    const task = tasks[index];
    const problem = problems[index] as Problem<S, A>;
    options.onEvent?.({ type: 'task_start', taskId: task.id, index });
    const finished = options.resume?.finishedResult(task.id);
    if (finished) return finished;
    if (options.delegate) return options.delegate(task, index);
    try {
      return await searchStartedTask(index, task, problem);
    } finally {
      await closeProblem(problem);
    }
  };

  const searchStartedTask = async (index: number, task: Task, problem: Problem<S, A>): Promise<TaskResult> => {
    let startFailure: string | null = null;
    const startedAt = performance.now();
    try {
      await problem.start?.({ signal, artifactsDir: artifactsDirOf(store.location) });
    } catch (error) {
      if (isFatal(error)) throw error;
      startFailure = `the task could not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    }
    store.append({
      type: 'task',
      runId,
      taskId: task.id,
      index: options.part?.taskIndex ?? index,
      source: task.source,
      spec: task.spec,
      meta: task.meta,
      goalText: problem.goalText,
      startedAt: new Date().toISOString(),
    });
    if (startFailure !== null) {
      const result: TaskResult = { taskId: task.id, outcome: 'failed', stopReason: startFailure, plan: null, solutionNodeId: null, expansions: 0, nodes: 0, wallMs: performance.now() - startedAt };
      store.append({ type: 'task_result', runId, ...result, finishedAt: new Date().toISOString() });
      return result;
    }
    const budget = createBudget(options.budget ?? {});
    const recordedSteps = problem.sideEffects ? options.recordedSteps?.(task.id) : undefined;
    const worlds: WorldPool<S, A> | undefined =
      problem.sideEffects && !recordedSteps
        ? createWorldPool({ problem, maxWorlds: options.maxWorlds, signal, stopped: () => new SearchStopped('interrupted') })
        : undefined;
    // Long synchronous work inside one expansion (an environment's heuristic or enumeration) checks this deadline.
    const deadline = budget.limits.wallMs === undefined ? undefined : performance.now() - budget.elapsedMs() + budget.limits.wallMs;
    try {
      return await withDeadline(deadline, () => searchTree(task, problem, budget, worlds, recordedSteps));
    } finally {
      // Worlds first (they may live inside what the problem holds), then the problem; both on every exit path.
      try {
        await worlds?.close();
      } finally {
        await closeProblem(problem);
      }
    }
  };

  const searchTree = async (
    task: Task,
    problem: Problem<S, A>,
    budget: ReturnType<typeof createBudget>,
    worlds: WorldPool<S, A> | undefined,
    recordedSteps: RecordedSteps<S> | undefined,
  ): Promise<TaskResult> => {
    const tree = createSearchTree<S, A>({
      runId,
      task,
      env,
      problem,
      proposer,
      scorers,
      guards: options.guards ?? [],
      budget,
      limiter,
      store,
      rng: createRng(seed).fork(task.id),
      maxDepth,
      nextNodeId,
      recordedNodeId: resume ? (parentId, candidateIndex) => resume.nodeIdAt(task.id, parentId, candidateIndex) : undefined,
      prefix: options.start?.path,
      worlds,
      recordedSteps,
      approvals: options.approvals,
      signal,
    });
    let stopReason: string | null = null;
    try {
      await strategy.search(await startingTree(tree, options.start?.action));
    } catch (error) {
      if (!(error instanceof SearchStopped)) throw error;
      stopReason = error.reason;
    } finally {
      await tree.settle();
    }
    const result = taskResult(tree, stopReason, budget.elapsedMs());
    recordTaskEnd(store, runId, tree, result);
    // A store that could not write (a held lock, a full disk) stops the run here instead of searching on unrecorded.
    await store.flush();
    return result;
  };

  const results: TaskResult[] = new Array(tasks.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < tasks.length && !signal.aborted) {
      const index = next++;
      const result = await searchTask(index);
      if (result === null) continue;
      results[index] = result;
      options.onEvent?.({ type: 'task_end', result, done: ++done, total: tasks.length });
    }
  };
  const parallel = options.delegate ? tasks.length : Math.min(options.taskConcurrency ?? 1, tasks.length);
  const workers = Array.from({ length: parallel }, worker);
  let fatal: unknown = null;
  await Promise.all(
    workers.map((running) =>
      running.catch((error: unknown) => {
        fatal ??= error;
        stopAll.abort(error);
      }),
    ),
  );
  // Tasks never started (a stop, a fatal error) still close what their problem holds.
  for (const closed of await closeAll()) if (closed.status === 'rejected') fatal ??= closed.reason;

  if (lease?.lost.aborted) fatal = lease.lost.reason;

  const finished = results.filter(Boolean);
  const stats = summarize(finished, performance.now() - started);
  const paused = finished.some((r) => r.stopReason?.startsWith(AWAITING_APPROVAL));
  const status = fatal ? `failed: ${fatal instanceof Error ? fatal.message : String(fatal)}` : signal.aborted ? 'interrupted' : paused ? 'paused' : 'completed';
  // A run taken over is the new owner's to end.
  if (!options.part && !lease?.lost.aborted) store.append({
    type: 'run_end',
    runId,
    finishedAt: new Date().toISOString(),
    outcomes: {
      solved: stats.solved,
      unsolvable: stats.unsolvable,
      budget_exhausted: stats.budgetExhausted,
      failed: stats.failed,
    },
    wallMs: stats.wallMs,
    status,
  });
  try {
    await store.flush();
  } finally {
    await releaseLease();
  }
  if (fatal) throw fatal;
  return { runId, results: finished, stats, status: status as RunResult['status'] };
}

/** The proposer name recorded for an action given from outside (`stepwise fork --action`). */
export const FORK_ACTION_PROPOSER = 'fork';

/** The tree a strategy searches: from its root, or from the child a fork's given action leads to. */
async function startingTree<S, A>(tree: SearchTree<S, A>, action: { action: A; text: string } | undefined): Promise<SearchTree<S, A>> {
  if (!action) return tree;
  const candidate = await tree.addCandidate(tree.root, { action: action.action, text: action.text, proposer: FORK_ACTION_PROPOSER });
  if (!isUsable(candidate)) throw new SearchStopped(`the given action was refused: ${candidate.invalidReason}`);
  return tree.withRoot(await tree.execute(tree.root, candidate));
}

/** The stop reason of a task that ended with actions held for a person: `stepwise approve`, then `resume`, continues it. */
export const AWAITING_APPROVAL = 'awaiting approval';

/** A task result a resume must search again: interrupted, or paused for approvals. */
export function isUnfinished(result: { stopReason: string | null }): boolean {
  return result.stopReason === 'interrupted' || (result.stopReason?.startsWith(AWAITING_APPROVAL) ?? false);
}

function taskResult(tree: SearchTree<any, any>, searchStop: string | null, wallMs: number): TaskResult {
  const solution = tree.solution();
  const pending = tree.pendingApprovals();
  // Held actions outrank a dead end: the task is paused, not failed, until a person answers.
  const stopReason = searchStop ?? (pending > 0 && !solution ? `${AWAITING_APPROVAL}: ${pending} action${pending > 1 ? 's' : ''} held by guards (stepwise approve)` : null);
  const outcome: TaskOutcome = solution
    ? 'solved'
    : stopReason
      ? 'budget_exhausted'
      : tree.exhausted()
        ? 'unsolvable'
        : 'failed';
  return {
    taskId: tree.task.id,
    outcome,
    stopReason: solution ? null : stopReason,
    plan: solution ? pathTo(solution).slice(1).map((n) => n.actionText ?? '') : null,
    solutionNodeId: solution?.id ?? null,
    expansions: tree.budget.used.expansions,
    nodes: tree.nodes.length,
    wallMs,
  };
}

function recordTaskEnd(store: Store, runId: string, tree: SearchTree<any, any>, result: TaskResult) {
  const solution = tree.solution();
  if (solution) for (const n of pathTo(solution)) n.selected = true;
  for (const node of tree.nodes) {
    if (!tree.owns(node)) continue;
    if (node.visits === 0 && !node.selected && node.pruned === null) continue;
    store.append({
      type: 'node_stats',
      runId,
      nodeId: node.id,
      visits: node.visits,
      value: node.visits > 0 ? node.valueSum / node.visits : node.value,
      selected: node.selected,
      pruned: node.pruned,
    });
  }
  const record: TaskResultRecord = {
    type: 'task_result',
    runId,
    taskId: result.taskId,
    outcome: result.outcome,
    stopReason: result.stopReason,
    solutionNodeId: result.solutionNodeId,
    plan: result.plan,
    expansions: result.expansions,
    nodes: result.nodes,
    wallMs: result.wallMs,
    finishedAt: new Date().toISOString(),
  };
  store.append(record);
}

export function summarize(results: readonly TaskResult[], wallMs: number): RunStats {
  const solved = results.filter((r) => r.outcome === 'solved');
  const count = (outcome: TaskOutcome) => results.filter((r) => r.outcome === outcome).length;
  return {
    tasks: results.length,
    solved: solved.length,
    unsolvable: count('unsolvable'),
    budgetExhausted: count('budget_exhausted'),
    failed: count('failed'),
    meanPlanLength: solved.length ? solved.reduce((sum, r) => sum + (r.plan?.length ?? 0), 0) / solved.length : null,
    expansions: results.reduce((sum, r) => sum + r.expansions, 0),
    nodes: results.reduce((sum, r) => sum + r.nodes, 0),
    wallMs,
  };
}
