// People in the loop (docs/feedback.md): the `stepwise-agents/feedback` entry point.
export { runFeedbackSession, type FeedbackSessionOptions } from './session.ts';
export { definePerson, VERDICTS, type Person, type Choice, type Judgment, type Verdict, type TurnView, type ExecutionView, type ShownAction } from './types.ts';
export { terminalPerson, FeedbackEnded } from './terminal-person.ts';
export { startWebFeedbackSession, type WebFeedbackSession } from './web-session.ts';
export { collectFeedback, feedbackRuns, type PreferenceRecord, type JudgmentRecord, type FeedbackRecords } from './records.ts';
export { feedbackStats, type FeedbackStats, type FeedbackGroupStats } from './stats.ts';
