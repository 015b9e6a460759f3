import type { AnnotationRecord, RunRecord, TaskRecord } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import type { JudgmentAnnotation, TurnAnnotation, Verdict } from './types.ts';

/** What every exported feedback record says about where it comes from: study, person, session, task and turn. */
interface FeedbackRecordHeader {
  study: string;
  userId: string;
  runId: string;
  /** When the session started (ISO), for ordering sessions in time. */
  sessionStartedAt: string;
  taskId: string;
  query: string;
  turn: number;
  candidateId: string;
}

/** One shown (or person-written) action and whether the person picked it: DRACULA's action preferences. */
export interface PreferenceRecord extends FeedbackRecordHeader {
  type: 'preference';
  schema: 'stepwise.feedback.preference/1';
  /** The node the actions were shown at. */
  nodeId: string;
  position: number;
  shownCount: number;
  text: string;
  actionType: string;
  topic: string | null;
  custom: boolean;
  picked: boolean;
  /** The texts of the other actions picked in the same turn (with `picked`, pairs can be formed from a turn's records). */
  pickedTogether: string[];
  decisionMs: number;
}

/** One executed action and the person's verdict on it: DRACULA's execution judgments. */
export interface JudgmentRecord extends FeedbackRecordHeader {
  type: 'judgment';
  schema: 'stepwise.feedback.judgment/1';
  /** The node the execution created. */
  nodeId: string;
  actionText: string;
  actionType: string;
  custom: boolean;
  verdict: Verdict;
  comment: string | null;
  /** The environment's check of the same step, to compare with the person's verdict. */
  checkValid: boolean;
  checkReason: string | null;
  judgeMs: number;
}

export interface FeedbackRecords {
  preferences: PreferenceRecord[];
  judgments: JudgmentRecord[];
}

function queryOf(task: TaskRecord | undefined): string {
  const spec = task?.spec as { query?: unknown } | undefined;
  return typeof spec?.query === 'string' ? spec.query : (task?.goalText ?? '');
}

/** Whether a run is a feedback session (recorded by runFeedbackSession). */
export function isFeedbackRun(run: RunRecord): boolean {
  return run.tags?.feedback === 'session';
}

/** The preference and judgment records of one run, in the order they were made. */
export async function feedbackRecordsOfRun(store: Store, run: RunRecord): Promise<FeedbackRecords> {
  const annotations = await store.getAnnotations(run.id, { kind: 'feedback' });
  const tasks = new Map((await store.getTasks(run.id)).map((t) => [t.taskId, t]));
  const out: FeedbackRecords = { preferences: [], judgments: [] };
  for (const a of annotations) {
    const task = tasks.get(a.taskId ?? '');
    const common = { runId: run.id, sessionStartedAt: run.startedAt, taskId: a.taskId ?? '', query: queryOf(task) };
    if (a.kind === 'feedback.turn') out.preferences.push(...preferencesOf(a, a.data as TurnAnnotation, common));
    else if (a.kind === 'feedback.judgment') out.judgments.push(judgmentOf(a, a.data as JudgmentAnnotation, common));
  }
  return out;
}

type Common = { runId: string; sessionStartedAt: string; taskId: string; query: string };

function preferencesOf(a: AnnotationRecord, turn: TurnAnnotation, common: Common): PreferenceRecord[] {
  const picked = turn.actions.filter((x) => x.picked).map((x) => x.text);
  return turn.actions.map((action) => ({
    type: 'preference',
    schema: 'stepwise.feedback.preference/1',
    study: turn.study,
    userId: turn.userId,
    ...common,
    turn: turn.turn,
    nodeId: a.nodeId ?? '',
    candidateId: action.candidateId,
    position: action.position,
    shownCount: turn.actions.filter((x) => !x.custom).length,
    text: action.text,
    actionType: action.actionType,
    topic: action.topic,
    custom: action.custom,
    picked: action.picked,
    pickedTogether: picked.filter((text) => text !== action.text),
    decisionMs: turn.decisionMs,
  }));
}

function judgmentOf(a: AnnotationRecord, j: JudgmentAnnotation, common: Common): JudgmentRecord {
  return {
    type: 'judgment',
    schema: 'stepwise.feedback.judgment/1',
    study: j.study,
    userId: j.userId,
    ...common,
    turn: j.turn,
    nodeId: a.nodeId ?? '',
    candidateId: j.candidateId,
    actionText: j.actionText,
    actionType: j.actionType,
    custom: j.custom,
    verdict: j.verdict,
    comment: j.comment,
    checkValid: j.check.valid,
    checkReason: j.check.reason ?? null,
    judgeMs: j.judgeMs,
  };
}

/** Every feedback session in the store (optionally of one study), oldest first. */
export async function feedbackRuns(store: Store, options: { study?: string; user?: string } = {}): Promise<RunRecord[]> {
  const runs = (await store.listRuns()).map((s) => s.run).filter(isFeedbackRun);
  return runs
    .filter((r) => (options.study === undefined || r.tags?.study === options.study) && (options.user === undefined || r.tags?.user === options.user))
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
}

/** All records of a study (or of the given runs), sessions oldest first. */
export async function collectFeedback(store: Store, runs: readonly RunRecord[]): Promise<FeedbackRecords> {
  const all: FeedbackRecords = { preferences: [], judgments: [] };
  for (const run of runs) {
    const records = await feedbackRecordsOfRun(store, run);
    all.preferences.push(...records.preferences);
    all.judgments.push(...records.judgments);
  }
  return all;
}
