import { createInterface } from 'node:readline';
import { SearchStopped, StepwiseError } from '../core/errors.ts';
import type { Choice, ExecutionView, Judgment, Person, TurnView, Verdict } from './types.ts';

/** The person left (end of input) in the middle of a judgment: the session ends there. */
export class FeedbackEnded extends StepwiseError {
  constructor(message: string) {
    super('feedback_ended', message, { fatal: true, hint: 'the turns judged so far are recorded; start a new session to go on' });
  }
}

/** Lines from a stream, one at a time, without losing lines that arrive before they are asked for (piped input). */
export function lineReader(input: NodeJS.ReadableStream) {
  const rl = createInterface({ input, terminal: false });
  const lines: string[] = [];
  const waiting: ((line: string | null) => void)[] = [];
  let closed = false;
  rl.on('line', (line) => (waiting.length > 0 ? waiting.shift()!(line) : lines.push(line)));
  rl.on('close', () => {
    closed = true;
    for (const w of waiting.splice(0)) w(null);
  });
  return {
    next(): Promise<string | null> {
      if (lines.length > 0) return Promise.resolve(lines.shift()!);
      if (closed) return Promise.resolve(null);
      return new Promise((resolve) => waiting.push(resolve));
    },
    close: () => rl.close(),
  };
}

/** Reads "1 3 + my own action + another": picked positions and the person's own actions. */
export function parseChoiceLine(line: string, shown: number): Choice | { error: string } {
  const text = line.trim();
  if (/^(q|quit|stop)$/i.test(text)) return { picked: [], custom: [], stop: true };
  const [numbers, ...custom] = text.split('+');
  // A "+" with nothing after it is a slip, not "pick none": answering it that way would end the session.
  if (custom.some((c) => c.trim() === '')) return { error: 'write your own action after "+" (e.g. "2 + Add a section on costs"), or leave the "+" out' };
  const picked: number[] = [];
  for (const token of numbers.split(/[\s,]+/).filter(Boolean)) {
    const n = Number(token);
    if (!Number.isInteger(n) || n < 1 || n > shown) return { error: `"${token}" is not one of the actions 1-${shown}` };
    if (!picked.includes(n)) picked.push(n);
  }
  return { picked, custom: custom.map((c) => c.trim()).filter(Boolean) };
}

const VERDICT_KEYS: Record<string, Verdict> = { a: 'applied', applied: 'applied', y: 'applied', p: 'partly', partly: 'partly', n: 'not_applied', no: 'not_applied', 'not': 'not_applied' };

/** Reads "a", "p missing costs", "n": a verdict and an optional comment. */
export function parseJudgmentLine(line: string): Judgment | { error: string } {
  const match = /^\s*(\S+)\s*(.*)$/.exec(line);
  const verdict = match ? VERDICT_KEYS[match[1].toLowerCase()] : undefined;
  if (!verdict) return { error: 'answer a (applied), p (partly) or n (not applied), optionally followed by a comment' };
  return match![2].trim() ? { verdict, comment: match![2].trim() } : { verdict };
}

const clip = (line: string, width: number) => (line.length > width ? `${line.slice(0, width - 1)}…` : line);

/** Lines of `after` that `before` does not have: what an execution added or changed. */
function changedLines(before: string, after: string): string[] {
  const old = new Set(before.split('\n'));
  return after.split('\n').filter((line) => line.trim() !== '' && !old.has(line));
}

/** A person at a terminal: sees the report and the proposed actions, types picks and verdicts. */
export function terminalPerson(options: { id: string; profile?: string; input?: NodeJS.ReadableStream; output?: NodeJS.WritableStream; width?: number }): Person & { close(): void; interrupt(): void } {
  const out = options.output ?? process.stdout;
  const width = options.width ?? 160;
  const lines = lineReader(options.input ?? process.stdin);
  const say = (text: string) => out.write(`${text}\n`);
  let interrupted = false;
  return {
    id: options.id,
    profile: options.profile,
    close: lines.close,
    /** Ctrl-C: the open question goes unanswered and the run ends as interrupted, not failed. */
    interrupt() {
      interrupted = true;
      lines.close();
    },
    async choose(view: TurnView) {
      say(`\n── ${view.taskId} · turn ${view.turn} ──────────────`);
      for (const line of view.stateText.split('\n')) say(clip(line, width));
      say('\nProposed actions:');
      for (const a of view.shown) say(`  ${a.position}. ${a.text}`);
      for (;;) {
        say('Pick any (e.g. "1 3"), add your own after "+" (e.g. "2 + Add a section on costs"), empty for none, q to stop:');
        const line = await lines.next();
        if (line === null) return { picked: [], custom: [], stop: true };
        const choice = parseChoiceLine(line, view.shown.length);
        if ('error' in choice) say(`  ${choice.error}`);
        else return choice;
      }
    },
    async judge(view: ExecutionView) {
      say(`\nExecuted: ${view.actionText}${view.custom ? ' (your own)' : ''}`);
      say(`  ${view.check.valid ? '✓' : '✗'} ${view.observation}`);
      for (const line of changedLines(view.before, view.after).slice(0, 8)) say(`  + ${clip(line, width - 4)}`);
      for (;;) {
        say('Was it applied? a = applied, p = partly, n = not applied; a comment may follow (e.g. "p misses costs"):');
        const line = await lines.next();
        if (line === null && interrupted) throw new SearchStopped('interrupted');
        if (line === null) throw new FeedbackEnded(`input ended before "${view.actionText}" was judged`);
        const judgment = parseJudgmentLine(line);
        if ('error' in judgment) say(`  ${judgment.error}`);
        else return judgment;
      }
    },
  };
}
