import type { GroundAtom, GroundLiteral, Literal, Term } from './pddl.ts';

/** `(on a b)`, `(handempty)`: the canonical text of a ground fact. */
export function formatFact(predicate: string, args: readonly string[]): string {
  return args.length === 0 ? `(${predicate})` : `(${predicate} ${args.join(' ')})`;
}

/** Inverse of formatFact for canonical fact strings. */
export function parseFact(fact: string): GroundAtom {
  const parts = fact.slice(1, -1).split(' ');
  return { predicate: parts[0], args: parts.slice(1) };
}

/** Sorted and de-duplicated by code unit order, so equal sets of facts give equal arrays whatever their history. */
export function canonicalFacts(facts: Iterable<string>): string[] {
  return [...new Set(facts)].sort(compareText);
}

/** Locale-independent ordering, so keys and listings never depend on the machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function bindTerm(term: Term, args: readonly string[]): string {
  return term.kind === 'var' ? args[term.index] : term.name;
}

/** The literal as text under a binding: `(clear b)`, `(not (holding a))`, `(= a b)`. */
export function literalText(literal: Literal, args: readonly string[]): string {
  const inner = literal.kind === 'equal'
    ? formatFact('=', [bindTerm(literal.terms[0], args), bindTerm(literal.terms[1], args)])
    : formatFact(literal.predicate, literal.terms.map((t) => bindTerm(t, args)));
  return literal.positive ? inner : `(not ${inner})`;
}

/** The positive atoms of a goal as fact strings, in the goal's order (what a plan must make true). */
export function positiveGoalFacts(goal: readonly GroundLiteral[]): string[] {
  return goal.flatMap((l) => (l.kind === 'atom' && l.positive ? [formatFact(l.predicate, l.args)] : []));
}

export function groundLiteralText(literal: GroundLiteral): string {
  const inner = formatFact(literal.kind === 'equal' ? '=' : literal.predicate, literal.args);
  return literal.positive ? inner : `(not ${inner})`;
}

/** Whether a ground literal holds, given membership in the state. */
export function groundLiteralHolds(literal: GroundLiteral, has: (fact: string) => boolean): boolean {
  const holds = literal.kind === 'equal' ? literal.args[0] === literal.args[1] : has(formatFact(literal.predicate, literal.args));
  return holds === literal.positive;
}
