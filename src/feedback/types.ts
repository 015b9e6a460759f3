import type { StepCheck } from '../core/environment.ts';

/** A person's verdict on one executed action, as in DRACULA's execution judgments. */
export type Verdict = 'applied' | 'partly' | 'not_applied';
export const VERDICTS: readonly Verdict[] = ['applied', 'partly', 'not_applied'];

/** One proposed action as the person saw it. */
export interface ShownAction {
  /** 1-based position on screen. */
  position: number;
  text: string;
  /** The action's kind, e.g. `add_section` (the `type` of a typed action, else its first word). */
  actionType: string;
  /** The aspect or topic it names, when it names one. */
  topic: string | null;
}

/** What a person sees at the start of a turn. */
export interface TurnView {
  userId: string;
  taskId: string;
  turn: number;
  goal: string;
  /** The current state (the report) as text. */
  stateText: string;
  shown: ShownAction[];
}

/** Positions (1-based) the person picked, and actions they wrote themselves; `stop` ends the session. */
export interface Choice {
  picked: number[];
  custom: string[];
  stop?: boolean;
}

/** What a person sees when judging one executed action. */
export interface ExecutionView {
  userId: string;
  taskId: string;
  turn: number;
  actionText: string;
  actionType: string;
  custom: boolean;
  observation: string;
  check: StepCheck;
  before: string;
  after: string;
}

export interface Judgment {
  verdict: Verdict;
  comment?: string;
}

/** Anyone who picks and judges actions: a person at a terminal or in a browser, or a simulated user. */
export interface Person {
  readonly id: string;
  /** The person's own description of what they want, when they gave one. */
  readonly profile?: string;
  choose(view: TurnView): Promise<Choice>;
  judge(view: ExecutionView): Promise<Judgment>;
}

export function definePerson(person: Person): Person {
  return person;
}

/** `feedback.session` on the run: who, in which study, with what settings. */
export interface SessionAnnotation {
  schema: 'feedback.session/1';
  userId: string;
  study: string;
  profile: string | null;
  k: number;
  maxTurns: number;
  proposer: string;
  startedAt: string;
}

/** One action of a turn, as recorded: shown by the proposer or written by the person. */
export interface TurnAction extends ShownAction {
  candidateId: string;
  picked: boolean;
  custom: boolean;
  /** Why it could not be executed (a custom text that does not parse), when it could not. */
  invalidReason: string | null;
  /** The node its execution created, when it was executed. */
  executedNodeId: string | null;
}

/** `feedback.turn` on the node whose proposals were shown. */
export interface TurnAnnotation {
  schema: 'feedback.turn/1';
  userId: string;
  study: string;
  turn: number;
  /** Shown actions in screen order, then the person's own. */
  actions: TurnAction[];
  stopped: boolean;
  shownAt: number;
  decidedAt: number;
  decisionMs: number;
}

/** `feedback.judgment` on the node an executed action created. */
export interface JudgmentAnnotation {
  schema: 'feedback.judgment/1';
  userId: string;
  study: string;
  turn: number;
  /** The node the turn's proposals were shown at, and the candidate there. */
  turnNodeId: string;
  candidateId: string;
  actionText: string;
  actionType: string;
  custom: boolean;
  verdict: Verdict;
  comment: string | null;
  /** The environment's own per-step check of the execution. */
  check: StepCheck;
  shownAt: number;
  judgedAt: number;
  judgeMs: number;
}
