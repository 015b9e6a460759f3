import type { ActionSchema, AtomLiteral, Domain, Parameter, PredicateDecl, Term } from './pddl.ts';
import { parseCondition, parseEffect, parseTypedList } from './parse-common.ts';
import type { FormulaScope } from './parse-common.ts';
import { describeExpr, expectAtom, expectList, headOf, parseSExpr, pddlError } from './sexpr.ts';
import type { PddlSource, SList } from './sexpr.ts';

const UNSUPPORTED_SECTIONS = new Set([':functions', ':derived', ':durative-action', ':constraints', ':process', ':event']);

/** Parses a PDDL domain; throws TaskError naming the file, line and what was expected. */
export function parseDomain(text: string, source: PddlSource): Domain {
  const root = parseSExpr(text, source);
  const header = expectDefine(root, source, 'domain');
  const domain: Domain = {
    name: header,
    requirements: [],
    typeParents: new Map([['object', []]]),
    constants: new Map(),
    predicates: new Map(),
    actions: new Map(),
  };
  const actionLists: SList[] = [];
  for (const item of root.items.slice(2)) {
    const section = expectList(item, source, root.line, 'a section like (:predicates …) or (:action …)');
    const head = headOf(section);
    if (head === ':requirements') {
      // Unknown requirements are ignored: an unsupported construct fails later, at its own line.
      domain.requirements = section.items.slice(1).map((r) => expectAtom(r, source, section.line, 'a requirement like :strips').text);
    } else if (head === ':types') {
      parseTypes(section, source, domain);
    } else if (head === ':constants') {
      for (const c of parseTypedList(section.items.slice(1), source, '(:constants …)', false)) {
        domain.constants.set(c.name, checkType(domain, c.types, source, c.line, `constant '${c.name}'`)[0]);
      }
    } else if (head === ':predicates') {
      for (const p of section.items.slice(1)) addPredicate(domain, expectList(p, source, section.line, 'a predicate like (on ?x ?y)'), source);
    } else if (head === ':action') {
      actionLists.push(section);
    } else if (head !== undefined && UNSUPPORTED_SECTIONS.has(head)) {
      throw pddlError(source, section.line, `the section (${head} …) is not supported`, 'stepwise reads :strips, :typing, :negative-preconditions and :equality domains.');
    } else {
      throw pddlError(source, section.line, `unknown domain section ${describeExpr(section)}`, 'Expected (:requirements …), (:types …), (:constants …), (:predicates …) or (:action …).');
    }
  }
  // Actions are read last so they may use predicates and constants declared after them.
  for (const list of actionLists) {
    const action = parseAction(list, source, domain);
    if (domain.actions.has(action.name)) throw pddlError(source, list.line, `action '${action.name}' is defined twice`);
    domain.actions.set(action.name, action);
  }
  return domain;
}

/** Checks `(define (<kind> NAME) …)` and returns NAME. */
export function expectDefine(root: SList, source: PddlSource, kind: 'domain' | 'problem'): string {
  if (headOf(root) !== 'define') throw pddlError(source, root.line, `expected (define (${kind} NAME) …), found ${describeExpr(root)}`);
  const header = expectList(root.items[1], source, root.line, `(${kind} NAME) after define`);
  if (headOf(header) !== kind) {
    const other = headOf(header);
    const hint = other === 'domain' || other === 'problem' ? `This looks like a ${other} file; check which file is the domain and which the problem.` : undefined;
    throw pddlError(source, header.line, `expected (${kind} NAME), found ${describeExpr(header)}`, hint);
  }
  return expectAtom(header.items[1], source, header.line, `a ${kind} name`).text;
}

function parseTypes(section: SList, source: PddlSource, domain: Domain): void {
  for (const t of parseTypedList(section.items.slice(1), source, '(:types …)', false)) {
    if (t.name === 'object') continue;
    domain.typeParents.set(t.name, t.types);
    for (const parent of t.types) if (!domain.typeParents.has(parent)) domain.typeParents.set(parent, ['object']);
  }
}

export function checkType(domain: Domain, types: string[], source: PddlSource, line: number, what: string): string[] {
  for (const t of types) {
    if (!domain.typeParents.has(t)) {
      const declared = [...domain.typeParents.keys()].join(', ');
      throw pddlError(source, line, `unknown type '${t}' for ${what}; declared types: ${declared}`, 'Declare the type under (:types …) or fix its spelling.');
    }
  }
  return types;
}

function addPredicate(domain: Domain, list: SList, source: PddlSource): void {
  const name = expectAtom(list.items[0], source, list.line, 'a predicate name').text;
  if (domain.predicates.has(name)) throw pddlError(source, list.line, `predicate '${name}' is declared twice`);
  const parameters: Parameter[] = parseTypedList(list.items.slice(1), source, `predicate '${name}'`, true).map((p) => ({
    name: p.name,
    types: checkType(domain, p.types, source, p.line, `parameter ${p.name} of predicate '${name}'`),
  }));
  domain.predicates.set(name, { name, parameters });
}

function parseAction(list: SList, source: PddlSource, domain: Domain): ActionSchema {
  const name = expectAtom(list.items[1], source, list.line, 'an action name after :action').text;
  const where = `action '${name}'`;
  const fields = new Map<string, SList | undefined>();
  for (let i = 2; i < list.items.length; i += 2) {
    const key = expectAtom(list.items[i], source, list.line, `a keyword like :parameters in ${where}`);
    if (key.text !== ':parameters' && key.text !== ':precondition' && key.text !== ':effect') {
      throw pddlError(source, key.line, `unknown keyword '${key.text}' in ${where}`, 'Expected :parameters, :precondition or :effect.');
    }
    const value = list.items[i + 1];
    if (value === undefined) throw pddlError(source, key.line, `${key.text} in ${where} has no value`);
    fields.set(key.text, expectList(value, source, key.line, `a list after ${key.text} in ${where}`));
  }
  const paramList = fields.get(':parameters');
  const parameters: Parameter[] = [];
  for (const p of paramList ? parseTypedList(paramList.items, source, `the parameters of ${where}`, true) : []) {
    if (parameters.some((q) => q.name === p.name)) throw pddlError(source, p.line, `parameter ${p.name} appears twice in ${where}`);
    parameters.push({ name: p.name, types: checkType(domain, p.types, source, p.line, `parameter ${p.name} of ${where}`) });
  }
  const scope = (part: string): FormulaScope => ({
    source,
    where: `the ${part} of ${where}`,
    resolveTerm(atom) {
      return resolveActionTerm(atom.text, atom.line, parameters, domain, source, `the ${part} of ${where}`);
    },
    checkPredicate(predicate, arity, line) {
      checkPredicateUse(domain.predicates, predicate, arity, line, source, `the ${part} of ${where}`);
    },
  });
  const pre = fields.get(':precondition');
  const eff = fields.get(':effect');
  const preconditions = pre ? parseCondition(pre, scope('precondition')) : [];
  const effects = (eff ? parseEffect(eff, scope('effect')) : []) as AtomLiteral[];
  return {
    name,
    parameters,
    preconditions,
    adds: effects.filter((e) => e.positive),
    deletes: effects.filter((e) => !e.positive).map((e) => ({ ...e, positive: true })),
  };
}

function resolveActionTerm(text: string, line: number, parameters: Parameter[], domain: Domain, source: PddlSource, where: string): Term {
  if (text.startsWith('?')) {
    const index = parameters.findIndex((p) => p.name === text);
    if (index < 0) {
      const names = parameters.map((p) => p.name).join(', ') || 'none';
      throw pddlError(source, line, `unknown parameter ${text} in ${where}; its parameters are: ${names}`, 'Add it to :parameters or fix its spelling.');
    }
    return { kind: 'var', index };
  }
  if (!domain.constants.has(text)) {
    throw pddlError(source, line, `unknown constant '${text}' in ${where}`, 'Declare it under (:constants …), or use a ?parameter.');
  }
  return { kind: 'const', name: text };
}

export function checkPredicateUse(predicates: Map<string, PredicateDecl>, name: string, arity: number, line: number, source: PddlSource, where: string): void {
  const decl = predicates.get(name);
  if (decl === undefined) {
    const declared = [...predicates.keys()].join(', ') || 'none';
    throw pddlError(source, line, `unknown predicate '${name}' in ${where}; declared predicates: ${declared}`, 'Declare it under (:predicates …) or fix its spelling.');
  }
  if (decl.parameters.length !== arity) {
    throw pddlError(source, line, `predicate '${name}' takes ${decl.parameters.length} argument(s), found ${arity} in ${where}`);
  }
}
