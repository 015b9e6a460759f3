export { game24Environment } from './env.ts';
export { formatGame24Action, game24ActionSchema, type Game24Action } from './action.ts';
export { parseGame24Action } from './parse-action.ts';
export {
  DEFAULT_GAME24_RULES,
  applyGame24Step,
  game24LegalActions,
  game24StateKey,
  isGame24Goal,
  renderGame24State,
  type Game24Rules,
  type Game24State,
  type RoundedDecimals,
  type RoundedReading,
} from './step.ts';
export { game24SpecSchema, type Game24Spec } from './spec.ts';
export { checkAnswer } from './answer.ts';
export { parseGame24Solution, selectAnswerText, type Game24Solution } from './solution.ts';
export { isSolvable, solve, type Operator } from './solver.ts';
export { loadTotCsv, parseRowRange, type RowRange } from './tot-csv.ts';
export { allSolvablePuzzles, generateGame24Tasks } from './generate.ts';
export * as rationals from './rational.ts';
export type { Rational } from './rational.ts';
