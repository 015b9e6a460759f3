import type { Environment, Problem } from '../core/environment.ts';
import { ReplayError } from '../core/errors.ts';
import { getEnvironment } from '../envs/registry.ts';
import { ensurePlugins } from '../registry/load.ts';
import type { RunResult } from '../search/run.ts';
import type { NodeRecord, RecipeModel, RunOrigin, RunRecipe } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { findNode, pathIn } from './family.ts';
import { recipeOfRun } from './recipe-of-run.ts';
import { taskOfRecord } from './recorded-run.ts';
import { runRecipe, type RecipeRunOptions } from '../recipe/run-recipe.ts';

/** What a fork changes; everything left out is taken from the run the node belongs to. */
export interface ForkChanges {
  /** An action to take at the node first, in the environment's text form (e.g. `(unstack b a)` or `4 + 8 = 12`). */
  action?: string;
  /** Another strategy; its options replace the origin's. */
  strategy?: string;
  strategyOptions?: Record<string, string | undefined>;
  /** Another model (null: the legal-action enumerator). */
  model?: RecipeModel | null;
  scorers?: string[];
  /** Budget limits to replace, per task. */
  budget?: RunRecipe['budget'];
  seed?: number;
}

export interface ForkOptions extends Pick<RecipeRunOptions, 'signal' | 'onEvent' | 'environment'> {
  store: Store;
  /** The node to branch from, `<run id>.<n>`. */
  nodeId: string;
  changes?: ForkChanges;
}

export interface ForkResult extends RunResult {
  origin: RunOrigin;
  /** The borrowed path, root to the fork node: these steps are shared, not copied. */
  sharedSteps: NodeRecord[];
  recipe: RunRecipe;
}

/**
 * A new run that continues from a recorded node: it borrows the path from the task's root to the node (no record
 * is copied; the fork's tree is read as that path plus its own records), then takes the given action there, or
 * searches on with the origin's settings or the given strategy, model or budget. Requests the origin already
 * answered are served from the store. The new run is linked to the node by its origin (kind `fork`).
 */
export async function forkRun(options: ForkOptions): Promise<ForkResult> {
  const { store, changes = {} } = options;
  // The node as recorded (its run id whole), however it was named (a run-id prefix will do).
  const { run, tree, node } = await findNode(store, options.nodeId);
  const nodeId = node.id;
  if (!node.check.valid || node.terminal || node.success) {
    const what = node.success ? 'reaches the goal' : node.terminal ? 'is terminal' : 'is an invalid step';
    throw new ReplayError(`node ${nodeId} ${what}; there is nothing to continue from it`, { hint: 'fork from its parent, with --action to take a different step there' });
  }
  const recipe = changedRecipe(recipeOfRun(run), changes);
  await ensurePlugins(recipe.plugins, `run ${run.id}`);
  const path = pathIn(tree, nodeId);
  const env = options.environment ?? getEnvironment(recipe.env).env;
  const task = taskOfRecord(tree.task, run.env.name);
  const origin: RunOrigin = { runId: run.id, nodeId, kind: 'fork' };
  let action: { action: unknown; text: string } | undefined;
  if (changes.action !== undefined) {
    const parsed = env.parseAction(changes.action);
    action = { action: parsed, text: env.formatAction(parsed) };
    await refuseInvalidStart(env.load(task), node, path.nodes, action);
  }
  if (action) recipe.forkAction = action;
  const result = await runRecipe(recipe, {
    store,
    tasks: [task],
    origin,
    start: { path, action },
    environment: options.environment,
    signal: options.signal,
    onEvent: options.onEvent,
  });
  return { ...result, origin, sharedSteps: [...path.nodes], recipe };
}

/**
 * Refused before a run is made: a fork that starts with an invalid step, or one leading back onto the shared path,
 * has nothing to search. A step with side effects is not tried here (that would act on a world): the fork's run records it.
 */
async function refuseInvalidStart(problem: Problem<unknown, unknown>, node: NodeRecord, shared: readonly NodeRecord[], action: { action: unknown; text: string }) {
  try {
    if (problem.sideEffects) return;
    const { check, state } = await problem.step(node.state, action.action);
    if (!check.valid) {
      throw new ReplayError(`the action "${action.text}" is not a valid step at node ${node.id}: ${check.reason ?? 'the environment refused it'}`, {
        hint: `the state there: ${node.observation}`,
      });
    }
    const key = problem.stateKey(state);
    const revisited = shared.find((n) => n.stateKey === key);
    if (revisited) {
      throw new ReplayError(`the action "${action.text}" at node ${node.id} leads back to the state of node ${revisited.id} on the shared path`, {
        hint: `fork from ${revisited.id} instead, or take another step`,
      });
    }
  } finally {
    await problem.close?.();
  }
}

function changedRecipe(base: RunRecipe, changes: ForkChanges): RunRecipe {
  const given = <T extends object>(values: T | undefined): Partial<T> =>
    Object.fromEntries(Object.entries(values ?? {}).filter(([, value]) => value !== undefined)) as Partial<T>;
  const recipe: RunRecipe = { ...base, budget: { ...base.budget, ...given(changes.budget) } };
  if (changes.strategy !== undefined && changes.strategy !== base.strategy) {
    recipe.strategy = changes.strategy;
    recipe.strategyOptions = given(changes.strategyOptions);
  } else {
    recipe.strategyOptions = { ...base.strategyOptions, ...given(changes.strategyOptions) };
  }
  // A new model spec keeps the origin's prompt, mode and sampling settings unless they are given too.
  if (changes.model !== undefined) recipe.model = changes.model === null ? null : { ...base.model, ...given(changes.model) } as RecipeModel;
  if (changes.scorers !== undefined) recipe.scorers = changes.scorers;
  if (changes.seed !== undefined) recipe.seed = changes.seed;
  return JSON.parse(JSON.stringify(recipe)) as RunRecipe;
}
