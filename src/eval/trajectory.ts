import type { Problem } from '../core/environment.ts';
import type { NodeRecord } from '../store/records.ts';
import type { StoredTree } from '../store/store.ts';
import type { StepView } from './match.ts';

/** Which path of a tree is evaluated: the solution's when there is one, else the path the strategy chose. */
export type EvaluatedPath = 'solution' | 'chosen';

/**
 * The path key nodes are checked on. A solved task: root to the solution node. Otherwise the
 * strategy's chosen path: root to the deepest node it kept (node_stats.selected; greedy's line,
 * BFS/beam's frontier, MCTS's most-visited line), ties to the best value, then the earlier node.
 */
export function evaluatedPath(tree: StoredTree): { kind: EvaluatedPath; nodes: NodeRecord[] } {
  const byId = new Map(tree.nodes.map((n) => [n.id, n]));
  let end: NodeRecord | undefined = tree.result?.solutionNodeId ? byId.get(tree.result.solutionNodeId) : undefined;
  const kind: EvaluatedPath = end ? 'solution' : 'chosen';
  if (!end) {
    let bestValue = -Infinity;
    for (const node of tree.nodes) {
      const stats = tree.stats.get(node.id);
      if (!stats?.selected) continue;
      const value = stats.value ?? -Infinity;
      if (!end || node.depth > end.depth || (node.depth === end.depth && value > bestValue)) {
        end = node;
        bestValue = value;
      }
    }
  }
  end ??= tree.nodes.find((n) => n.parentId === null);
  const path: NodeRecord[] = [];
  for (let node = end; node; node = node.parentId ? byId.get(node.parentId) : undefined) path.unshift(node);
  return { kind, nodes: path };
}

/** The facts of a state: STRIPS `facts`, Game of 24 `numbers`, or nothing for other states. */
export function stateFacts(state: unknown): string[] {
  if (typeof state !== 'object' || state === null) return [];
  const record = state as Record<string, unknown>;
  const list = Array.isArray(record.facts) ? record.facts : Array.isArray(record.numbers) ? record.numbers : [];
  return list.map(String);
}

/** The steps of a path (the root is the start, not a step), as the checks see them. */
export function stepViews(path: readonly NodeRecord[], problem: Pick<Problem<unknown, unknown>, 'render'> | null): StepView[] {
  const steps = path.filter((n) => n.parentId !== null);
  return steps.map((node, i) => ({
    index: i + 1,
    nodeId: node.id,
    action: node.actionText ?? '',
    observation: node.observation,
    state: problem ? safeRender(problem, node.state) : JSON.stringify(node.state),
    facts: stateFacts(node.state),
    last: i === steps.length - 1,
    ...webStep(node.state),
  }));
}

function safeRender(problem: Pick<Problem<unknown, unknown>, 'render'>, state: unknown): string {
  try {
    return problem.render(state);
  } catch {
    return JSON.stringify(state);
  }
}

/** A web state's URL and acted-on element (`url` and `target` fields), for `url` and `element` key nodes. */
export function webStep(state: unknown): Pick<StepView, 'url' | 'element'> {
  if (typeof state !== 'object' || state === null) return {};
  const record = state as { url?: unknown; target?: unknown };
  const target = record.target as { path?: unknown; value?: unknown } | null | undefined;
  return {
    url: typeof record.url === 'string' ? record.url : null,
    element: target && typeof target.path === 'string' && typeof target.value === 'string' ? { path: target.path, value: target.value } : null,
  };
}
