import type { Environment } from '../core/environment.ts';
import { ReplayError, isFatal } from '../core/errors.ts';
import { createMemoryStore } from '../store/memory.ts';
import type { ModelCallRecord } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { firstDivergence, type Divergence } from './compare-trees.ts';
import { readRecordedRun } from './recorded-run.ts';
import { recipeOfRun } from './recipe-of-run.ts';
import { tasksOf } from './resume.ts';
import { runRecipe } from './run-recipe.ts';
import { forkStartOf } from './fork-start.ts';
import { recordedStepsOf } from '../worlds/recorded-steps.ts';

export interface ReplayOptions {
  store: Store;
  /** An id, a unique prefix or `latest`. */
  runRef: string;
  /** Used instead of the registry's environment (a test replays under changed dynamics with it). */
  environment?: Environment<any, any, any>;
  /** Environments with side effects: execute every step again in fresh worlds instead of reading the recorded observations. */
  reExecute?: boolean;
}

export interface ReplayReport {
  runId: string;
  identical: boolean;
  /** The first difference, in task order and then in the order the run recorded its nodes. */
  divergence: Divergence | null;
  /** Set when the replay itself stopped: a model request the record does not answer, or another fatal error. */
  stoppedBy: string | null;
  tasks: number;
  nodes: number;
  candidates: number;
  /** Model replies served from the record (none is ever sent). */
  modelCalls: number;
  /** Differences in what the run was recorded with (environment version, stepwise version) that may explain a divergence. */
  notes: string[];
}

/**
 * Re-executes a recorded run from its recipe and seed, with no network: every model reply comes from the run's
 * own record (a request it does not answer stops the replay), every step is recomputed by the environment (a
 * stateful environment's steps are read from the record unless `reExecute`), and
 * the new tree is compared with the recorded one node by node and candidate by candidate.
 * Nothing is written to `store`: the replay records into memory.
 */
export async function replayRun(options: ReplayOptions): Promise<ReplayReport> {
  const recorded = await readRecordedRun(options.store, options.runRef);
  const { run, end } = recorded.summary;
  const recipe = recipeOfRun(run);
  if (!end || end.status === 'interrupted') {
    throw new ReplayError(`run ${run.id} did not finish (${end ? 'interrupted' : 'killed or still running'}), so its record is not a whole run to compare with`, {
      hint: `finish it first with \`stepwise resume ${run.id}\`, then replay it`,
    });
  }
  const start = await forkStartOf(options.store, run);
  const calls = new Map<string, ModelCallRecord>();
  for (const tree of recorded.trees.values()) {
    for (const call of tree.modelCalls) {
      // A reply the run paid for keeps its run id (the client charges it again); one it got from an earlier run does not.
      if (call.text !== null && !calls.has(call.requestHash)) calls.set(call.requestHash, call.cacheHit ? { ...call, runId: `${call.runId}~cache` } : call);
    }
  }
  const replayStore = createMemoryStore();
  const notes: string[] = [];
  const environment = options.environment;
  if (environment && environment.version !== run.env.version) notes.push(`environment ${run.env.name} is version ${environment.version}; the run was recorded under ${run.env.version}`);
  if (recipe.budget.wallMs !== undefined) notes.push(`the run had a wall-time budget (${recipe.budget.wallMs} ms): where a clock stops a search is not reproducible`);
  let stoppedBy: string | null = null;
  try {
    await runRecipe(recipe, {
      store: replayStore,
      modelStore: { append: (record) => replayStore.append(record), findModelCall: async (hash) => calls.get(hash) ?? null },
      offline: true,
      tasks: tasksOf(recorded, run.env.name),
      environment,
      runId: run.id,
      origin: run.origin ?? null,
      start,
      // A stateful run's steps are read from its record (its worlds are not touched again) unless asked to act again.
      recordedSteps: options.reExecute ? undefined : (taskId) => {
        const tree = recorded.trees.get(taskId);
        return tree ? recordedStepsOf(tree) : undefined;
      },
    });
  } catch (error) {
    if (!isFatal(error)) throw error;
    stoppedBy = error instanceof Error ? error.message : String(error);
  }
  let divergence: Divergence | null = null;
  let nodes = 0;
  let candidates = 0;
  let modelCalls = 0;
  for (const task of recorded.tasks) {
    const tree = recorded.trees.get(task.taskId)!;
    nodes += tree.nodes.length;
    candidates += tree.candidates.length;
    modelCalls += tree.modelCalls.length;
    if (divergence) continue;
    const again = await replayStore.getTree(run.id, task.taskId).catch(() => null);
    divergence = again ? firstDivergence(tree, again) : { taskId: task.taskId, nodeId: null, path: [], field: 'task', recorded: 'searched', recomputed: 'not reached' };
  }
  if (!divergence && !stoppedBy && end.status !== 'completed') notes.push(`the run ended as "${end.status}"`);
  return { runId: run.id, identical: !divergence && !stoppedBy, divergence, stoppedBy, tasks: recorded.tasks.length, nodes, candidates, modelCalls, notes };
}
