import type { Proposer } from '../core/step.ts';
import { loadReportTasks, reportEnvironment } from '../envs/report/index.ts';
import type { Person } from '../feedback/types.ts';
import { collectFeedback, feedbackRuns, type PreferenceRecord } from '../feedback/records.ts';
import { runFeedbackSession } from '../feedback/session.ts';
import type { Store } from '../store/store.ts';
import type { SimulatedUserSpec } from './goals.ts';
import { simulatedUser } from './simulated-user.ts';

export interface SimulatedStudyOptions {
  users: readonly SimulatedUserSpec[];
  /** One session per user per query, in this order (the order is time). */
  queries: readonly string[];
  corpus: string;
  store: Store;
  study: string;
  k?: number;
  turns?: number;
  /** The proposer for one user's session, given their records so far in this store's study. */
  proposerFor(user: SimulatedUserSpec, history: readonly PreferenceRecord[]): Proposer<any, any>;
  /** The person who answers for a user (default: the rule-based simulated user). */
  personFor?(user: SimulatedUserSpec, session: number): Person;
  /** Session numbers continue from here (so a later phase keeps counting). */
  firstSession?: number;
  /** Records to count as each user's history before this study's own (an earlier phase). */
  priorHistory?: readonly PreferenceRecord[];
  onSession?(done: number, total: number): void;
}

/** Runs simulated users through feedback sessions over report tasks; each session is one run in the store. */
export async function simulateStudy(options: SimulatedStudyOptions): Promise<string[]> {
  const env = reportEnvironment();
  const runIds: string[] = [];
  const total = options.queries.length * options.users.length;
  const first = options.firstSession ?? 1;
  for (const [q, query] of options.queries.entries()) {
    for (const user of options.users) {
      const own = await collectFeedback(options.store, await feedbackRuns(options.store, { study: options.study, user: user.id }));
      const history = [...(options.priorHistory ?? []).filter((r) => r.userId === user.id), ...own.preferences];
      const session = first + q;
      const tasks = loadReportTasks(`${options.corpus}#${query}`).map((t) => ({ ...t, id: `s${session}` }));
      const result = await runFeedbackSession({
        env,
        tasks,
        proposer: options.proposerFor(user, history),
        person: options.personFor?.(user, session) ?? simulatedUser(user, { seed: session }),
        k: options.k ?? 5,
        maxTurns: options.turns ?? 3,
        study: options.study,
        store: options.store,
        seed: session,
        taskSpec: query,
      });
      runIds.push(result.runId);
      options.onSession?.(runIds.length, total);
    }
  }
  return runIds;
}
