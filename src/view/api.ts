import type { Environment, Problem } from '../core/environment.ts';
import type { RunSummary, TaskRecord } from '../store/records.ts';
import { runRow } from './run-row.ts';
import { runFamilyTree } from './run-family.ts';
import { loadTreeOutline } from '../replay/family.ts';
import type { Store } from '../store/store.ts';
import { nodeOf } from './borrowed-node.ts';
import { badRequest, notFound } from './http-error.ts';
import type { ChartData, Comparison, NodeDetail, NodePath, PathStep, RunDetail, TreeOpening } from './api-types.ts';
import type { TreeCache } from './tree-cache.ts';
import { buildTreeIndex, type TreeIndex } from './tree-index.ts';

export { runRow };

/** What every API handler may read. */
export interface ViewContext {
  store: Store;
  trees: TreeCache;
  /** Environments by name, to render recorded states as the environment shows them. */
  environments: ReadonlyMap<string, Environment<any, any, any>>;
  /** Loaded problems by run and task (null when the task no longer loads). */
  problems: Map<string, Problem<unknown, unknown> | null>;
}

export type Params = Record<string, string>;

/** One GET endpoint: a path pattern with `:name` segments, and its JSON answer. */
export interface ApiRoute {
  path: string;
  handle(params: Params, query: URLSearchParams, context: ViewContext): Promise<unknown>;
}

const OPENING_ROWS = 600;
const MAX_CHILDREN_PAGE = 2000;

async function runOf(store: Store, runId: string): Promise<RunSummary> {
  try {
    return await store.getRun(runId);
  } catch (error) {
    throw notFound(error instanceof Error ? error.message : String(error), 'Pick a run from the runs table.');
  }
}

async function treeOf(context: ViewContext, runId: string, taskId: string) {
  try {
    return await context.trees.get(runId, taskId);
  } catch (error) {
    throw notFound(error instanceof Error ? error.message : String(error), 'Pick a task of the run.');
  }
}

function intParam(query: URLSearchParams, name: string, fallback: number, max: number): number {
  const text = query.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw badRequest(`${name} must be a whole number >= 0, got "${text}".`);
  return Math.min(value, max);
}

function requiredParam(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (value === null || value === '') throw badRequest(`The query parameter ${name} is missing.`);
  return value;
}

// Loading a task's problem can be slow (PDDL parsing): one per task, kept in the context for the server's life.
function renderState({ environments, problems }: ViewContext, envName: string, task: TaskRecord, state: unknown): string | null {
  const key = JSON.stringify([task.runId, task.taskId]);
  if (!problems.has(key)) {
    let problem: Problem<unknown, unknown> | null = null;
    try {
      problem = environments.get(envName)?.load({ id: task.taskId, env: envName, source: task.source, spec: task.spec, meta: task.meta }) ?? null;
    } catch {
      problem = null; // A task the environment no longer loads still shows its state as JSON.
    }
    problems.set(key, problem);
  }
  try {
    return problems.get(key)?.render(state) ?? null;
  } catch {
    return null;
  }
}

/** What /tree answers: a tree's counts, colour scale and first rows to draw. */
function treeOpening(index: TreeIndex, mark: string, rows: number, partial: boolean): TreeOpening {
  const { outline } = index;
  return {
    mark,
    partial,
    task: outline.task,
    result: outline.result,
    nodeCount: outline.totalNodes,
    candidateCount: outline.unexecuted.length,
    rootId: index.rootId,
    hasCredit: index.hasCredit,
    solutionPath: index.solutionPath,
    values: index.values,
    items: index.opening(rows),
  };
}

/** The first rows of a tree in append order, indexed alone: child counts and subtree sizes count only those rows. */
async function quickOpening(context: ViewContext, runId: string, taskId: string, rows: number, mark: string): Promise<TreeOpening> {
  let head;
  try {
    head = await loadTreeOutline(context.store, runId, taskId, { limit: rows });
  } catch (error) {
    throw notFound(error instanceof Error ? error.message : String(error), 'Pick a task of the run.');
  }
  // A cut outline has no unexecuted candidates and no credit values: the opening counts none.
  return treeOpening(buildTreeIndex(head), mark, rows, true);
}

/** A node's trajectory from the root: what the compare view lays side by side. */
async function pathSteps(context: ViewContext, runId: string, nodeId: string): Promise<NodePath> {
  const found = await nodeOf(context.store, runId, nodeId);
  if (!found) throw notFound(`No node ${nodeId} in run ${runId}.`, 'Pick a node in the tree view.');
  const tree = await treeOf(context, runId, found.node.taskId);
  const steps: PathStep[] = [];
  for (const id of tree.pathTo(nodeId)) {
    const stored = id === nodeId ? found : await nodeOf(context.store, runId, id);
    const item = tree.item(id);
    if (!stored || !item) continue;
    steps.push({
      id,
      depth: stored.node.depth,
      actionText: stored.node.actionText,
      observation: stored.node.observation,
      value: item.value,
      reward: stored.node.reward,
      valid: stored.node.check.valid,
      checkReason: stored.node.check.reason ?? null,
      terminal: stored.node.terminal,
      success: stored.node.success,
    });
  }
  return { runId, taskId: found.node.taskId, nodeId, steps };
}

/** The JSON API, GET only. Another tab adds its endpoints here (see docs/viewer.md). */
export const API_ROUTES: ApiRoute[] = [
  {
    path: '/api/runs',
    async handle(_params, _query, { store }) {
      const runs = await store.listRuns();
      return { mark: await store.changeMark(), runs: await Promise.all(runs.map((summary) => runRow(store, summary))) };
    },
  },
  {
    path: '/api/changes',
    async handle(_params, query, { store }) {
      const mark = await store.changeMark();
      return { mark, changed: mark !== query.get('since') };
    },
  },
  {
    path: '/api/runs/:run',
    async handle({ run: runId }, _query, { store }) {
      const summary = await runOf(store, runId);
      const totals = new Map((await store.getModelCallTotals(summary.run.id)).map((t) => [t.taskId, t]));
      const results = new Map(summary.results.map((result) => [result.taskId, result]));
      const tasks = (await store.getTasks(summary.run.id)).map((task) => ({
        taskId: task.taskId,
        index: task.index,
        goalText: task.goalText,
        source: task.source,
        result: results.get(task.taskId) ?? null,
        calls: totals.get(task.taskId) ?? null,
      }));
      return { row: await runRow(store, summary), run: summary.run, end: summary.end, tasks } satisfies RunDetail;
    },
  },
  {
    path: '/api/runs/:run/family',
    async handle({ run: runId }, _query, { store }) {
      return runFamilyTree(store, runId);
    },
  },
  {
    path: '/api/runs/:run/tasks/:task/tree',
    async handle({ run: runId, task: taskId }, query, context) {
      const rows = intParam(query, 'rows', OPENING_ROWS, 20_000);
      const mark = await context.store.changeMark();
      // A tree not indexed yet answers at once from its first rows, while the index builds (whole=1 waits for it).
      const built = query.get('whole') === '1' ? await treeOf(context, runId, taskId) : await context.trees.ifBuilt(runId, taskId);
      if (!built) return quickOpening(context, runId, taskId, rows, mark);
      return treeOpening(built, mark, rows, false);
    },
  },
  {
    path: '/api/runs/:run/tasks/:task/children',
    async handle({ run: runId, task: taskId }, query, context) {
      const tree = await treeOf(context, runId, taskId);
      const nodeId = requiredParam(query, 'node');
      const offset = intParam(query, 'offset', 0, Number.MAX_SAFE_INTEGER);
      const limit = intParam(query, 'limit', 500, MAX_CHILDREN_PAGE);
      if (!tree.has(nodeId)) throw notFound(`No node ${nodeId} in task ${taskId} of run ${runId}.`);
      return tree.children(nodeId, offset, limit);
    },
  },
  {
    path: '/api/runs/:run/nodes/:node',
    async handle({ run: runId, node: nodeId }, _query, context) {
      const { store } = context;
      const found = await nodeOf(store, runId, nodeId);
      if (!found) throw notFound(`No node ${nodeId} in run ${runId}.`, 'Pick a node in the tree view.');
      const summary = await runOf(store, runId);
      const task = (await store.getTasks(runId)).find((t) => t.taskId === found.node.taskId);
      const tree = await treeOf(context, runId, found.node.taskId);
      return {
        ...found,
        rendered: task ? renderState(context, summary.run.env.name, task, found.node.state) : null,
        annotations: await store.getAnnotations(runId, { nodeId }),
        path: tree.pathTo(nodeId),
        scorers: summary.run.scorers,
      } satisfies NodeDetail;
    },
  },
  {
    path: '/api/compare',
    async handle(_params, query, context) {
      const a = await pathSteps(context, requiredParam(query, 'runA'), requiredParam(query, 'nodeA'));
      const b = await pathSteps(context, requiredParam(query, 'runB'), requiredParam(query, 'nodeB'));
      // Steps are compared by action text, so paths in different runs of one task compare too.
      let divergeAt: number | null = null;
      for (let i = 0; i < Math.max(a.steps.length, b.steps.length); i++) {
        if (a.steps[i]?.actionText !== b.steps[i]?.actionText || a.steps[i] === undefined || b.steps[i] === undefined) {
          divergeAt = i;
          break;
        }
      }
      return { a, b, divergeAt } satisfies Comparison;
    },
  },
  {
    path: '/api/charts',
    async handle(_params, _query, { store }) {
      const runs = await store.listRuns();
      return {
        runs: await Promise.all(runs.map(async (summary) => ({
          id: summary.run.id,
          label: `${summary.run.env.name} · ${summary.run.strategy.name}`,
          tasks: summary.tasks,
          // Expansions each solved task took: the success-against-budget curve is their running count.
          solvedAt: summary.results.filter((r) => r.outcome === 'solved').map((r) => r.expansions).sort((x, y) => x - y),
          perTask: (await store.getModelCallTotals(summary.run.id)).map((t) => ({ taskId: t.taskId, calls: t.calls, tokens: t.inputTokens + t.outputTokens })),
          expansionsPerTask: summary.results.map((r) => ({ taskId: r.taskId, expansions: r.expansions })),
        }))),
      } satisfies ChartData;
    },
  },
];
