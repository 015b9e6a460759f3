import { stripThinking } from '../propose/reply-lines.ts';

/** ToT's value labels for "can these numbers still reach 24": a judge's verdict on a state. */
export type ValueVerdict = 'sure' | 'likely' | 'impossible';

const LABEL_LINE = /^(?:(?:verdict|answer|judgement|judgment|evaluation|final answer|value)\s*[:=-]\s*)?(sure|likely|impossible)$/i;
const LABEL_WORD = /(?<!\bnot\s)\b(sure|likely|impossible)\b/gi;

function clean(line: string): string {
  return line.replace(/\*\*|__|`|^#+\s*|^>\s*/g, '').replace(/[.!"'()[\]]/g, '').trim();
}

/**
 * The verdict in a judge's reply, as ToT reads its last line: the last line that is only a label
 * (`likely`, `**Verdict:** sure`) wins; otherwise the last label word not preceded by "not"; else null.
 */
export function parseValueVerdict(reply: string): ValueVerdict | null {
  const lines = stripThinking(reply).split(/\r?\n/).map(clean).filter((line) => line !== '');
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = LABEL_LINE.exec(lines[i]);
    if (match) return match[1].toLowerCase() as ValueVerdict;
  }
  const words = [...lines.join('\n').matchAll(LABEL_WORD)];
  return words.length > 0 ? (words[words.length - 1][1].toLowerCase() as ValueVerdict) : null;
}

const STRONG = /\b(?:best|answer|choice|choose|select|selected|chosen|verdict)\b[^0-9\n]{0,24}?#?(\d+)\b/gi;
const NAMED = /\b(?:candidate|option|action|step|number|no\.?)\s*#?\s*(\d+)\b/gi;

/**
 * The 1-based candidate number a pick judge chose, returned 0-based, or why there is none. Read in
 * order: the last `Best: n` (or answer/choice/chosen n; not "pick", which Blocksworld actions use); a reply or last line that is only a
 * number (`2`, `[2]`, `**2.**`, `Candidate 2`); a single candidate number named anywhere.
 */
export function parsePickedIndex(reply: string, count: number): { index: number } | { reason: string } {
  const visible = stripThinking(reply);
  const lines = visible.split(/\r?\n/).map(clean).filter((line) => line !== '');
  let picked: number | undefined;
  const strong = [...visible.replace(/\*\*|__|`/g, '').matchAll(STRONG)];
  if (strong.length > 0) picked = Number(strong[strong.length - 1][1]);
  const last = lines.at(-1);
  if (picked === undefined && last !== undefined) {
    const only = /^(?:(?:candidate|option|number|no)\s*)?#?(\d+)$/i.exec(last.replace(/[:,]/g, '').trim());
    if (only) picked = Number(only[1]);
  }
  if (picked === undefined) {
    const named = new Set([...visible.matchAll(NAMED)].map((m) => Number(m[1])));
    if (named.size === 1) picked = [...named][0];
    else if (named.size > 1) return { reason: `the reply names candidates ${[...named].join(', ')} without saying which is best` };
  }
  if (picked === undefined) return { reason: 'the reply has no candidate number' };
  if (picked < 1 || picked > count) return { reason: `the reply picks ${picked}, but the candidates are numbered 1 to ${count}` };
  return { index: picked - 1 };
}
