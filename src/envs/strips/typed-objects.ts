import { compareText } from './facts.ts';
import type { Domain, PddlProblem } from './pddl.ts';

/** The objects of one problem and the type facts about them, precomputed once per problem. */
export interface TypedObjects {
  /** All object and constant names, sorted. */
  names: string[];
  has(name: string): boolean;
  /** The declared type of an object. */
  typeOf(name: string): string | undefined;
  /** True when the object's type is one of `types` or a subtype of one. */
  isOfType(name: string, types: readonly string[]): boolean;
  /** Objects of any of `types`, sorted; cached per type list. */
  objectsOfTypes(types: readonly string[]): string[];
}

export function createTypedObjects(domain: Domain, problem: PddlProblem): TypedObjects {
  const names = [...problem.objects.keys()].sort(compareText);
  const ancestorsOf = new Map<string, Set<string>>();
  const ancestors = (type: string): Set<string> => {
    let found = ancestorsOf.get(type);
    if (found) return found;
    found = new Set();
    const queue = [type];
    while (queue.length > 0) {
      const t = queue.pop()!;
      if (found.has(t)) continue;
      found.add(t);
      queue.push(...(domain.typeParents.get(t) ?? []));
    }
    found.add('object');
    ancestorsOf.set(type, found);
    return found;
  };
  const objectAncestors = new Map(names.map((n) => [n, ancestors(problem.objects.get(n)!)]));
  const byTypes = new Map<string, string[]>();
  const isOfType = (name: string, types: readonly string[]): boolean => {
    const own = objectAncestors.get(name);
    if (own === undefined) return false;
    for (const t of types) if (own.has(t)) return true;
    return false;
  };
  return {
    names,
    has: (name) => objectAncestors.has(name),
    typeOf: (name) => problem.objects.get(name),
    isOfType,
    objectsOfTypes(types) {
      const key = types.join('|');
      let found = byTypes.get(key);
      if (!found) {
        found = names.filter((n) => isOfType(n, types));
        byTypes.set(key, found);
      }
      return found;
    },
  };
}
