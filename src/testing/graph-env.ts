import { z } from 'zod';
import { defineEnvironment, type Environment, type Task } from '../core/environment.ts';
import { ActionParseError, TaskError } from '../core/errors.ts';

/** A task on an explicit directed graph: walk from `start` to `goal` along `edges`. */
export interface GraphSpec {
  start: string;
  goal: string;
  /** `from → [to, …]`, in the order actions are enumerated. */
  edges: Record<string, string[]>;
  /** Heuristic value in [0, 1] per vertex (default 0). */
  values?: Record<string, number>;
}

export interface GraphState {
  at: string;
}

export interface GraphAction {
  to: string;
}

/**
 * A tiny environment whose optimal paths and reachable sets are known by construction, for testing
 * strategies and for users testing their own proposers and scorers.
 */
export const graphEnvironment: Environment<GraphState, GraphAction, GraphSpec> = defineEnvironment({
  name: 'graph',
  version: '1',
  actionSchema: z.object({ to: z.string().min(1) }),
  formatAction: (action: GraphAction) => `go ${action.to}`,
  parseAction(text: string): GraphAction {
    const match = /^\s*(?:go\s+)?([\w-]+)\s*$/i.exec(text);
    if (!match) throw new ActionParseError(`expected "go <vertex>", got ${JSON.stringify(text)}`);
    return { to: match[1] };
  },
  load(task: Task<GraphSpec>) {
    const spec = task.spec;
    if (!spec || typeof spec.start !== 'string' || typeof spec.goal !== 'string' || typeof spec.edges !== 'object') {
      throw new TaskError(`graph task ${task.id} needs { start, goal, edges }`);
    }
    const outgoing = (at: string) => spec.edges[at] ?? [];
    return {
      initialState: { at: spec.start },
      goalText: `reach ${spec.goal}`,
      step(state: GraphState, action: GraphAction) {
        if (!outgoing(state.at).includes(action.to)) {
          return {
            state,
            observation: `no edge ${state.at} → ${action.to}`,
            reward: 0,
            done: false,
            success: false,
            check: { valid: false, reason: `no edge from ${state.at} to ${action.to}` },
          };
        }
        const success = action.to === spec.goal;
        return {
          state: { at: action.to },
          observation: `at ${action.to}`,
          reward: success ? 1 : 0,
          done: success || outgoing(action.to).length === 0,
          success,
          check: { valid: true },
        };
      },
      legalActions: (state: GraphState) => outgoing(state.at).map((to) => ({ to })),
      render: (state: GraphState) => `at ${state.at}`,
      stateKey: (state: GraphState) => state.at,
      heuristic: (state: GraphState) => spec.values?.[state.at] ?? 0,
    };
  },
});

export function graphTask(id: string, spec: GraphSpec): Task<GraphSpec> {
  return { id, env: 'graph', source: `inline:${id}`, spec };
}
