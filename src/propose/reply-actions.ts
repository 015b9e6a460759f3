import type { ActionReader, ActionReading } from './read-action.ts';
import { directReadings, embeddedReadings, rankedLines, replyLines, stripThinking, type ReplyLine } from './reply-lines.ts';

export type AllowedAction<A> = Extract<ActionReading<A>, { ok: true }>;

/** One reply read as one action, or why it could not be. */
export type ReplyReading<A> = AllowedAction<A> | { ok: false; reason: string };

function emptyReason(reply: string): string {
  if (reply.trim() === '') return 'the reply is empty';
  return stripThinking(reply).trim() === '' ? 'the reply has nothing outside its reasoning (<think>) block' : 'the reply has no action line';
}

type ReadFailure = Extract<ActionReading<unknown>, { ok: false }>;

/** The failure worth reporting: a line that parsed but is not allowed says more than one that did not parse. */
function better(current: { line: ReplyLine; reading: ReadFailure } | undefined, line: ReplyLine, reading: ReadFailure): { line: ReplyLine; reading: ReadFailure } {
  if (!current) return { line, reading };
  return reading.parsed && !current.reading.parsed ? { line, reading } : current;
}

/**
 * Reads a reply that should hold one next action. Lines are tried marked first (fenced, numbered,
 * `Action:`), then plain, then prose-like; each as written, then cut before trailing prose. The first
 * allowed action wins. Only when no line reads directly are actions embedded in sentences tried.
 */
export async function readOneAction<A>(reply: string, read: ActionReader<A>): Promise<ReplyReading<A>> {
  const lines = rankedLines(replyLines(reply));
  if (lines.length === 0) return { ok: false, reason: emptyReason(reply) };
  let failure: ReturnType<typeof better> | undefined;
  for (const line of lines) {
    for (const text of directReadings(line.text)) {
      const reading = await read(text);
      if (reading.ok) return reading;
      if (text === line.text) failure = better(failure, line, reading);
    }
  }
  for (const line of lines) {
    for (const text of embeddedReadings(line.raw)) {
      const reading = await read(text);
      if (reading.ok) return reading;
    }
  }
  const { line, reading } = failure!;
  const where = lines.length === 1 ? '' : ` (none of its ${lines.length} lines is an allowed action; the likeliest, "${line.raw}", was read)`;
  return { ok: false, reason: `${reading.reason}${where}` };
}

/** One line of a list reply: an allowed action, or an attempt that failed. Prose lines are skipped. */
export type ListEntry<A> = AllowedAction<A> | { ok: false; line: string; reason: string };

/**
 * Reads a reply that lists candidate actions, one per line (ToT's propose format). A line that is
 * not an allowed action becomes a failed entry unless it reads as commentary (`Here are…:`).
 */
export async function readActionList<A>(reply: string, read: ActionReader<A>): Promise<ListEntry<A>[] | { ok: false; reason: string }> {
  const lines = replyLines(reply);
  const entries: ListEntry<A>[] = [];
  for (const line of lines) {
    let first: ReadFailure | undefined;
    let allowed: AllowedAction<A> | undefined;
    for (const text of directReadings(line.text)) {
      const reading = await read(text);
      if (reading.ok) {
        allowed = reading;
        break;
      }
      first ??= reading;
    }
    if (allowed) entries.push(allowed);
    else if (!line.prose) entries.push({ ok: false, line: line.raw, reason: first!.reason });
  }
  if (entries.length === 0) return { ok: false, reason: lines.length === 0 ? emptyReason(reply) : 'no line of the reply is an action (every line reads as commentary)' };
  return entries;
}
