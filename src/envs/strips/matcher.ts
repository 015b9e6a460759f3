import { deadlineCheck } from '../../core/deadline.ts';
import { bindTerm, formatFact, literalText, parseFact } from './facts.ts';
import type { ActionSchema, AtomLiteral, Literal } from './pddl.ts';
import type { TypedObjects } from './typed-objects.ts';

/** A set of ground facts indexed by predicate, for matching preconditions. */
export interface FactIndex {
  byPredicate: Map<string, string[][]>;
  has(fact: string): boolean;
}

export function indexFacts(facts: Iterable<string>): FactIndex {
  const set = new Set(facts);
  const byPredicate = new Map<string, string[][]>();
  for (const fact of set) {
    const { predicate, args } = parseFact(fact);
    let tuples = byPredicate.get(predicate);
    if (!tuples) byPredicate.set(predicate, (tuples = []));
    tuples.push(args);
  }
  return { byPredicate, has: (fact) => set.has(fact) };
}

/**
 * A plan for grounding one action schema against a state: positive preconditions in a join
 * order, parameters no positive precondition binds, and each remaining check placed at the
 * earliest point where all its parameters are bound.
 */
export interface ActionMatcher {
  schema: ActionSchema;
  steps: AtomLiteral[];
  free: number[];
  /** checksAt[k]: checks decidable once the first k steps matched; the last entry runs after the free parameters. */
  checksAt: Literal[][];
}

export function compileMatcher(schema: ActionSchema): ActionMatcher {
  const remaining = schema.preconditions.filter((l): l is AtomLiteral => l.kind === 'atom' && l.positive);
  const boundAt = new Map<number, number>();
  const steps: AtomLiteral[] = [];
  while (remaining.length > 0) {
    // Most already-bound arguments first, then fewest new variables: joins stay small.
    let best = 0;
    let bestScore = -Infinity;
    remaining.forEach((atom, i) => {
      const vars = atom.terms.filter((t) => t.kind === 'var').map((t) => (t.kind === 'var' ? t.index : -1));
      const bound = vars.filter((v) => boundAt.has(v)).length;
      const score = (atom.terms.length - (vars.length - bound)) * 100 - (vars.length - bound);
      if (score > bestScore) [best, bestScore] = [i, score];
    });
    const [atom] = remaining.splice(best, 1);
    steps.push(atom);
    for (const t of atom.terms) if (t.kind === 'var' && !boundAt.has(t.index)) boundAt.set(t.index, steps.length);
  }
  const free = schema.parameters.map((_, i) => i).filter((i) => !boundAt.has(i));
  const checksAt: Literal[][] = Array.from({ length: steps.length + 2 }, () => []);
  for (const literal of schema.preconditions) {
    if (literal.kind === 'atom' && literal.positive) continue;
    let stage = 0;
    for (const t of literal.terms) {
      if (t.kind !== 'var') continue;
      stage = Math.max(stage, boundAt.get(t.index) ?? steps.length + 1);
    }
    checksAt[stage].push(literal);
  }
  return { schema, steps, free, checksAt };
}

function holds(literal: Literal, args: readonly string[], has: (fact: string) => boolean): boolean {
  const truth = literal.kind === 'equal'
    ? bindTerm(literal.terms[0], args) === bindTerm(literal.terms[1], args)
    : has(formatFact(literal.predicate, literal.terms.map((t) => bindTerm(t, args))));
  return truth === literal.positive;
}

/**
 * Every argument tuple for which the schema is applicable in `facts`, found by backtracking over
 * the positive preconditions (so only tuples supported by facts are tried). `relaxed` ignores
 * negative atom preconditions, for delete-relaxed reachability.
 */
export function matchApplicable(matcher: ActionMatcher, facts: FactIndex, objects: TypedObjects, relaxed = false): string[][] {
  const { schema, steps, free, checksAt } = matcher;
  const binding: string[] = new Array(schema.parameters.length);
  const bound: boolean[] = new Array(schema.parameters.length).fill(false);
  const found: string[][] = [];
  // The backtracking can try millions of tuples in a big problem: it honours --time-limit.
  const check = deadlineCheck();
  const checksPass = (stage: number): boolean => {
    for (const literal of checksAt[stage]) {
      if (relaxed && literal.kind === 'atom') continue;
      if (!holds(literal, binding, facts.has)) return false;
    }
    return true;
  };
  const bindFree = (i: number): void => {
    if (i === free.length) {
      if (checksPass(steps.length + 1)) found.push(binding.slice());
      return;
    }
    const v = free[i];
    for (const name of objects.objectsOfTypes(schema.parameters[v].types)) {
      check();
      binding[v] = name;
      bindFree(i + 1);
    }
  };
  const matchStep = (k: number): void => {
    if (!checksPass(k)) return;
    if (k === steps.length) return bindFree(0);
    const atom = steps[k];
    const assigned: number[] = [];
    for (const tuple of facts.byPredicate.get(atom.predicate) ?? []) {
      check();
      let ok = true;
      for (let j = 0; j < atom.terms.length && ok; j++) {
        const term = atom.terms[j];
        const value = tuple[j];
        if (term.kind === 'const') ok = term.name === value;
        else if (bound[term.index]) ok = binding[term.index] === value;
        else if (objects.isOfType(value, schema.parameters[term.index].types)) {
          binding[term.index] = value;
          bound[term.index] = true;
          assigned.push(term.index);
        } else ok = false;
      }
      if (ok) matchStep(k + 1);
      for (const v of assigned) bound[v] = false;
      assigned.length = 0;
    }
  };
  matchStep(0);
  return found;
}

/** The preconditions that do not hold for these arguments, as text, in the domain file's order. */
export function unmetPreconditions(schema: ActionSchema, args: readonly string[], has: (fact: string) => boolean): string[] {
  return schema.preconditions.filter((l) => !holds(l, args, has)).map((l) => literalText(l, args));
}

/** Standard STRIPS successor: remove the deletes, then add the adds. */
export function successorFacts(schema: ActionSchema, args: readonly string[], facts: ReadonlySet<string>): Set<string> {
  const next = new Set(facts);
  for (const d of schema.deletes) next.delete(formatFact(d.predicate, d.terms.map((t) => bindTerm(t, args))));
  for (const a of schema.adds) next.add(formatFact(a.predicate, a.terms.map((t) => bindTerm(t, args))));
  return next;
}

/** successorFacts plus the net changes, for observations. */
export function applyEffects(schema: ActionSchema, args: readonly string[], facts: ReadonlySet<string>): { next: Set<string>; added: string[]; deleted: string[] } {
  const next = successorFacts(schema, args, facts);
  const added = [...next].filter((f) => !facts.has(f));
  const deleted = [...facts].filter((f) => !next.has(f));
  return { next, added, deleted };
}
