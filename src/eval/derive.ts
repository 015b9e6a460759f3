import type { Task } from '../core/environment.ts';
import { applyGame24Step, game24LegalActions, game24StateKey, isSolvable, type Game24State } from '../envs/game24/index.ts';
import { game24Environment } from '../envs/game24/env.ts';
import { positiveGoalFacts } from '../envs/strips/facts.ts';
import { loadStripsSpec, type StripsSpec } from '../envs/strips/strips-spec.ts';
import type { ResolvedKeyNode } from './key-node.ts';

/**
 * Key nodes an environment knows from the task alone, or null when it knows none.
 * STRIPS: one node per positive goal fact that is false at the start, met when the fact becomes true.
 * Game of 24: one node per step, met when the numbers left are a state from which 24 is still reachable.
 */
export function deriveKeyNodes(task: Task): ResolvedKeyNode[] | null {
  if (task.env === 'strips') return stripsKeyNodes(task.spec as StripsSpec, task.id);
  if (task.env === 'game24') return game24KeyNodes(task);
  return null;
}

function stripsKeyNodes(spec: StripsSpec, taskId: string): ResolvedKeyNode[] {
  const problem = loadStripsSpec(spec, taskId);
  const initial = new Set(problem.initialState.facts);
  return positiveGoalFacts(problem.goal)
    .filter((fact) => !initial.has(fact))
    .map((fact, i) => ({ type: 'facts', contains: [fact], id: `g${i + 1}`, label: `${fact} becomes true` }));
}

/**
 * Every solution passes through a solvable state at each depth, whichever solution it is; so node k
 * lists the solvable states k steps from the start (any solution's intermediate numbers), rather
 * than the intermediate results of one solution the solver happens to find. The last node is 24 itself.
 */
function game24KeyNodes(task: Task): ResolvedKeyNode[] {
  const problem = game24Environment.load(task as Task<never>);
  const start = problem.initialState;
  if (!isSolvable(start.numbers)) return [];
  const nodes: ResolvedKeyNode[] = [];
  let level: Game24State[] = [start];
  for (let depth = 1; depth < start.numbers.length; depth++) {
    const next = new Map<string, Game24State>();
    for (const state of level) {
      for (const action of game24LegalActions(state)) {
        const after = applyGame24Step(state, action).state;
        if (isSolvable(after.numbers)) next.set(game24StateKey(after), after);
      }
    }
    level = [...next.values()];
    const left = start.numbers.length - depth;
    const label = left === 1 ? 'reaches 24' : `${left} numbers left from which 24 is reachable (${level.map((s) => s.numbers.join(' ')).join(' | ')})`;
    nodes.push({ type: 'facts', anyOf: level.map((s) => s.numbers), id: `s${depth}`, label });
  }
  return nodes;
}
