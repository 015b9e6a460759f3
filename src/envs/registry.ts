import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Environment, StepCheck, Task } from '../core/environment.ts';
import { UsageError } from '../core/errors.ts';
import {
  checkAnswer,
  game24Environment,
  generateGame24Tasks,
  loadTotCsv,
  parseGame24Solution,
  parseRowRange,
  type Game24Spec,
} from './game24/index.ts';
import { generateBlocksworldTasks, loadPddlTasks, parsePlanText, stripsEnvironment } from './strips/index.ts';

export interface TaskLoadOptions {
  /** PDDL domain file, for STRIPS problem paths. */
  domain?: string;
}

/** A built-in environment with the task specs it understands on the command line. */
export interface EnvironmentEntry {
  env: Environment<any, any, any>;
  describe: string;
  /** Examples of `--tasks` specs, shown in help and errors. */
  taskSpecs: string[];
  loadTasks(spec: string, options: TaskLoadOptions): Task[];
  /** Splits a written solution (a plan file, a list of steps) into step texts and an optional final answer. */
  parseSolution(text: string): { steps: string[]; answer: string | null };
  /** Checks a final answer line, for environments that have one. */
  checkAnswer?(task: Task, answer: string): StepCheck;
}

export const ENVIRONMENTS: Record<string, EnvironmentEntry> = {
  strips: {
    env: stripsEnvironment,
    describe: 'STRIPS PDDL planning (PlanBench dialect: typing, negative preconditions, equality)',
    taskSpecs: [
      'generate:blocksworld?count=10&blocks=4&length=6&seed=1',
      '../shared/data/planbench/blocksworld/instances --domain ../shared/data/planbench/blocksworld/domain.pddl',
      'problem-1.pddl,problem-2.pddl --domain domain.pddl',
    ],
    loadTasks(spec, options) {
      if (spec.startsWith('generate:')) {
        const { kind, params } = parseGeneratorSpec(spec);
        if (kind !== 'blocksworld') throw new UsageError(`strips can generate "blocksworld" tasks, not "${kind}"`);
        return generateBlocksworldTasks({
          count: intParam(params, 'count', 10),
          blocks: intParam(params, 'blocks', 4),
          length: intParam(params, 'length', 6),
          seed: intParam(params, 'seed', 1),
        });
      }
      const paths = spec.split(',').map((p) => p.trim()).filter(Boolean);
      const domain = options.domain ?? findDomainFile(paths[0]);
      if (!domain) {
        throw new UsageError(`no PDDL domain for ${spec}`, {
          hint: 'pass --domain <domain.pddl> (a domain.pddl beside the problems or one folder up is found by itself)',
        });
      }
      return loadPddlTasks(domain, paths);
    },
    parseSolution: (text) => ({ steps: parsePlanText(text), answer: null }),
  },
  game24: {
    env: game24Environment,
    describe: 'Game of 24 with exact rational arithmetic (Tree of Thoughts)',
    taskSpecs: ['tot:../shared/data/tot/24.csv:900-999', 'generate:game24?count=20&seed=1', 'puzzle:4 4 6 8'],
    loadTasks(spec) {
      if (spec.startsWith('tot:')) {
        const rest = spec.slice(4);
        const match = /^(.*?)(?::(\d+(?:-\d+)?))?$/.exec(rest)!;
        return loadTotCsv(match[1], match[2] ? parseRowRange(match[2]) : undefined);
      }
      if (spec.startsWith('generate:')) {
        const { params } = parseGeneratorSpec(spec);
        return generateGame24Tasks({ count: intParam(params, 'count', 10), seed: intParam(params, 'seed', 1) });
      }
      if (spec.startsWith('puzzle:')) {
        const numbers = spec.slice(7).trim().split(/[\s,]+/).map(Number);
        if (numbers.length !== 4 || numbers.some((n) => !Number.isInteger(n))) {
          throw new UsageError(`a puzzle is four whole numbers, e.g. "puzzle:4 4 6 8"; got "${spec}"`);
        }
        return [{ id: `puzzle-${numbers.join('-')}`, env: 'game24', source: spec, spec: { numbers } }];
      }
      throw new UsageError(`game24 does not understand the task spec "${spec}"`, {
        hint: `use one of: ${ENVIRONMENTS.game24.taskSpecs.join(' | ')}`,
      });
    },
    parseSolution: (text) => parseGame24Solution(text),
    checkAnswer: (task, answer) => checkAnswer((task.spec as Game24Spec).numbers, answer),
  },
};

export function getEnvironment(name: string): EnvironmentEntry {
  const entry = ENVIRONMENTS[name];
  if (!entry) throw new UsageError(`unknown environment "${name}"`, { hint: `choose one of: ${Object.keys(ENVIRONMENTS).join(', ')}` });
  return entry;
}

/** Reads a file, or standard input for `-`, with an error that names the path. */
export function readTextInput(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path === '-' ? 'standard input' : path}: ${(error as Error).message}`);
  }
}

function parseGeneratorSpec(spec: string): { kind: string; params: URLSearchParams } {
  const body = spec.slice('generate:'.length);
  const [kind, query = ''] = body.split('?');
  return { kind, params: new URLSearchParams(query) };
}

function intParam(params: URLSearchParams, key: string, fallback: number): number {
  const raw = params.get(key);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`generator parameter ${key} must be a whole number, got "${raw}"`);
  return value;
}

/** PlanBench keeps domain.pddl beside the instances folder; look beside and one level up. */
function findDomainFile(problemPath: string | undefined): string | undefined {
  if (!problemPath || !existsSync(problemPath)) return undefined;
  const folder = statSync(problemPath).isDirectory() ? resolve(problemPath) : dirname(resolve(problemPath));
  return [join(folder, 'domain.pddl'), join(folder, '..', 'domain.pddl')].find((p) => existsSync(p));
}
