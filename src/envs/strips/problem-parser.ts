import { checkPredicateUse, checkType, expectDefine } from './domain-parser.ts';
import type { Domain, GroundAtom, GroundLiteral, PddlProblem, Term } from './pddl.ts';
import { parseCondition, parseTypedList } from './parse-common.ts';
import { describeExpr, expectAtom, expectList, headOf, parseSExpr, pddlError } from './sexpr.ts';
import type { PddlSource, SAtom, SList } from './sexpr.ts';

/** Parses a PDDL problem against its domain; throws TaskError naming the file, line and what was expected. */
export function parseProblem(text: string, domain: Domain, source: PddlSource): PddlProblem {
  const root = parseSExpr(text, source);
  const problem: PddlProblem = { name: expectDefine(root, source, 'problem'), domainName: '', objects: new Map(domain.constants), init: [], goal: [] };
  let goal: SList | undefined;
  let init: SList | undefined;
  for (const item of root.items.slice(2)) {
    const section = expectList(item, source, root.line, 'a section like (:objects …) or (:init …)');
    const head = headOf(section);
    if (head === ':domain') {
      problem.domainName = expectAtom(section.items[1], source, section.line, 'a domain name').text;
    } else if (head === ':objects') {
      for (const o of parseTypedList(section.items.slice(1), source, '(:objects …)', false)) {
        const type = checkType(domain, o.types, source, o.line, `object '${o.name}'`)[0];
        const previous = problem.objects.get(o.name);
        if (previous !== undefined && previous !== type) {
          throw pddlError(source, o.line, `object '${o.name}' is declared as '${type}' but already has type '${previous}'`);
        }
        problem.objects.set(o.name, type);
      }
    } else if (head === ':init') {
      init = section;
    } else if (head === ':goal') {
      goal = section;
    } else if (head === ':requirements' || head === ':metric') {
      // Plan quality metrics do not change which plans are valid.
    } else {
      throw pddlError(source, section.line, `unknown problem section ${describeExpr(section)}`, 'Expected (:domain …), (:objects …), (:init …) or (:goal …).');
    }
  }
  if (init) problem.init = parseInit(init, domain, problem, source);
  if (goal === undefined) throw pddlError(source, root.line, 'the problem has no (:goal …) section', 'Add (:goal (and …)) with the facts that must hold at the end.');
  if (goal.items.length !== 2) throw pddlError(source, goal.line, `expected exactly one formula in (:goal …), found ${goal.items.length - 1}`, 'Wrap several goal facts in (and …).');
  problem.goal = parseGoal(goal.items[1], domain, problem, source);
  return problem;
}

function resolveObject(atom: SAtom, problem: PddlProblem, source: PddlSource, where: string): string {
  if (atom.text.startsWith('?')) throw pddlError(source, atom.line, `variable ${atom.text} in ${where}; only objects may appear here`);
  if (!problem.objects.has(atom.text)) {
    throw pddlError(source, atom.line, `unknown object '${atom.text}' in ${where}`, 'Declare it under (:objects …) or fix its spelling.');
  }
  return atom.text;
}

function parseInit(section: SList, domain: Domain, problem: PddlProblem, source: PddlSource): GroundAtom[] {
  const facts: GroundAtom[] = [];
  for (const item of section.items.slice(1)) {
    const fact = expectList(item, source, section.line, 'a fact like (on a b) in (:init …)');
    const predicate = expectAtom(fact.items[0], source, fact.line, 'a predicate name in (:init …)').text;
    if (predicate === '=' || predicate === 'not') {
      throw pddlError(source, fact.line, `(${predicate} …) is not allowed in (:init …)`, 'List only the facts that hold initially; every other fact is false.');
    }
    const args = fact.items.slice(1).map((a) => resolveObject(expectAtom(a, source, fact.line, 'an object name'), problem, source, '(:init …)'));
    checkPredicateUse(domain.predicates, predicate, args.length, fact.line, source, '(:init …)');
    facts.push({ predicate, args });
  }
  return facts;
}

function parseGoal(formula: SList | SAtom, domain: Domain, problem: PddlProblem, source: PddlSource): GroundLiteral[] {
  const where = 'the goal';
  const literals = parseCondition(formula, {
    source,
    where,
    resolveTerm: (atom): Term => ({ kind: 'const', name: resolveObject(atom, problem, source, where) }),
    checkPredicate: (name, arity, line) => checkPredicateUse(domain.predicates, name, arity, line, source, where),
  });
  const name = (t: Term): string => (t.kind === 'const' ? t.name : '');
  return literals.map((l): GroundLiteral => {
    if (l.kind === 'equal') return { kind: 'equal', positive: l.positive, args: [name(l.terms[0]), name(l.terms[1])] };
    return { kind: 'atom', positive: l.positive, predicate: l.predicate, args: l.terms.map(name) };
  });
}
