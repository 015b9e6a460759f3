import type { RunResult } from '../search/run.ts';
import type { Store } from '../store/store.ts';
import { startViewServer, type ViewServer } from '../view/server.ts';
import { runFeedbackSession, type FeedbackSessionOptions } from './session.ts';
import { feedbackRoutes, type FeedbackSessionStatus } from './web-routes.ts';
import { webPerson } from './web-person.ts';
import { newRunId } from '../core/ids.ts';

export interface WebFeedbackSession {
  server: ViewServer;
  /** The viewer's feedback page for this session. */
  url: string;
  /** True once the page has read the final state (the CLI waits for it before exiting). */
  readonly finalStateSeen: boolean;
  /** Settles when the session ends (the person stopped, the turns ran out, or `cancel`). */
  finished: Promise<RunResult>;
  /** Ends the session now (Ctrl-C; abort the session's `signal` too, so the run is recorded as interrupted). */
  cancel(reason: string): void;
}

/**
 * Starts a feedback session whose person answers in the viewer's feedback page. The viewer server
 * runs in its write mode: besides its read-only API it takes answers to the open prompt, nothing else.
 */
export async function startWebFeedbackSession<S, A>(
  options: Omit<FeedbackSessionOptions<S, A>, 'person'> & { store: Store; userId: string; profile?: string; port?: number; distDir?: string },
): Promise<WebFeedbackSession> {
  const person = webPerson({ id: options.userId, profile: options.profile });
  const runId = options.runId ?? newRunId();
  const status: FeedbackSessionStatus = { done: false, runId, taskIds: options.tasks.map((t) => t.id), summary: null, error: null };
  let finalStateSeen = false;
  const { routes, writes } = feedbackRoutes(person, () => status, () => (finalStateSeen = true));
  const server = await startViewServer({ store: options.store, port: options.port ?? 0, distDir: options.distDir, environments: [options.env], routes, writes });
  let turns = 0;
  let judged = 0;
  const finished = runFeedbackSession({
    ...options,
    runId,
    person,
    onTurn(turn, taskId) {
      turns++;
      judged += turn.actions.filter((a) => a.executedNodeId).length;
      options.onTurn?.(turn, taskId);
    },
  }).then(
    (result) => {
      Object.assign(status, { done: true, summary: `Recorded ${turns} turn(s) and ${judged} judgment(s) in session ${result.runId}.` });
      return result;
    },
    (error: unknown) => {
      Object.assign(status, { done: true, error: `The session stopped: ${error instanceof Error ? error.message : String(error)}` });
      throw error;
    },
  );
  return {
    server,
    url: `${server.url}#/feedback`,
    get finalStateSeen() {
      return finalStateSeen;
    },
    finished,
    cancel: (reason) => person.cancel(reason),
  };
}
