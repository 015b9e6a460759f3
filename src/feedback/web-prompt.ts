import type { Choice, ExecutionView, Judgment, TurnView } from './types.ts';

/** What the browser is asked right now. Types only: the viewer's page imports them. */
export type WebPrompt = { id: number; kind: 'choose'; view: TurnView } | { id: number; kind: 'judge'; view: ExecutionView };

/** An answer posted by the page: to a `choose` prompt, or to a `judge` prompt. */
export type WebAnswer = { promptId: number; choice: Choice } | { promptId: number; judgment: Judgment };

/** The session as the page sees it. */
export interface FeedbackSessionStatus {
  done: boolean;
  /** The session's run, once it started. */
  runId: string | null;
  taskIds: string[];
  /** A one-line summary once the session ended. */
  summary: string | null;
  error: string | null;
}
