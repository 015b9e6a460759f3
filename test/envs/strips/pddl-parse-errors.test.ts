import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TaskError } from '../../../src/core/errors.ts';
import { parseDomain, parseProblem } from '../../../src/envs/strips/index.ts';

const SOURCE = { label: 'tiny-domain.pddl' };
const PROBLEM_SOURCE = { label: 'tiny-problem.pddl' };

/** A one-action domain; `body` replaces the action's precondition and effect. */
function tinyDomain(body = ':precondition (and (free ?x) (not (= ?x ?y))) :effect (and (not (free ?x)) (used ?x ?y))', extra = ''): string {
  return `(define (domain tiny)
  (:requirements :strips :equality :some-future-requirement)
  ${extra}
  (:predicates (free ?x) (used ?x ?y))
  (:action use
    :parameters (?x ?y)
    ${body}))`;
}

function throwsTaskError(run: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof TaskError, `expected a TaskError, got ${String(error)}`);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
}

test('a well-formed domain parses and an unknown requirement is ignored', () => {
  const domain = parseDomain(tinyDomain(), SOURCE);
  assert.deepEqual(domain.requirements, [':strips', ':equality', ':some-future-requirement']);
  const use = domain.actions.get('use')!;
  assert.equal(use.preconditions.length, 2);
  assert.deepEqual(use.deletes.map((d) => d.predicate), ['free']);
});

test('unbalanced parentheses name the file and the line of the unclosed or extra paren', () => {
  throwsTaskError(() => parseDomain('(define (domain tiny)\n  (:predicates (free ?x)\n', SOURCE), /tiny-domain\.pddl line 2: unbalanced parentheses/, /never closed/);
  throwsTaskError(() => parseDomain('(define (domain tiny)\n  (:predicates (free ?x)))\n)', SOURCE), /line 3: unbalanced parentheses: a '\)' with no matching '\('/);
  throwsTaskError(() => parseDomain('; only a comment\n', SOURCE), /no PDDL found/);
});

test('an unknown predicate in an action is an error naming the action, the line and the declared predicates', () => {
  const text = tinyDomain(':precondition (and (fre ?x))\n :effect (used ?x ?y)');
  throwsTaskError(() => parseDomain(text, SOURCE), /line 7: unknown predicate 'fre' in the precondition of action 'use'; declared predicates: free, used/);
});

test('wrong arity, unknown parameters, unknown constants and unknown types are errors', () => {
  throwsTaskError(() => parseDomain(tinyDomain(':effect (used ?x)'), SOURCE), /predicate 'used' takes 2 argument\(s\), found 1 in the effect of action 'use'/);
  throwsTaskError(() => parseDomain(tinyDomain(':effect (used ?x ?z)'), SOURCE), /unknown parameter \?z in the effect of action 'use'; its parameters are: \?x, \?y/);
  throwsTaskError(() => parseDomain(tinyDomain(':effect (used ?x home)'), SOURCE), /unknown constant 'home'/);
  throwsTaskError(() => parseDomain(tinyDomain(undefined, '(:constants home - place)'), SOURCE), /line 3: unknown type 'place' for constant 'home'/);
});

test('constructs outside the supported dialect are rejected, not silently ignored', () => {
  throwsTaskError(() => parseDomain(tinyDomain(':precondition (or (free ?x) (free ?y)) :effect (used ?x ?y)'), SOURCE), /'or' in the precondition of action 'use' is not supported/);
  throwsTaskError(() => parseDomain(tinyDomain(':effect (when (free ?x) (used ?x ?y))'), SOURCE), /'when' in the effect of action 'use' is not supported/);
  throwsTaskError(() => parseDomain(tinyDomain(undefined, '(:functions (total-cost))'), SOURCE), /\(:functions …\) is not supported/);
  throwsTaskError(() => parseDomain(tinyDomain(':effect (= ?x ?y)'), SOURCE), /an equality cannot be an effect/);
});

test('problem errors: unknown objects and predicates, missing goal, and a domain passed as the problem', () => {
  const domain = parseDomain(tinyDomain(), SOURCE);
  const problem = (init: string, goal = '(:goal (used a b))'): string => `(define (problem p) (:domain tiny)\n(:objects a b)\n(:init ${init})\n${goal})`;
  assert.equal(parseProblem(problem('(free a)'), domain, PROBLEM_SOURCE).goal.length, 1);
  throwsTaskError(() => parseProblem(problem('(free z)'), domain, PROBLEM_SOURCE), /tiny-problem\.pddl line 3: unknown object 'z' in \(:init …\)/);
  throwsTaskError(() => parseProblem(problem('(fre a)'), domain, PROBLEM_SOURCE), /line 3: unknown predicate 'fre' in \(:init …\)/);
  throwsTaskError(() => parseProblem(problem('(free a)', ''), domain, PROBLEM_SOURCE), /has no \(:goal …\) section/);
  throwsTaskError(() => parseProblem(problem('(free a)', '(:goal (used ?x b))'), domain, PROBLEM_SOURCE), /variable \?x in the goal/);
  throwsTaskError(() => parseProblem(tinyDomain(), domain, PROBLEM_SOURCE), /expected \(problem NAME\), found \(domain tiny\)/);
});

test('errors carry a hint saying what to do next', () => {
  try {
    parseDomain(tinyDomain(':precondition (fre ?x) :effect (used ?x ?y)'), SOURCE);
    assert.fail('expected a TaskError');
  } catch (error) {
    assert.ok(error instanceof TaskError);
    assert.match(error.hint ?? '', /Declare it under \(:predicates …\)/);
  }
});

test('a goal nested 5,000 levels deep parses, and an error inside it is reported, without overflowing the stack', () => {
  const domain = parseDomain(tinyDomain(), SOURCE);
  const nested = (inner: string) => `(define (problem deep) (:domain tiny) (:objects a b) (:init (free a)) (:goal ${'(and '.repeat(5000)}${inner}${')'.repeat(5000)}))`;
  const problem = parseProblem(nested('(used a b) (not (free b))'), domain, PROBLEM_SOURCE);
  assert.equal(problem.goal.length, 2);
  throwsTaskError(() => parseProblem(nested('(used a b) (free)'), domain, PROBLEM_SOURCE), /tiny-problem\.pddl line 1/);
  throwsTaskError(() => parseProblem(nested('(used a b) (or (free a))'), domain, PROBLEM_SOURCE), /'or' in the goal is not supported/);
});
