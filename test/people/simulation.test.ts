import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadReportTasks, reportEnvironment, reportProposer, type ReportProblem } from '../../src/envs/report/index.ts';
import { collectFeedback, feedbackRuns } from '../../src/feedback/records.ts';
import { SAMPLE_USERS } from '../../src/people/goals.ts';
import { personalisedReportProposer } from '../../src/people/personalised-proposer.ts';
import { goalUtility, simulatedUser } from '../../src/people/simulated-user.ts';
import { simulateStudy } from '../../src/people/simulate.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { createRng } from '../../src/core/rng.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

const PAPERS = '../shared/data/papers/intermediate-actions.jsonl';
const [diana, lee] = SAMPLE_USERS;

test('simulated users differ on the same actions because of their hidden goals', async () => {
  const shown = [
    { position: 1, text: 'Add a section on datasets', actionType: 'add_section', topic: 'datasets' },
    { position: 2, text: 'Add a section on limitations', actionType: 'add_section', topic: 'limitations' },
    { position: 3, text: 'Rewrite the report for experts', actionType: 'rewrite', topic: 'experts' },
  ];
  assert.ok(goalUtility(diana.goal, shown[0]) > goalUtility(diana.goal, shown[1]));
  assert.ok(goalUtility(lee.goal, shown[1]) > goalUtility(lee.goal, shown[0]));
  const view = { userId: '', taskId: 't', turn: 1, goal: '', stateText: '', shown };
  const count = async (spec: typeof diana, position: number) => {
    let n = 0;
    for (let seed = 0; seed < 40; seed++) if ((await simulatedUser(spec, { seed }).choose(view)).picked.includes(position)) n++;
    return n;
  };
  assert.ok((await count(diana, 1)) > (await count(diana, 2)));
  assert.ok((await count(lee, 2)) > (await count(lee, 1)));
});

test('a simulated study records one session per user and query, in order, tagged with the study', { skip: NEEDS_SHARED_DATA }, async () => {
  const store = createMemoryStore();
  const queries = ['how do web agents remember long interactions?', 'how are step-level values estimated?'];
  const runIds = await simulateStudy({ users: [diana, lee], queries, corpus: PAPERS, store, study: 'sim', k: 4, turns: 2, proposerFor: () => reportProposer() });
  assert.equal(runIds.length, 4);
  const runs = await feedbackRuns(store, { study: 'sim' });
  assert.deepEqual(runs.map((r) => r.tags?.user), ['data-diana', 'limits-lee', 'data-diana', 'limits-lee']);
  const records = await collectFeedback(store, runs);
  assert.ok(records.preferences.some((p) => p.picked));
  assert.ok(records.judgments.length > 0);
  assert.deepEqual([...new Set(records.preferences.map((p) => p.query))], queries);
});

test('personalised proposals follow the user\'s past picks; generic ones do not know the user', { skip: NEEDS_SHARED_DATA }, async () => {
  const store = createMemoryStore();
  await simulateStudy({ users: [diana], queries: ['how are agents evaluated on benchmarks?', 'which datasets record agent trajectories?'], corpus: PAPERS, store, study: 'h', k: 5, turns: 2, proposerFor: () => reportProposer() });
  const history = (await collectFeedback(store, await feedbackRuns(store, { study: 'h' }))).preferences;
  const problem = reportEnvironment().load(loadReportTasks(`${PAPERS}#how do robot policies learn from videos?`)[0]) as ReportProblem;
  const ctx = { problem, state: problem.initialState, k: 5, rng: createRng(1) } as never;
  const personalised = await personalisedReportProposer({ history }).propose(ctx);
  const texts = (batch: unknown) => (batch as { candidates: { text: string }[] }).candidates.map((c) => c.text);
  const utility = (list: string[]) => list.reduce((sum, text) => sum + goalUtility(diana.goal, { text, actionType: /^Add a section/.test(text) ? 'add_section' : /^Expand/.test(text) ? 'expand_section' : 'other', topic: /(?:on|with) (.+)$/.exec(text)?.[1] ?? null }), 0);
  const generic = await reportProposer().propose(ctx);
  assert.equal(texts(personalised).length, 5);
  assert.ok(utility(texts(personalised)) > utility(texts(generic)), `${texts(personalised)} vs ${texts(generic)}`);
});
