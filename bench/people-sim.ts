/**
 * Simulated users over the sample corpus (offline): does the selection-history predictor beat the
 * no-context one on held-out later sessions, and are proposals personalised from past picks picked
 * more often than generic ones?
 *
 *   node bench/people-sim.ts [--users 5] [--queries 8] [--train 5] [--turns 3] [--k 5] [--model <spec>]
 *
 * With --model, the LLM selection judges (no context, profile, history) are evaluated as well;
 * with --model-users too, the model also plays the simulated users (their goals in its prompt).
 */
import { parseArgs } from 'node:util';
import { reportProposer } from '../src/envs/report/index.ts';
import { collectFeedback, feedbackRuns } from '../src/feedback/records.ts';
import { feedbackStats } from '../src/feedback/stats.ts';
import { table } from '../src/cli/format.ts';
import { evaluateSelectionPredictors } from '../src/people/evaluate.ts';
import { SAMPLE_QUERIES, SAMPLE_USERS } from '../src/people/goals.ts';
import { personalisedReportProposer } from '../src/people/personalised-proposer.ts';
import { historyPredictor, noContextPredictor, profilePredictor } from '../src/people/predictors.ts';
import { simulateStudy } from '../src/people/simulate.ts';
import { createMemoryStore } from '../src/store/memory.ts';
import { createModelClient } from '../src/models/client.ts';
import { llmSelectionJudge } from '../src/people/llm-predictor.ts';
import { modelSimulatedUser } from '../src/people/model-user.ts';
import type { SelectionPredictor } from '../src/people/predictors.ts';

const { values } = parseArgs({
  options: { users: { type: 'string', default: '5' }, queries: { type: 'string', default: '8' }, train: { type: 'string', default: '5' }, turns: { type: 'string', default: '3' }, k: { type: 'string', default: '5' }, model: { type: 'string' }, 'model-users': { type: 'boolean', default: false } },
});
const users = SAMPLE_USERS.slice(0, Number(values.users));
const queries = SAMPLE_QUERIES.slice(0, Number(values.queries));
const trainCount = Number(values.train);
const turns = Number(values.turns);
const k = Number(values.k);
const CORPUS = new URL('../../shared/data/papers/intermediate-actions.jsonl', import.meta.url).pathname;
const store = createMemoryStore();
const modelUsers = values['model-users'] && values.model ? createModelClient({ spec: values.model, store: createMemoryStore() }) : null;
const personFor = modelUsers ? (user: (typeof users)[number]) => modelSimulatedUser(user, { client: modelUsers }) : undefined;
const started = performance.now();
const progress = (label: string) => (done: number, total: number) => process.stderr.write(`\r${label} ${done}/${total}`);

// Phase 1: every user, every query, generic proposals (earlier sessions train, later ones are held out).
await simulateStudy({ users, queries, corpus: CORPUS, store, study: 'generic', k, turns, proposerFor: () => reportProposer(), personFor, onSession: progress('generic sessions') });
const generic = await collectFeedback(store, await feedbackRuns(store, { study: 'generic' }));
process.stderr.write('\n');

// Phase 2: the held-out queries again, with proposals personalised from each user's training-session picks.
const trainRunIds = new Set<string>();
for (const user of users) (await feedbackRuns(store, { study: 'generic', user: user.id })).slice(0, trainCount).forEach((r) => trainRunIds.add(r.id));
const trainPrefs = generic.preferences.filter((p) => trainRunIds.has(p.runId));
await simulateStudy({
  users,
  queries: queries.slice(trainCount),
  corpus: CORPUS,
  store,
  study: 'personalised',
  k,
  turns,
  firstSession: trainCount + 1,
  priorHistory: trainPrefs,
  proposerFor: (_user, history) => personalisedReportProposer({ history }),
  personFor,
  onSession: progress('personalised sessions'),
});
process.stderr.write('\n');
const personalised = await collectFeedback(store, await feedbackRuns(store, { study: 'personalised' }));

const heldOut = (records: typeof generic) => ({ preferences: records.preferences.filter((p) => !trainRunIds.has(p.runId)), judgments: records.judgments.filter((j) => !trainRunIds.has(j.runId)) });
const genericStats = feedbackStats(heldOut(generic));
const personalisedStats = feedbackStats(personalised);

const evaluation = await evaluateSelectionPredictors({
  records: generic.preferences,
  predictors: [noContextPredictor(), profilePredictor(), historyPredictor(), ...modelJudges()],
  profiles: new Map(users.map((u) => [u.id, u.profile])),
  trainFraction: trainCount / queries.length,
});

function modelJudges(): SelectionPredictor[] {
  if (!values.model) return [];
  const client = createModelClient({ spec: values.model, store: createMemoryStore() });
  return (['none', 'profile', 'history'] as const).map((context) => llmSelectionJudge({ client, context }));
}

const f = (v: number | null) => (v === null ? '–' : v.toFixed(3));
console.log(`simulated users: ${users.length} users × ${queries.length} queries × ${turns} turns, k=${k}; train on sessions 1-${trainCount}, test on ${trainCount + 1}-${queries.length}`);
console.log(`train ${evaluation.trainTurns} turns (${evaluation.trainSessions} sessions), test ${evaluation.testTurns} turns (${evaluation.testSessions} sessions)\n`);
console.log('Predicting selections on held-out later sessions');
console.log(table(['predictor', 'accuracy', 'precision', 'recall', 'F1', ...users.map((u) => `F1 ${u.id}`)], evaluation.results.map((r) => [r.predictor, f(r.overall.accuracy), f(r.overall.precision), f(r.overall.recall), f(r.overall.f1), ...users.map((u) => f(r.byUser[u.id]?.f1 ?? null))])));
console.log('\nPick rate on the held-out queries: generic vs personalised proposals');
console.log(table(['proposals', 'shown', 'picked', 'pick rate', ...users.map((u) => u.id)], [
  ['generic', genericStats.overall.shown, genericStats.overall.picked, f(genericStats.overall.pickRate), ...users.map((u) => f(genericStats.byUser.find((g) => g.group === u.id)?.pickRate ?? null))],
  ['personalised', personalisedStats.overall.shown, personalisedStats.overall.picked, f(personalisedStats.overall.pickRate), ...users.map((u) => f(personalisedStats.byUser.find((g) => g.group === u.id)?.pickRate ?? null))],
]));
const byName = Object.fromEntries(evaluation.results.map((r) => [r.predictor, r.overall]));
const summary = {
  bench: 'people-sim',
  users: users.length,
  queries: queries.length,
  turns,
  k,
  testTurns: evaluation.testTurns,
  f1: Object.fromEntries(evaluation.results.map((r) => [r.predictor, Number(r.overall.f1.toFixed(3))])),
  accuracy: Object.fromEntries(evaluation.results.map((r) => [r.predictor, Number(r.overall.accuracy.toFixed(3))])),
  historyBeatsNoContext: byName.history.f1 > byName['no-context'].f1,
  pickRate: { generic: Number(genericStats.overall.pickRate!.toFixed(3)), personalised: Number(personalisedStats.overall.pickRate!.toFixed(3)) },
  personalisedPickedMore: personalisedStats.overall.pickRate! > genericStats.overall.pickRate!,
  executionSuccess: { generic: Number(genericStats.overall.successRate!.toFixed(3)), personalised: Number(personalisedStats.overall.successRate!.toFixed(3)) },
  wallMs: Math.round(performance.now() - started),
};
console.log(`\n${JSON.stringify(summary)}`);
