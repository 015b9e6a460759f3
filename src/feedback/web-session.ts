import type { RunResult } from '../search/run.ts';
import { runFeedbackSession, type FeedbackSessionOptions } from './session.ts';
import { startFeedbackWebServer, type FeedbackWebServer } from './web-server.ts';
import { webPerson } from './web-person.ts';

export interface WebFeedbackSession {
  server: FeedbackWebServer;
  /** Settles when the session ends (the person stopped, or the turns ran out). */
  finished: Promise<RunResult>;
}

/** Starts a feedback session whose person answers in a browser, at `server.url`. */
export async function startWebFeedbackSession<S, A>(
  options: Omit<FeedbackSessionOptions<S, A>, 'person'> & { userId: string; profile?: string; port?: number },
): Promise<WebFeedbackSession> {
  const person = webPerson({ id: options.userId, profile: options.profile });
  const status = { done: false, summary: null as string | null, error: null as string | null };
  const server = await startFeedbackWebServer({ person, status: () => status, port: options.port });
  let turns = 0;
  let judged = 0;
  const finished = runFeedbackSession({
    ...options,
    person,
    onTurn(turn, taskId) {
      turns++;
      judged += turn.actions.filter((a) => a.executedNodeId).length;
      options.onTurn?.(turn, taskId);
    },
  }).then(
    (result) => {
      Object.assign(status, { done: true, summary: `Recorded ${turns} turn(s) and ${judged} judgment(s) in session ${result.runId}. You can close this page.` });
      return result;
    },
    (error: unknown) => {
      Object.assign(status, { done: true, error: `The session stopped: ${error instanceof Error ? error.message : String(error)}` });
      throw error;
    },
  );
  return { server, finished };
}
