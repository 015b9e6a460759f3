import { ReplayError } from '../core/errors.ts';
import type { Environment, Task } from '../core/environment.ts';
import { getEnvironment } from '../envs/registry.ts';
import { ensurePlugins } from '../registry/load.ts';
import { isUnfinished, type ResumePoint, type RunResult, type TaskResult } from '../search/run.ts';
import type { ApprovalDecision } from '../core/step.ts';
import type { NodeRecord, RunRecipe, StoreRecord } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { holdRunLease, type HeldRunLease, type HoldRunLeaseOptions } from '../store/lease.ts';
import { candidateIndexOf, positionKey, readRecordedRun, taskOfRecord, type RecordedRun } from './recorded-run.ts';
import { findNode } from './family.ts';
import { forkStartOf } from './fork-start.ts';
import { recipeOfRun } from './recipe-of-run.ts';
import { runRecipe, type RecipeRunOptions } from '../recipe/run-recipe.ts';

/** Annotation kind of a person's answer to a held candidate (data: ApprovalDecision, key: the held candidate's id). */
export const APPROVAL_KIND = 'approval';

export interface ResumeOptions extends Pick<RecipeRunOptions, 'signal' | 'onEvent' | 'environment' | 'guards'> {
  store: Store;
}

/** What a resume will do: the recorded run, its recipe, and every task of it (recorded or not yet started). */
export interface ResumePlan {
  recorded: RecordedRun;
  recipe: RunRecipe;
  tasks: Task[];
  /** The run's lease, taken before its record was read so no other process writes it meanwhile; `resumeRun` releases it. */
  lease: HeldRunLease;
}

/**
 * Takes the run's lease (refusing, or waiting with `lease.wait`, while another process writes it), then reads the run
 * to continue (`runRef`: an id, a unique prefix or `latest`) and checks it can be resumed. A plan that is not run must
 * be given back with `plan.lease.release()`.
 */
export async function planResume(store: Store, runRef: string, environment?: Environment<any, any, any>, leaseOptions: HoldRunLeaseOptions = {}): Promise<ResumePlan> {
  const { run: { id: runId } } = await store.getRun(runRef);
  const lease = await holdRunLease(store, runId, leaseOptions);
  try {
    return { ...(await readPlan(store, runId, environment)), lease };
  } catch (error) {
    await lease.release();
    throw error;
  }
}

async function readPlan(store: Store, runId: string, environment: Environment<any, any, any> | undefined): Promise<Omit<ResumePlan, 'lease'>> {
  const recorded = await readRecordedRun(store, runId);
  const { run, end } = recorded.summary;
  if (end?.status === 'completed') {
    throw new ReplayError(`run ${run.id} already completed; there is nothing to resume`, { hint: `to redo it, use \`stepwise replay ${run.id}\`; to branch from it, \`stepwise fork <node>\`` });
  }
  const recipe = recipeOfRun(run);
  await ensurePlugins(recipe.plugins, `run ${run.id}`);
  const known = tasksOf(recorded, run.env.name);
  let tasks = known;
  if (run.origin?.kind === 'fork') {
    // A fork searches the one task of its node; killed before recording it, it takes it from the node's run.
    if (known.length === 0 && run.origin.nodeId) {
      const { tree } = await findNode(store, run.origin.nodeId);
      tasks = [taskOfRecord(tree.task, run.env.name)];
    }
  } else if (!environment) {
    // Tasks the run had not started yet come from the task spec; the recorded ones keep their recorded form.
    const recordedById = new Map(known.map((t) => [t.id, t]));
    tasks = getEnvironment(recipe.env).loadTasks(recipe.tasks, { domain: recipe.domain }).map((t) => recordedById.get(t.id) ?? t);
  }
  return { recorded, recipe, tasks };
}

export interface ResumeResult extends RunResult {
  /** What the run had recorded before: kept, not redone. */
  kept: { tasksFinished: number; nodes: number; candidates: number; modelCalls: number };
}

/**
 * Continues a run that was killed or interrupted, in place: the same recipe and seed are run again, and every node,
 * candidate and model call the record already holds is reused (same id, not recorded twice, no request sent again),
 * so the result is the one an uninterrupted run would have given. Tasks the run finished are not searched again.
 */
export async function resumeRun(plan: ResumePlan, options: ResumeOptions): Promise<ResumeResult> {
  const { recorded } = plan;
  let result: RunResult;
  try {
    result = await searchOnFromRecord(plan, options);
  } finally {
    await plan.lease.release();
  }
  let nodes = 0;
  let candidates = 0;
  let modelCalls = 0;
  for (const tree of recorded.trees.values()) {
    nodes += tree.nodes.length;
    candidates += tree.candidates.length;
    modelCalls += tree.modelCalls.length;
  }
  const tasksFinished = recorded.summary.results.filter((r) => !isUnfinished(r)).length;
  return { ...result, kept: { tasksFinished, nodes, candidates, modelCalls } };
}

async function searchOnFromRecord(plan: ResumePlan, options: ResumeOptions): Promise<RunResult> {
  const { recorded, recipe, tasks } = plan;
  const { run } = recorded.summary;
  const point = resumePointOf(recorded);
  const guarded = dropRecorded(options.store, recorded, run.id);
  const approvals = new Map((await options.store.getAnnotations(run.id, { kind: APPROVAL_KIND })).map((a) => [a.key, a.data as ApprovalDecision]));
  return runRecipe(recipe, {
    lease: plan.lease,
    approvals,
    guards: options.guards,
    store: guarded,
    tasks,
    runId: run.id,
    origin: run.origin ?? null,
    resume: point,
    start: await forkStartOf(options.store, run),
    environment: options.environment,
    signal: options.signal,
    onEvent: options.onEvent,
  });
}

/** The tasks as the run recorded them, so a resume needs neither the task files nor the generator again. */
export function tasksOf(recorded: RecordedRun, envName: string): Task[] {
  return recorded.tasks.map((t) => taskOfRecord(t, envName));
}

/** What a search keeps from a record: its node ids by tree position, and the results of the tasks it finished. */
export function resumePointOf(recorded: RecordedRun): ResumePoint {
  const byPosition = new Map<string, string>();
  const nodeIds = new Set<string>();
  for (const [taskId, tree] of recorded.trees) {
    for (const node of tree.nodes) {
      nodeIds.add(node.id);
      byPosition.set(positionKey(taskId, node.parentId, candidateIndexOf(node.candidateId)), node.id);
    }
  }
  const finished = new Map<string, TaskResult>();
  for (const r of recorded.summary.results) {
    if (isUnfinished(r)) continue;
    const { taskId, outcome, stopReason, plan, solutionNodeId, expansions, nodes, wallMs } = r;
    finished.set(taskId, { taskId, outcome, stopReason, plan, solutionNodeId, expansions, nodes, wallMs });
  }
  return {
    nodeIdAt: (taskId, parentId, index) => byPosition.get(positionKey(taskId, parentId, index)),
    hasNode: (id) => nodeIds.has(id),
    finishedResult: (taskId) => finished.get(taskId),
  };
}

/**
 * The store seen through a resume: records the run already holds are dropped. A node that differs from its record
 * (other parent, state or candidate) stops the resume: the code or the environment changed, or is not deterministic.
 */
export function dropRecorded(store: Store, recorded: RecordedRun, runId: string): Store {
  const nodes = new Map<string, NodeRecord>();
  const candidates = new Set<string>();
  const calls = new Set<string>();
  for (const tree of recorded.trees.values()) {
    for (const node of tree.nodes) nodes.set(node.id, node);
    for (const c of tree.candidates) candidates.add(c.id);
    for (const call of tree.modelCalls) calls.add(call.id);
  }
  const taskIds = new Set(recorded.tasks.map((t) => t.taskId));
  const held = (record: StoreRecord): boolean => {
    switch (record.type) {
      case 'run':
        return true;
      case 'task':
        return taskIds.has(record.taskId);
      case 'node': {
        const before = nodes.get(record.id);
        if (!before) return false;
        for (const field of ['parentId', 'candidateId', 'stateKey', 'observation', 'reward', 'check', 'terminal', 'success'] as const) {
          const [was, now] = [JSON.stringify(before[field]), JSON.stringify(record[field])];
          if (was === now) continue;
          throw new ReplayError(`resuming run ${runId} diverged from its record at node ${record.id}: ${field} was ${was}, now ${now}`, {
            fatal: true,
            hint: 'the environment or the proposer changed since the run was recorded, or is not deterministic; start a new run instead (`stepwise replay` shows the first difference)',
          });
        }
        return true;
      }
      case 'candidate':
        return candidates.has(record.id);
      case 'model_call':
        return calls.has(record.id);
      default:
        return false;
    }
  };
  return Object.create(store, {
    append: { value: (record: StoreRecord) => (held(record) ? undefined : store.append(record)) },
  }) as Store;
}
