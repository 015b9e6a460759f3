import type { Transition } from '../../../src/core/environment.ts';
import { stripsEnvironment } from '../../../src/envs/strips/index.ts';
import type { StripsProblem, StripsState } from '../../../src/envs/strips/index.ts';

/** Runs plan lines from the initial state, stopping at the first invalid step. */
export function runPlan(problem: StripsProblem, lines: readonly string[]): { states: StripsState[]; last?: Transition<StripsState>; failedAt?: number } {
  const states = [problem.initialState];
  let last: Transition<StripsState> | undefined;
  for (let i = 0; i < lines.length; i++) {
    last = problem.step(states.at(-1)!, stripsEnvironment.parseAction(lines[i]));
    if (!last.check.valid) return { states, last, failedAt: i };
    states.push(last.state);
  }
  return { states, last };
}

/** Every tuple of objects of the parameters' types, kept when `check` accepts it: the slow oracle for legalActions. */
export function bruteForceLegal(problem: StripsProblem, state: StripsState): string[] {
  const found: string[] = [];
  for (const schema of problem.domain.actions.values()) {
    const candidates = schema.parameters.map((p) => problem.objects.objectsOfTypes(p.types));
    const tuples = (n: number): string[][] => (n === 0 ? [[]] : tuples(n - 1).flatMap((t) => candidates[n - 1].map((o) => [...t, o])));
    for (const args of tuples(schema.parameters.length)) {
      if (problem.check(state, { name: schema.name, args }).valid) found.push(`(${[schema.name, ...args].join(' ')})`);
    }
  }
  return found.sort();
}

export function formatted(actions: { name: string; args: string[] }[]): string[] {
  return actions.map((a) => `(${[a.name, ...a.args].join(' ')})`);
}
