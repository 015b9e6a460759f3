import type { StepCheck } from '../core/environment.ts';
import { ActionParseError } from '../core/errors.ts';
import { checkAnswer } from '../envs/game24/answer.ts';
import { game24Environment } from '../envs/game24/env.ts';
import { sortedNumberTexts } from '../envs/game24/multiset.ts';
import { tryParseRational, type Rational } from '../envs/game24/rational.ts';
import { applyGame24Step, DEFAULT_GAME24_RULES, game24StateKey, type Game24Rules, type Game24State } from '../envs/game24/step.ts';
import type { Game24Action } from '../envs/game24/action.ts';

/** One line of a model's Game of 24 output, judged by stepwise's own verifier. */
export interface JudgedLine {
  /** The parsed step; null for an `Answer:` line or a line that does not read as a step. */
  action: Game24Action | null;
  text: string;
  isAnswer: boolean;
  check: StepCheck;
  /** The numbers after the line: the true ones after a valid step; after an invalid step, the ones the model claimed (so later steps are judged as the model meant them), else unchanged. */
  state: Game24State;
  stateKey: string;
  observation: string;
}

const ANSWER = /^answer\s*:/i;

/** Judges one output line from `state`: a step is checked exactly (rounded decimals read by `rules`); an `Answer:` line is checked against the puzzle. */
export function judgeLine(puzzle: readonly number[], state: Game24State, line: string, rules: Game24Rules = DEFAULT_GAME24_RULES): JudgedLine {
  const text = line.trim();
  if (ANSWER.test(text)) {
    const check = checkAnswer(puzzle, text);
    return { action: null, text, isAnswer: true, check, state, stateKey: game24StateKey(state), observation: check.valid ? 'The answer is correct.' : `The answer is wrong: ${check.reason}.` };
  }
  let action: Game24Action;
  try {
    action = game24Environment.parseAction(text);
  } catch (error) {
    if (!(error instanceof ActionParseError)) throw error;
    const check = { valid: false, reason: `not a step: ${error.message}` };
    return { action: null, text, isAnswer: false, check, state, stateKey: game24StateKey(state), observation: `Invalid step: ${check.reason}.` };
  }
  const transition = applyGame24Step(state, action, rules);
  const next = transition.check.valid ? transition.state : claimedState(action) ?? state;
  return { action, text, isAnswer: false, check: transition.check, state: next, stateKey: game24StateKey(next), observation: transition.observation };
}

/** The numbers a step says are left, when it says and they all read as numbers. */
function claimedState(action: Game24Action): Game24State | null {
  const left = action.claimed?.left;
  if (!left) return null;
  const values = left.map((text) => tryParseRational(text));
  if (values.some((v) => v === null)) return null;
  return { numbers: sortedNumberTexts(values as Rational[]) };
}

/** The output's lines that carry content (ToT's `Steps:` heading and blank lines dropped). */
export function outputLines(text: string): string[] {
  return text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '' && !/^steps\s*:?$/i.test(line));
}
