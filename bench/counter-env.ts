import { z } from 'zod';
import { defineEnvironment, type Task } from '../src/core/environment.ts';

/** A linear loop of `steps` increments: the cheapest possible environment, so a benchmark measures the engine. */
export const counterEnvironment = defineEnvironment({
  name: 'counter',
  version: '1',
  actionSchema: z.object({ add: z.number() }),
  formatAction: (action: { add: number }) => `add ${action.add}`,
  parseAction: (text: string) => ({ add: Number(text.replace('add', '')) }),
  load(task: Task<{ steps: number }>) {
    const goal = task.spec.steps;
    return {
      initialState: { n: 0 },
      goalText: `count to ${goal}`,
      step: (state: { n: number }, action: { add: number }) => {
        const n = state.n + action.add;
        return { state: { n }, observation: `n=${n}`, reward: n === goal ? 1 : 0, done: n >= goal, success: n === goal, check: { valid: true } };
      },
      legalActions: () => [{ add: 1 }],
      render: (state: { n: number }) => `n=${state.n}`,
      stateKey: (state: { n: number }) => String(state.n),
    };
  },
});

export const counterTask = (steps: number): Task<{ steps: number }> => ({ id: `count-${steps}`, env: 'counter', source: 'bench', spec: { steps } });
