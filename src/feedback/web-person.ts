import { z } from 'zod';
import { VERDICTS, definePerson, type Choice, type Judgment, type Person } from './types.ts';
import type { WebPrompt } from './web-prompt.ts';
import { SearchStopped } from '../core/errors.ts';

/** An answer posted by the page: to a `choose` prompt, or to a `judge` prompt. The only thing the page can write. */
export const webAnswerSchema = z.union([
  z.object({
    promptId: z.number().int(),
    choice: z.object({ picked: z.array(z.number().int().min(1)).max(50), custom: z.array(z.string().max(500)).max(10), stop: z.boolean().optional() }),
  }).strict(),
  z.object({
    promptId: z.number().int(),
    judgment: z.object({ verdict: z.enum(VERDICTS as [string, ...string[]]), comment: z.string().max(2000).optional() }),
  }).strict(),
]);
export type { WebAnswer, WebPrompt } from './web-prompt.ts';

export interface WebPerson extends Person {
  /** The open prompt, or null while the agent works (or after the session). */
  current(): WebPrompt | null;
  /** Ends the session from outside (Ctrl-C): the open prompt and every later one stop the search with `reason`. */
  cancel(reason: string): void;
  /** Answers the open prompt; an error says why the answer does not fit it. */
  answer(answer: z.infer<typeof webAnswerSchema>): { ok: true } | { ok: false; error: string };
}

/** A person answering in a browser: each choose/judge becomes a prompt the page reads and answers. */
export function webPerson(options: { id: string; profile?: string }): WebPerson {
  let prompt: WebPrompt | null = null;
  let resolve: ((value: Choice | Judgment) => void) | null = null;
  let fail: ((error: Error) => void) | null = null;
  let cancelled: string | null = null;
  let nextId = 1;
  const ask = <T extends Choice | Judgment>(next: Omit<WebPrompt, 'id'>): Promise<T> =>
    new Promise<T>((done, reject) => {
      if (cancelled) return reject(new SearchStopped(cancelled));
      prompt = { ...next, id: nextId++ } as WebPrompt;
      resolve = done as (value: Choice | Judgment) => void;
      fail = reject;
    });
  const person = definePerson({
    id: options.id,
    profile: options.profile,
    choose: (view) => ask<Choice>({ kind: 'choose', view }),
    judge: (view) => ask<Judgment>({ kind: 'judge', view }),
  });
  return {
    ...person,
    current: () => prompt,
    cancel(reason) {
      cancelled = reason;
      const rejectOpen = fail;
      prompt = null;
      resolve = null;
      fail = null;
      rejectOpen?.(new SearchStopped(reason));
    },
    answer(answer) {
      const open = prompt;
      if (!open || !resolve) return { ok: false, error: 'nothing is waiting for an answer' };
      if (answer.promptId !== open.id) return { ok: false, error: `prompt ${answer.promptId} was already answered; the open prompt is ${open.id}` };
      const settle = resolve;
      if (open.kind === 'choose') {
        if (!('choice' in answer)) return { ok: false, error: 'the open prompt asks for a choice' };
        const bad = answer.choice.picked.find((p) => p > open.view.shown.length);
        if (bad !== undefined) return { ok: false, error: `action ${bad} was not shown (1-${open.view.shown.length})` };
        prompt = null;
        resolve = null;
        settle({ picked: answer.choice.picked, custom: answer.choice.custom, stop: answer.choice.stop });
      } else {
        if (!('judgment' in answer)) return { ok: false, error: 'the open prompt asks for a judgment' };
        prompt = null;
        resolve = null;
        settle({ verdict: answer.judgment.verdict as Judgment['verdict'], comment: answer.judgment.comment });
      }
      return { ok: true };
    },
  };
}
