import type { Task } from '../core/environment.ts';
import { environments } from '../envs/registry.ts';
import type { AnnotationRecord, TaskOutcome, TaskRecord } from '../store/records.ts';
import type { Store, StoredTree } from '../store/store.ts';
import { keyNodesHash } from './key-node-plan.ts';
import type { ResolvedKeyNode } from './key-node.ts';
import { keyNodeHits, type KeyNodeHit, type SemanticJudge } from './match.ts';
import { scoreTask, type TaskKeyNodeScore } from './metrics.ts';
import { evaluatedPath, stepViews, type EvaluatedPath } from './trajectory.ts';

/** The annotation kind of a task's key-node evaluation (attached to the run and task). */
export const KEY_NODES_KIND = 'eval.keynodes';
/** The annotation kind on the tree node where a key node was first met (key: the key node's id), for the viewer. */
export const KEY_NODE_HIT_KIND = 'eval.keynode';

/** What `eval.keynodes` annotations hold: enough to rebuild every metric without the tree. */
export interface TaskEvaluation {
  evalId: string;
  keyNodesHash: string;
  path: EvaluatedPath;
  pathNodeIds: string[];
  hits: KeyNodeHit[];
  score: TaskKeyNodeScore;
  outcome: TaskOutcome | null;
  expansions: number;
  nodes: number;
  wallMs: number;
  /** Tokens of model calls actually sent (cache hits cost nothing). */
  tokens: number;
  modelCalls: number;
}

/** Checks a stored tree against its key nodes. */
export async function evaluateTree(tree: StoredTree, keyNodes: readonly ResolvedKeyNode[], context: { evalId: string; envName: string; judge?: SemanticJudge }): Promise<TaskEvaluation> {
  const path = evaluatedPath(tree);
  const problem = loadProblem(context.envName, tree.task);
  const steps = stepViews(path.nodes, problem);
  const hits = await keyNodeHits(keyNodes, steps, context.judge);
  const sent = tree.modelCalls.filter((call) => !call.cacheHit && call.attempts > 0);
  return {
    evalId: context.evalId,
    keyNodesHash: keyNodesHash(keyNodes),
    path: path.kind,
    pathNodeIds: path.nodes.map((n) => n.id),
    hits,
    score: scoreTask(hits, steps.length),
    outcome: tree.result?.outcome ?? null,
    expansions: tree.result?.expansions ?? 0,
    nodes: tree.result?.nodes ?? tree.nodes.length,
    wallMs: tree.result?.wallMs ?? 0,
    tokens: sent.reduce((sum, call) => sum + (call.usage ? call.usage.inputTokens + call.usage.outputTokens : 0), 0),
    modelCalls: sent.length,
  };
}

/**
 * Evaluates every task of a run and stores each result as an `eval.keynodes` annotation on the
 * run and task. A task already annotated with the same key nodes is read back, not redone.
 */
export async function evaluateRun(
  store: Store,
  runId: string,
  keyNodesFor: (taskId: string) => readonly ResolvedKeyNode[],
  context: { evalId: string; envName: string; judge?: SemanticJudge },
): Promise<Map<string, TaskEvaluation>> {
  const existing = new Map((await store.getAnnotations(runId, { kind: KEY_NODES_KIND })).map((a) => [a.taskId, a.data as TaskEvaluation]));
  const results = new Map<string, TaskEvaluation>();
  for (const task of await store.getTasks(runId)) {
    const nodes = keyNodesFor(task.taskId);
    const stored = existing.get(task.taskId);
    if (stored && stored.evalId === context.evalId && stored.keyNodesHash === keyNodesHash(nodes)) {
      results.set(task.taskId, stored);
      continue;
    }
    const evaluation = await evaluateTree(await store.getTree(runId, task.taskId), nodes, context);
    const record: AnnotationRecord = { type: 'annotation', runId, taskId: task.taskId, nodeId: null, kind: KEY_NODES_KIND, key: '', data: evaluation, createdAt: Date.now() };
    store.append(record);
    for (const hit of evaluation.hits) {
      if (hit.nodeId === null) continue;
      store.append({ type: 'annotation', runId, taskId: task.taskId, nodeId: hit.nodeId, kind: KEY_NODE_HIT_KIND, key: hit.id, data: { evalId: context.evalId, label: hit.label, score: hit.score, met: hit.met, step: hit.step }, createdAt: Date.now() });
    }
    results.set(task.taskId, evaluation);
  }
  return results;
}

function loadProblem(envName: string, task: TaskRecord) {
  const entry = environments.find(envName);
  if (!entry) return null;
  try {
    return entry.env.load({ id: task.taskId, env: envName, source: task.source, spec: task.spec, meta: task.meta } as Task<never>);
  } catch {
    return null;
  }
}
