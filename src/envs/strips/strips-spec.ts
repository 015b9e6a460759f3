import { TaskError } from '../../core/errors.ts';
import { parseDomain } from './domain-parser.ts';
import type { Domain } from './pddl.ts';
import { parseProblem } from './problem-parser.ts';
import { createStripsProblem } from './strips-problem.ts';
import type { StripsProblem } from './strips-problem.ts';

/** A task's PDDL texts themselves, so a task is self-contained; the paths only label messages. */
export interface StripsSpec {
  domain: string;
  problem: string;
  domainPath?: string;
  problemPath?: string;
}

// Bounded so a long run over many problems does not hold every parse; one domain serves many problems.
const DOMAIN_CACHE_SIZE = 32;
const PROBLEM_CACHE_SIZE = 256;
const domains = new Map<string, Domain>();
const problems = new Map<string, StripsProblem>();

function remember<V>(cache: Map<string, V>, key: string, limit: number, make: () => V): V {
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const value = make();
  cache.set(key, value);
  if (cache.size > limit) cache.delete(cache.keys().next().value!);
  return value;
}

/** Parses a domain text once per distinct text. */
export function parseDomainCached(text: string, label: string): Domain {
  return remember(domains, text, DOMAIN_CACHE_SIZE, () => parseDomain(text, { label }));
}

/** Parses and compiles a spec, reusing earlier work for identical texts. `taskId` labels errors when the spec has no paths. */
export function loadStripsSpec(spec: StripsSpec, taskId = 'task'): StripsProblem {
  if (typeof spec?.domain !== 'string' || typeof spec.problem !== 'string') {
    throw new TaskError(`Task '${taskId}': the spec must hold the PDDL texts as { domain: string, problem: string }.`, {
      hint: 'Load tasks with loadPddlTasks(domainPath, problemPaths) or generateBlocksworldTasks(…).',
    });
  }
  const domain = parseDomainCached(spec.domain, spec.domainPath ?? `task '${taskId}' domain`);
  return remember(problems, `${spec.domain}\u0000${spec.problem}`, PROBLEM_CACHE_SIZE, () =>
    createStripsProblem(domain, parseProblem(spec.problem, domain, { label: spec.problemPath ?? `task '${taskId}' problem` })));
}
