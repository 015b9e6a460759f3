import { deadlineCheck } from '../../core/deadline.ts';
import { bindTerm, formatFact } from './facts.ts';
import { indexFacts, matchApplicable } from './matcher.ts';
import type { ActionMatcher } from './matcher.ts';
import type { TypedObjects } from './typed-objects.ts';

/**
 * The ground actions reachable from the initial state when deletes and negative preconditions
 * are ignored, with facts numbered for the heuristic's inner loop. Every state the problem can
 * reach uses only these facts and actions.
 */
export interface RelaxedTask {
  factIds: Map<string, number>;
  factCount: number;
  /** Per ground action: ids of its positive preconditions and of its adds. */
  preconditions: Int32Array[];
  adds: Int32Array[];
  /** For each fact id, the actions that need it. */
  consumers: Int32Array[];
  /** Actions with no positive precondition. */
  unconditional: Int32Array;
}

export function groundRelaxed(matchers: ActionMatcher[], objects: TypedObjects, initFacts: Iterable<string>): RelaxedTask {
  const reached = new Set(initFacts);
  const seen = new Set<string>();
  const groundPre: string[][] = [];
  const groundAdd: string[][] = [];
  // Seconds for hundreds of objects, all before the first heuristic value: it honours --time-limit.
  const check = deadlineCheck();
  let changed = true;
  while (changed) {
    changed = false;
    const index = indexFacts(reached);
    for (const matcher of matchers) {
      const { schema } = matcher;
      for (const args of matchApplicable(matcher, index, objects, true)) {
        check();
        const key = formatFact(schema.name, args);
        if (seen.has(key)) continue;
        seen.add(key);
        groundPre.push(matcher.steps.map((a) => formatFact(a.predicate, a.terms.map((t) => bindTerm(t, args)))));
        const adds = schema.adds.map((a) => formatFact(a.predicate, a.terms.map((t) => bindTerm(t, args))));
        groundAdd.push(adds);
        for (const fact of adds) {
          if (!reached.has(fact)) {
            reached.add(fact);
            changed = true;
          }
        }
      }
    }
  }
  const factIds = new Map<string, number>();
  for (const fact of reached) factIds.set(fact, factIds.size);
  const toIds = (facts: string[]): Int32Array => Int32Array.from(new Set(facts), (f) => factIds.get(f)!);
  const preconditions = groundPre.map(toIds);
  const adds = groundAdd.map(toIds);
  const consumerLists: number[][] = Array.from({ length: factIds.size }, () => []);
  preconditions.forEach((pre, a) => pre.forEach((f) => consumerLists[f].push(a)));
  return {
    factIds,
    factCount: factIds.size,
    preconditions,
    adds,
    consumers: consumerLists.map((list) => Int32Array.from(list)),
    unconditional: Int32Array.from(preconditions.flatMap((pre, a) => (pre.length === 0 ? [a] : []))),
  };
}
