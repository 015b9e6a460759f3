/** A worked solution as written by a model: step lines, then an optional final answer. */
export interface Game24Solution {
  steps: string[];
  /** The text after the last `Answer:`, e.g. `(4 * 5) + (10 - 6) = 24`; null when there is none. */
  answer: string | null;
}

const ANSWER_PREFIX = /^answer\s*:\s*/i;
/** CoT prompts make models open with a `Steps:` heading; it is not a step. */
const STEPS_HEADING = /^steps\s*:?$/i;

/** Splits ToT-style output into step lines and the `Answer:` line, ignoring blank lines. */
export function parseGame24Solution(text: string): Game24Solution {
  const steps: string[] = [];
  let answer: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || STEPS_HEADING.test(line)) continue;
    if (ANSWER_PREFIX.test(line)) answer = line.replace(ANSWER_PREFIX, '');
    else steps.push(line);
  }
  return { steps, answer };
}

/** The final answer in `text`: its `Answer:` line, else its last non-blank line (as ToT's own checker reads it). */
export function selectAnswerText(text: string): string {
  const { answer } = parseGame24Solution(text);
  if (answer !== null) return answer;
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  return lines.length === 0 ? '' : lines[lines.length - 1];
}
