/** One non-blank line of a model's reply, cleaned of chat formatting. */
export interface ReplyLine {
  /** The line with list markers, `Action:` prefixes, quotes and emphasis removed. */
  text: string;
  /** The line as the model wrote it (trimmed). */
  raw: string;
  /** Set off as an answer: inside a code fence, numbered or bulleted, or after an `Action:` prefix. */
  marked: boolean;
  /** Reads as commentary rather than an action (`Sure, here is…`, `Possible next steps:`, `[PLAN]`). */
  prose: boolean;
}

const THINK_TAGS = 'think|thinking|reasoning|reflection';
const THINK_BLOCK = new RegExp(`<(${THINK_TAGS})>[\\s\\S]*?</\\1>`, 'gi');
const THINK_OPEN = new RegExp(`<(?:${THINK_TAGS})>`, 'i');
const THINK_CLOSE = new RegExp(`</(?:${THINK_TAGS})>`, 'gi');
const FENCE = /^\s*(```|~~~)/;
const LIST_MARKER = /^(?:\d+[.)]|\(\d+\)|[-*•+])\s+/;
const ACTION_PREFIX = /^(?:(?:the\s+)?(?:next|final|chosen|proposed|best)\s+)?(?:action|step|move|command)(?:\s*\d+)?\s*(?::|-|–|—|=>|->)\s*/i;
const PROSE_START =
  /^(?:sure|okay|ok|alright|certainly|of course|great|here|let'?s|let me|i\b|i'|i’|we\b|you\b|these|this\b|that\b|the following|note|so\b|therefore|thus|hence|in summary|because|since|explanation|reasoning|input\b|possible next steps|answer\b|final answer)/i;

/**
 * Removes reasoning blocks: `<think>…</think>` (also thinking/reasoning/reflection), a closing tag
 * whose opening tag the chat template swallowed, and an opened block cut off by the token limit.
 */
export function stripThinking(text: string): string {
  let visible = text.replace(THINK_BLOCK, '');
  const closes = [...visible.matchAll(THINK_CLOSE)];
  if (closes.length > 0) {
    const last = closes[closes.length - 1];
    visible = visible.slice(last.index + last[0].length);
  }
  const open = THINK_OPEN.exec(visible);
  if (open) visible = visible.slice(0, open.index);
  return visible;
}

/** Removes emphasis, inline-code ticks, quote and heading markers around a line's content. */
function unwrap(line: string): string {
  return line
    .replace(/^(?:>\s*)+/, '')
    .replace(/^#{1,6}\s+/, '')
    .replace(/\*\*|__|`/g, '')
    .trim();
}

function isProse(text: string): boolean {
  return text.endsWith(':') || text.endsWith('?') || /^\[[^\]]*\]$/.test(text) || PROSE_START.test(text);
}

/**
 * The reply's non-blank lines after thinking is removed, each cleaned of list markers, `Action:`
 * prefixes and markdown. Code-fence delimiters are dropped and the lines inside count as marked.
 */
export function replyLines(reply: string): ReplyLine[] {
  const lines: ReplyLine[] = [];
  let inFence = false;
  for (const rawLine of stripThinking(reply).split(/\r?\n/)) {
    if (FENCE.test(rawLine)) {
      inFence = !inFence;
      continue;
    }
    const raw = rawLine.trim();
    let text = unwrap(raw);
    if (text === '') continue;
    let marked = inFence;
    for (const marker of [LIST_MARKER, ACTION_PREFIX]) {
      const match = marker.exec(text);
      if (match) {
        text = unwrap(text.slice(match[0].length));
        marked = true;
      }
    }
    if (text === '') continue;
    lines.push({ text, raw, marked, prose: !marked && isProse(text) });
  }
  return lines;
}

/** Lines in the order an answer is looked for: marked lines, then plain lines, then prose. */
export function rankedLines(lines: readonly ReplyLine[]): ReplyLine[] {
  const rank = (line: ReplyLine) => (line.marked ? 0 : line.prose ? 2 : 1);
  return lines.map((line, order) => ({ line, order })).sort((a, b) => rank(a.line) - rank(b.line) || a.order - b.order).map((x) => x.line);
}

const CUTS = [
  /\s+(?:—|–|--)\s+/,
  /\s+-\s+(?=[A-Za-z])/,
  /;\s/,
  /,\s/,
  /\.\s/,
  /\s+(?:because|since|so|which|as|to|then|and then)\s/i,
  /(?<=\))\s+(?=[A-Za-z])/,
  /\s+\(/,
];

/** The line itself, then the line cut before trailing prose (`…, because it frees the blue block`), longest first. */
export function directReadings(text: string): string[] {
  const cut = CUTS.map((pattern) => pattern.exec(text)?.index).filter((index): index is number => index !== undefined && index > 0).map((index) => text.slice(0, index).replace(/[\s,;:—–-]+$/, ''));
  return unique([text, ...cut.filter((c) => c !== '').sort((a, b) => b.length - a.length)]);
}

const ACTION_VERB = /\b(?:pick up|put down|unstack|stack)\b/i;

/**
 * Actions embedded in a sentence, tried only when no line reads directly: inline code spans,
 * parenthesized PDDL-like groups, the text from a Blocksworld verb on, the text from the first number on.
 */
export function embeddedReadings(raw: string): string[] {
  const found: string[] = [];
  for (const match of raw.matchAll(/`([^`]+)`/g)) found.push(match[1].trim());
  for (const match of raw.matchAll(/\(([a-z][^()]*)\)/gi)) found.push(`(${match[1].trim()})`);
  const plain = unwrap(raw);
  const verb = ACTION_VERB.exec(plain);
  if (verb) found.push(...directReadings(plain.slice(verb.index)));
  const digit = /(?<![\w.])\d/.exec(plain);
  if (digit && digit.index > 0) found.push(...directReadings(plain.slice(digit.index)));
  return unique(found.filter((text) => text !== ''));
}

function unique(texts: string[]): string[] {
  return [...new Set(texts)];
}
