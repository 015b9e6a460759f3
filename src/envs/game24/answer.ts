import type { StepCheck } from '../../core/environment.ts';
import { evaluateExpression, ExpressionError, expressionLiterals, parseExpression, type Expression } from './expression.ts';
import { multisetDifference, sortedNumberTexts } from './multiset.ts';
import { equals, fromNumber, toString, tryParseRational, TWENTY_FOUR } from './rational.ts';
import { selectAnswerText } from './solution.ts';

function plural(items: string[], one: string, many: string): string {
  return items.length === 1 ? one : many;
}

/** Says how the numbers an answer uses differ from the puzzle's, e.g. `6 is not used; 7 is not in the puzzle`. */
function describeNumberMismatch(puzzle: string[], missing: string[], extra: string[]): string {
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`${missing.join(' ')} ${plural(missing, 'is', 'are')} not used`);
  const foreign = extra.filter((n) => !puzzle.includes(n));
  const repeated = extra.filter((n) => puzzle.includes(n));
  if (foreign.length > 0) parts.push(`${foreign.join(' ')} ${plural(foreign, 'is', 'are')} not in the puzzle`);
  if (repeated.length > 0) parts.push(`${repeated.join(' ')} ${plural(repeated, 'is', 'are')} used more often than the puzzle has it`);
  return parts.join('; ');
}

/**
 * Checks a final answer such as ToT's `Answer: (4 * 5) + (10 - 6) = 24`: it must use exactly the
 * puzzle's numbers, each once, and equal exactly 24. Multi-line text is read for its `Answer:` line.
 */
export function checkAnswer(puzzle: readonly number[], text: string): StepCheck {
  const puzzleNumbers = sortedNumberTexts(puzzle.map(fromNumber));
  const answer = selectAnswerText(text).replace(/^answer\s*:\s*/i, '').replace(/\.$/, '').trim();
  if (answer === '') {
    return { valid: false, reason: 'the answer is empty; expected an expression such as (4 * 5) + (10 - 6) = 24' };
  }
  const sides = answer.split('=');
  const source = sides[0];
  let expression: Expression;
  try {
    expression = parseExpression(source);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    return { valid: false, reason: `cannot read the answer '${answer}': ${error.message}`, detail: { answer } };
  }

  const used = expressionLiterals(expression);
  const { missing, extra } = multisetDifference(puzzleNumbers, used);
  const reasons: string[] = [];
  if (missing.length > 0 || extra.length > 0) {
    reasons.push(
      `uses ${used.join(' ')} but the puzzle is ${puzzleNumbers.join(' ')} (${describeNumberMismatch(puzzleNumbers, missing, extra)})`,
    );
  }
  const detail: Record<string, unknown> = { answer, used, puzzle: puzzleNumbers, missing, extra };
  try {
    const value = evaluateExpression(expression, source);
    detail.value = toString(value);
    if (!equals(value, TWENTY_FOUR)) reasons.push(`evaluates to ${toString(value)}, not 24`);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    reasons.push(error.message);
  }
  const stated = sides.length > 1 ? tryParseRational(sides[sides.length - 1]) : null;
  if (reasons.length === 0 && stated !== null && !equals(stated, TWENTY_FOUR)) {
    reasons.push(`the expression equals 24 but the answer says = ${toString(stated)}`);
  }
  if (reasons.length > 0) return { valid: false, reason: reasons.join('; and it '), detail };
  return { valid: true, detail };
}
