import { fileURLToPath } from 'node:url';
import type { Task } from '../../core/environment.ts';
import { UsageError } from '../../core/errors.ts';
import type { ResolvedKeyNode } from '../../eval/key-node.ts';
import { defineEnvironmentPlugin } from '../../registry/environment-plugin.ts';
import { intParam, parseGeneratorSpec, splitRowRange } from '../task-spec.ts';
import type { Game24Action } from './action.ts';
import { checkAnswer } from './answer.ts';
import { game24Environment } from './env.ts';
import { generateGame24Tasks } from './generate.ts';
import { parseGame24Solution } from './solution.ts';
import { isSolvable } from './solver.ts';
import type { Game24Spec } from './spec.ts';
import { applyGame24Step, game24LegalActions, game24StateKey, type Game24State, type RoundedDecimals } from './step.ts';
import { loadTotCsv, parseRowRange } from './tot-csv.ts';

const TASK_SPECS = ['tot:../shared/data/tot/24.csv:900-999', 'generate:game24?count=20&seed=1', 'puzzle:4 4 6 8'];
const ROUNDED_VALUES: readonly RoundedDecimals[] = ['resolve', 'refuse'];

/** `?rounded=refuse` at the end of any game24 task spec: how the tasks' steps read rounded decimals (Game24Rules). */
function roundingRule(value: string | null): RoundedDecimals | undefined {
  if (value === null) return undefined;
  if (!(ROUNDED_VALUES as string[]).includes(value)) {
    throw new UsageError(`rounded=${value} is not a rule for rounded decimals`, {
      hint: 'use rounded=resolve (read 2.67 as the one number it rounds; the default) or rounded=refuse (steps must be exact), e.g. --tasks "puzzle:4 4 6 8?rounded=refuse"',
    });
  }
  return value as RoundedDecimals;
}

function withRule(tasks: Task<Game24Spec>[], rule: RoundedDecimals | undefined): Task<Game24Spec>[] {
  return rule === undefined ? tasks : tasks.map((task) => ({ ...task, spec: { ...task.spec, roundedDecimals: rule } }));
}

/** Splits `tot:…:900-999?rounded=refuse` into the spec and its rule; only `rounded` may follow the `?`. */
function splitRule(spec: string): { body: string; rule: RoundedDecimals | undefined } {
  const at = spec.lastIndexOf('?');
  if (at < 0) return { body: spec, rule: undefined };
  const params = new URLSearchParams(spec.slice(at + 1));
  for (const key of params.keys()) {
    if (key !== 'rounded') throw new UsageError(`game24 task specs take only ?rounded=…, not "${key}"`, { hint: 'e.g. --tasks "tot:../shared/data/tot/24.csv:900-999?rounded=refuse"' });
  }
  return { body: spec.slice(0, at), rule: roundingRule(params.get('rounded')) };
}

/**
 * One key node per step, met when the numbers left are a state from which 24 is still reachable. Every solution
 * passes through a solvable state at each depth, whichever solution it is; so node k lists the solvable states k
 * steps from the start, rather than the intermediate results of one solution a solver happens to find.
 */
function game24KeyNodes(task: Task<Game24Spec>): ResolvedKeyNode[] {
  const problem = game24Environment.load(task);
  const start = problem.initialState;
  if (!isSolvable(start.numbers)) return [];
  const nodes: ResolvedKeyNode[] = [];
  let level: Game24State[] = [start];
  for (let depth = 1; depth < start.numbers.length; depth++) {
    const next = new Map<string, Game24State>();
    for (const state of level) {
      for (const action of game24LegalActions(state)) {
        const after = applyGame24Step(state, action).state;
        if (isSolvable(after.numbers)) next.set(game24StateKey(after), after);
      }
    }
    level = [...next.values()];
    const left = start.numbers.length - depth;
    const label = left === 1 ? 'reaches 24' : `${left} numbers left from which 24 is reachable (${level.map((s) => s.numbers.join(' ')).join(' | ')})`;
    nodes.push({ type: 'facts', anyOf: level.map((s) => s.numbers), id: `s${depth}`, label });
  }
  return nodes;
}

export const game24Plugin = defineEnvironmentPlugin<Game24State, Game24Action, Game24Spec>({
  env: game24Environment,
  describe: 'Game of 24 with exact rational arithmetic (Tree of Thoughts)',
  taskSpecs: TASK_SPECS,
  loadTasks(fullSpec) {
    if (fullSpec.startsWith('generate:')) {
      const params = parseGeneratorSpec(fullSpec, 'game24', ['count', 'seed', 'rounded']);
      return withRule(generateGame24Tasks({ count: intParam(params, 'count', 10), seed: intParam(params, 'seed', 1) }), roundingRule(params.get('rounded')));
    }
    const { body: spec, rule } = splitRule(fullSpec);
    if (spec.startsWith('tot:')) {
      const { path, rows } = splitRowRange(spec.slice(4));
      return withRule(loadTotCsv(path, rows === undefined ? undefined : parseRowRange(rows)), rule);
    }
    if (spec.startsWith('puzzle:')) {
      const text = spec.slice(7).trim();
      const numbers = text.split(/[\s,]+/).map(Number);
      if (numbers.length !== 4 || numbers.some((n) => !Number.isInteger(n) || n < 0)) {
        throw new UsageError(`a Game of 24 puzzle is four whole numbers, e.g. "4 4 6 8"; got "${text}"`, {
          hint: 'quote the numbers: --tasks "puzzle:4 4 6 8" (run) or --puzzle "4 4 6 8" (verify)',
        });
      }
      return withRule([{ id: `puzzle-${numbers.join('-')}`, env: 'game24', source: spec, spec: { numbers } }], rule);
    }
    throw new UsageError(`game24 does not understand the task spec "${spec}"`, { hint: `use one of: ${TASK_SPECS.join(' | ')}` });
  },
  parseSolution: (text) => parseGame24Solution(text),
  checkAnswer: (task, answer) => checkAnswer((task.spec as Game24Spec).numbers, answer),
  // Tree of Thoughts' bare numbers.
  promptView: () => ({ family: 'game24', initialLabel: 'Input', state: (state) => state.numbers.join(' '), action: (action) => game24Environment.formatAction(action) }),
  deriveKeyNodes: game24KeyNodes,
  promptFolders: { game24: fileURLToPath(new URL('./prompts/', import.meta.url)) },
});
