import { defineEnvironment, type Environment, type Problem, type Task } from '../../core/environment.ts';
import { TaskError } from '../../core/errors.ts';
import { formatGame24Action, game24ActionSchema, type Game24Action } from './action.ts';
import { sortedNumberTexts } from './multiset.ts';
import { parseGame24Action } from './parse-action.ts';
import { fromNumber } from './rational.ts';
import { isSolvable } from './solver.ts';
import { game24SpecSchema, type Game24Spec } from './spec.ts';
import {
  DEFAULT_GAME24_RULES,
  applyGame24Step,
  game24LegalActions,
  game24StateKey,
  renderGame24State,
  type Game24Rules,
  type Game24State,
} from './step.ts';

/** The task in words, as the Tree of Thoughts prompt puts it. */
export function game24GoalText(numbers: readonly string[]): string {
  return `Use each of the numbers ${numbers.join(' ')} exactly once with basic arithmetic operations (+ - * /) to obtain 24.`;
}

function loadGame24(task: Task<Game24Spec>): Problem<Game24State, Game24Action> {
  const parsed = game24SpecSchema.safeParse(task.spec);
  if (!parsed.success) {
    throw new TaskError(`task ${task.id} is not a Game of 24 puzzle: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'spec'}: ${i.message}`).join('; ')}`, {
      hint: 'a game24 spec looks like { "numbers": [4, 5, 6, 10] }, optionally with "roundedDecimals": "resolve" | "refuse"',
    });
  }
  const numbers = sortedNumberTexts(parsed.data.numbers.map(fromNumber));
  const rules: Game24Rules = { roundedDecimals: parsed.data.roundedDecimals ?? DEFAULT_GAME24_RULES.roundedDecimals };
  return {
    initialState: { numbers },
    goalText: game24GoalText(numbers),
    step: (state, action) => applyGame24Step(state, action, rules),
    legalActions: game24LegalActions,
    render: renderGame24State,
    stateKey: game24StateKey,
    heuristic: (state) => (isSolvable(state.numbers) ? 1 : 0),
  };
}

/** The Game of 24 as in Tree of Thoughts: combine two numbers per step until one is left; win with exactly 24. */
export const game24Environment: Environment<Game24State, Game24Action, Game24Spec> = defineEnvironment({
  name: 'game24',
  version: '2',
  actionSchema: game24ActionSchema,
  formatAction: formatGame24Action,
  parseAction: parseGame24Action,
  load: loadGame24,
});
