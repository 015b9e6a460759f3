import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Environment, StepCheck, Task } from '../core/environment.ts';
import { TaskError, UsageError } from '../core/errors.ts';
import {
  checkAnswer,
  game24Environment,
  generateGame24Tasks,
  loadTotCsv,
  parseGame24Solution,
  parseRowRange,
  type Game24Spec,
} from './game24/index.ts';
import type { ModelClient } from '../models/types.ts';
import { loadMcpTasks, mcpEnvironment } from './mcp/index.ts';
import { BROWSER_TASK_SPECS, browserEnvironmentDefault, loadBrowserTasks } from './browser/index.ts';
import { loadReportTasks, modelExecutor, reportEnvironment, reportEnvironmentOffline } from './report/index.ts';
import { loadWorkspaceTasks, workspaceEnvironment } from './workspace/index.ts';
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
  /** The environment when a model is configured, for environments whose steps a model carries out (report edits). */
  withModel?(client: ModelClient): Environment<any, any, any>;
}

const STRIPS_SPEC_HINT = 'pass .pddl problem files or folders, comma-separated (with --domain <domain.pddl>), or generate:blocksworld?count=10&blocks=4&length=6';

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
        const params = parseGeneratorSpec(spec, 'blocksworld', ['count', 'blocks', 'length', 'seed']);
        return generateBlocksworldTasks({
          count: intParam(params, 'count', 10),
          blocks: intParam(params, 'blocks', 4),
          length: intParam(params, 'length', 6),
          seed: intParam(params, 'seed', 1),
        });
      }
      const paths = spec.split(',').map((p) => p.trim()).filter(Boolean);
      if (paths.length === 0) throw new UsageError(`the task spec "${spec}" names no PDDL problem files`, { hint: STRIPS_SPEC_HINT });
      const missing = paths.find((p) => !existsSync(p));
      if (missing) throw new TaskError(`cannot read the PDDL problem path ${missing}: no such file or folder`, { hint: STRIPS_SPEC_HINT });
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
        const { path, rows } = splitRowRange(spec.slice(4));
        return loadTotCsv(path, rows === undefined ? undefined : parseRowRange(rows));
      }
      if (spec.startsWith('generate:')) {
        const params = parseGeneratorSpec(spec, 'game24', ['count', 'seed']);
        return generateGame24Tasks({ count: intParam(params, 'count', 10), seed: intParam(params, 'seed', 1) });
      }
      if (spec.startsWith('puzzle:')) {
        const text = spec.slice(7).trim();
        const numbers = text.split(/[\s,]+/).map(Number);
        if (numbers.length !== 4 || numbers.some((n) => !Number.isInteger(n) || n < 0)) {
          throw new UsageError(`a Game of 24 puzzle is four whole numbers, e.g. "4 4 6 8"; got "${text}"`, {
            hint: 'quote the numbers: --tasks "puzzle:4 4 6 8" (run) or --puzzle "4 4 6 8" (verify)',
          });
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
  report: {
    env: reportEnvironmentOffline,
    describe: 'a multi-section report with citations, written from a paper corpus by typed edits',
    taskSpecs: ['"../shared/data/papers/intermediate-actions.jsonl#which intermediate actions do users want?"', 'papers.csv#@queries.txt'],
    loadTasks: (spec) => loadReportTasks(spec),
    withModel: (client) => reportEnvironment({ executor: modelExecutor({ client }) }),
    parseSolution: (text) => ({ steps: text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean), answer: null }),
  },
  mcp: {
    env: mcpEnvironment,
    describe: 'the tools of any MCP server as typed actions (a server per world; use --model … --mode tools)',
    taskSpecs: ['examples/mcp/notes.yaml', 'examples/mcp/memory.yaml'],
    loadTasks: (spec) => loadMcpTasks(spec),
    // One tool call per line: `<tool> {json arguments}`.
    parseSolution: (text) => ({ steps: text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean), answer: null }),
  },
  workspace: {
    env: workspaceEnvironment,
    describe: 'files and commands: a task folder and a goal check; tool calls read, write, edit, list, search and run commands (bubblewrap, no network)',
    taskSpecs: ['builtin', 'builtin:fix-failing-test,find-value', 'path/to/task-folder,path/to/another'],
    loadTasks: (spec) => loadWorkspaceTasks(spec),
    parseSolution: (text) => ({ steps: text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean), answer: null }),
  },
  browser: {
    env: browserEnvironmentDefault,
    describe: 'web tasks in Chromium (MiniWoB++ page protocol; GUI and tool actions; WebCanvas key nodes)',
    taskSpecs: BROWSER_TASK_SPECS,
    loadTasks: (spec) => loadBrowserTasks(spec),
    parseSolution: (text) => ({ steps: text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean), answer: null }),
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
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new UsageError(`cannot read ${path === '-' ? 'standard input' : path}: ${reason}`, { hint: 'pass the path of a text file, or - to read standard input' });
  }
}

/** `generate:<kind>?a=1&b=2`: checks the kind and that every parameter is one the generator reads. */
function parseGeneratorSpec(spec: string, expectedKind: string, known: string[]): URLSearchParams {
  const body = spec.slice('generate:'.length);
  const [kind, query = ''] = body.split('?');
  const example = `generate:${expectedKind}?${known.map((k) => `${k}=…`).join('&')}`;
  if (kind !== expectedKind) throw new UsageError(`this environment generates "${expectedKind}" tasks, not "${kind}"`, { hint: `use ${example}` });
  const params = new URLSearchParams(query);
  for (const key of params.keys()) {
    if (!known.includes(key)) throw new UsageError(`the ${expectedKind} generator has no parameter "${key}"`, { hint: `its parameters are ${known.join(', ')}, as in ${example}` });
  }
  return params;
}

/** `path.csv:900-999` → path and rows; a suffix after the last colon is rows unless it looks like part of a path. */
function splitRowRange(text: string): { path: string; rows?: string } {
  const colon = text.lastIndexOf(':');
  const suffix = text.slice(colon + 1);
  if (colon <= 0 || /[\\/]/.test(suffix) || existsSync(text)) return { path: text };
  return { path: text.slice(0, colon), rows: suffix };
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
