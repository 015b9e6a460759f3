import type { Literal, Term } from './pddl.ts';
import { describeExpr, expectAtom, headOf, pddlError, showExpr } from './sexpr.ts';
import type { PddlSource, SAtom, SExpr } from './sexpr.ts';

export interface TypedName {
  name: string;
  types: string[];
  line: number;
}

const SUPPORTED = 'stepwise reads :strips, :typing, :negative-preconditions and :equality';

/** `a b - t1 c - (either t2 t3) d` → a,b: t1; c: t2|t3; d: object. */
export function parseTypedList(items: SExpr[], source: PddlSource, what: string, variables: boolean): TypedName[] {
  const result: TypedName[] = [];
  let pending: SAtom[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.kind === 'atom' && item.text === '-') {
      const typeExpr = items[i + 1];
      if (typeExpr === undefined) throw pddlError(source, item.line, `expected a type name after '-' in ${what}`);
      if (pending.length === 0) throw pddlError(source, item.line, `'- ${showExpr(typeExpr)}' in ${what} has no names before it`, 'Write names before the type, e.g. (?x ?y - block).');
      const types = parseTypeRef(typeExpr, source, what);
      for (const atom of pending) result.push({ name: atom.text, types, line: atom.line });
      pending = [];
      i++;
      continue;
    }
    const atom = expectAtom(item, source, item.line, variables ? `a parameter like ?x in ${what}` : `a name in ${what}`);
    if (variables !== atom.text.startsWith('?')) {
      throw pddlError(source, atom.line, variables ? `expected a parameter starting with '?' in ${what}, found '${atom.text}'` : `expected a name in ${what}, found the variable '${atom.text}'`);
    }
    pending.push(atom);
  }
  for (const atom of pending) result.push({ name: atom.text, types: ['object'], line: atom.line });
  return result;
}

function parseTypeRef(expr: SExpr, source: PddlSource, what: string): string[] {
  if (expr.kind === 'atom') return [expr.text];
  if (headOf(expr) === 'either' && expr.items.length > 1) {
    return expr.items.slice(1).map((item) => expectAtom(item, source, expr.line, `a type name in (either …) in ${what}`).text);
  }
  throw pddlError(source, expr.line, `expected a type name or (either …) in ${what}, found ${describeExpr(expr)}`);
}

/** How names inside a formula are resolved: parameters of an action, or objects of a problem. */
export interface FormulaScope {
  source: PddlSource;
  /** E.g. `the precondition of action 'stack'`. */
  where: string;
  resolveTerm(atom: SAtom): Term;
  /** Throws when the predicate is undeclared or used with the wrong number of arguments. */
  checkPredicate(name: string, arity: number, line: number): void;
}

/** A goal description or precondition: a conjunction of (possibly negated) atoms and equalities. */
export function parseCondition(expr: SExpr, scope: FormulaScope): Literal[] {
  const literals: Literal[] = [];
  collectLiterals(expr, scope, true, literals);
  return literals;
}

/** An effect: a conjunction of atoms and negated atoms. */
export function parseEffect(expr: SExpr, scope: FormulaScope): Literal[] {
  const literals: Literal[] = [];
  collectLiterals(expr, scope, false, literals);
  return literals;
}

// Iterative, in document order: nested (and …) may go thousands of levels deep, which must not overflow the stack.
function collectLiterals(root: SExpr, scope: FormulaScope, isCondition: boolean, out: Literal[]): void {
  const pending: SExpr[] = [root];
  while (pending.length > 0) {
    const expr = pending.pop()!;
    if (expr.kind === 'atom') throw pddlError(scope.source, expr.line, `expected a literal like (pred ?x) in ${scope.where}, found ${describeExpr(expr)}`);
    if (expr.items.length === 0) continue;
    const head = headOf(expr);
    if (head === undefined) throw pddlError(scope.source, expr.line, `expected a predicate name at the start of ${describeExpr(expr)} in ${scope.where}`);
    if (head === 'and') {
      for (let i = expr.items.length - 1; i >= 1; i--) pending.push(expr.items[i]);
      continue;
    }
    if (head === 'not') {
      const inner = expr.items[1];
      if (expr.items.length !== 2 || inner.kind !== 'list' || headOf(inner) === 'not' || headOf(inner) === 'and') {
        throw pddlError(scope.source, expr.line, `expected (not (pred …)) with one atom inside in ${scope.where}, found ${describeExpr(expr)}`);
      }
      out.push(negate(parseLiteral(inner, scope, isCondition)));
      continue;
    }
    out.push(parseLiteral(expr, scope, isCondition));
  }
}

const UNSUPPORTED_FORMS = new Set(['or', 'imply', 'exists', 'forall', 'when', 'increase', 'decrease', 'assign', 'scale-up', 'scale-down']);

function parseLiteral(expr: SExpr & { kind: 'list' }, scope: FormulaScope, isCondition: boolean): Literal {
  const head = expectAtom(expr.items[0], scope.source, expr.line, `a predicate name in ${scope.where}`);
  if (UNSUPPORTED_FORMS.has(head.text)) {
    throw pddlError(scope.source, expr.line, `'${head.text}' in ${scope.where} is not supported`, `${SUPPORTED}; rewrite the domain without '${head.text}'.`);
  }
  const args = expr.items.slice(1).map((item) => expectAtom(item, scope.source, expr.line, `an object or ?parameter in ${describeExpr(expr)}`));
  const terms = args.map((atom) => scope.resolveTerm(atom));
  if (head.text === '=') {
    if (!isCondition) throw pddlError(scope.source, expr.line, `an equality cannot be an effect (in ${scope.where})`);
    if (terms.length !== 2) throw pddlError(scope.source, expr.line, `(= …) takes exactly 2 arguments, found ${terms.length} in ${scope.where}`);
    return { kind: 'equal', positive: true, terms: [terms[0], terms[1]] };
  }
  scope.checkPredicate(head.text, terms.length, expr.line);
  return { kind: 'atom', positive: true, predicate: head.text, terms };
}

function negate(literal: Literal): Literal {
  return { ...literal, positive: !literal.positive };
}
