import { deadlineCheck } from '../../core/deadline.ts';
import type { RelaxedTask } from './relaxed-grounding.ts';

/**
 * h_FF: the length of a relaxed plan (deletes ignored) extracted from h_add best supporters.
 * Returns a function from a state's facts to the estimate; Infinity when the goal is
 * unreachable even without deletes. Buffers are reused across calls, so a call costs one
 * pass over the relevant ground actions.
 */
export function createRelaxedPlanHeuristic(task: RelaxedTask, goalFacts: readonly string[]): (stateFacts: readonly string[]) => number {
  const goalIds: number[] = [];
  for (const fact of new Set(goalFacts)) {
    const id = task.factIds.get(fact);
    if (id === undefined) return () => Infinity;
    goalIds.push(id);
  }
  const { factCount, preconditions, adds, consumers, unconditional } = task;
  const actionCount = preconditions.length;
  const cost = new Float64Array(factCount);
  const closed = new Uint8Array(factCount);
  const supporter = new Int32Array(factCount);
  const isGoal = new Uint8Array(factCount);
  for (const g of goalIds) isGoal[g] = 1;
  const remaining = new Int32Array(actionCount);
  const actionCost = new Float64Array(actionCount);
  const inPlan = new Uint8Array(actionCount);
  const factSeen = new Uint8Array(factCount);
  const buckets: number[][] = [];

  return (stateFacts) => {
    // One call walks every relevant ground action (hundreds of thousands for 400 objects): it honours --time-limit.
    const check = deadlineCheck(256);
    cost.fill(Infinity);
    closed.fill(0);
    supporter.fill(-1);
    for (let a = 0; a < actionCount; a++) {
      remaining[a] = preconditions[a].length;
      actionCost[a] = 0;
    }
    for (const bucket of buckets) bucket.length = 0;
    const push = (c: number, f: number): void => {
      while (buckets.length <= c) buckets.push([]);
      buckets[c].push(f);
    };
    const fire = (a: number, base: number): void => {
      const c = base + 1;
      for (const g of adds[a]) {
        if (c < cost[g]) {
          cost[g] = c;
          supporter[g] = a;
          push(c, g);
        }
      }
    };
    for (const fact of stateFacts) {
      const id = task.factIds.get(fact);
      if (id !== undefined && cost[id] !== 0) {
        cost[id] = 0;
        push(0, id);
      }
    }
    for (const a of unconditional) fire(a, 0);
    let goalsLeft = goalIds.length;
    for (let c = 0; c < buckets.length && goalsLeft > 0; c++) {
      const bucket = buckets[c];
      for (let i = 0; i < bucket.length && goalsLeft > 0; i++) {
        const f = bucket[i];
        check();
        if (closed[f] || cost[f] !== c) continue;
        closed[f] = 1;
        if (isGoal[f]) goalsLeft--;
        for (const a of consumers[f]) {
          actionCost[a] += c;
          if (--remaining[a] === 0) fire(a, actionCost[a]);
        }
      }
    }
    if (goalsLeft > 0) return Infinity;
    return extractPlanLength();
  };

  function extractPlanLength(): number {
    const stack = goalIds.slice();
    const touchedFacts: number[] = [];
    const touchedActions: number[] = [];
    while (stack.length > 0) {
      const f = stack.pop()!;
      if (factSeen[f]) continue;
      factSeen[f] = 1;
      touchedFacts.push(f);
      if (cost[f] === 0) continue;
      const a = supporter[f];
      if (inPlan[a]) continue;
      inPlan[a] = 1;
      touchedActions.push(a);
      for (const p of preconditions[a]) stack.push(p);
    }
    for (const f of touchedFacts) factSeen[f] = 0;
    for (const a of touchedActions) inPlan[a] = 0;
    return touchedActions.length;
  }
}
