import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadReportTasks, reportEnvironment, reportProposer } from '../../src/envs/report/index.ts';
import { collectFeedback, feedbackRuns, type PreferenceRecord } from '../../src/feedback/records.ts';
import { runFeedbackSession } from '../../src/feedback/session.ts';
import { createModelClient } from '../../src/models/client.ts';
import { SAMPLE_USERS } from '../../src/people/goals.ts';
import { llmSelectionJudge } from '../../src/people/llm-predictor.ts';
import { modelSimulatedUser } from '../../src/people/model-user.ts';
import { preferenceTurns } from '../../src/people/turns.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { startFakeOpenAIServer, type FakeChatRequest } from '../../src/testing/fake-openai-server.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

const PAPERS = '../shared/data/papers/intermediate-actions.jsonl';
const userText = (body: FakeChatRequest) => String(body.messages!.at(-1)!.content);

function record(runId: string, position: number, text: string, picked: boolean): PreferenceRecord {
  return {
    type: 'preference', schema: 'stepwise.feedback.preference/1', study: 't', userId: 'ana', runId, sessionStartedAt: runId, taskId: 'q1',
    query: 'web agents?', turn: 1, nodeId: `${runId}.0`, candidateId: `${runId}.0/${position}`, position, shownCount: 2, text,
    actionType: 'add_section', topic: null, custom: false, picked, pickedTogether: [], decisionMs: 0,
  };
}

test('LLM selection judges see no context, the profile, or the history, and their "Picks:" replies become predictions', async () => {
  const server = await startFakeOpenAIServer({ script: () => 'Picks: 2' });
  try {
    const client = createModelClient({ spec: `openai-compatible:${server.url}#judge`, store: createMemoryStore(), env: { STEPWISE_API_KEY: 'k' } });
    const past = [record('2026-01', 1, 'Add a section on datasets', true), record('2026-01', 2, 'Rewrite the report for experts', false)];
    const turn = preferenceTurns([record('2026-02', 1, 'Add a section on limitations', false), record('2026-02', 2, 'Add a section on benchmarks', true)])[0];
    const context = { history: () => past, profile: () => 'I build benchmarks.' };
    const predictions = [];
    for (const kind of ['none', 'profile', 'history'] as const) predictions.push(await llmSelectionJudge({ client, context: kind }).predict(turn, context));
    assert.deepEqual(predictions, [[0, 1], [0, 1], [0, 1]]);
    const [none, profile, history] = server.requests.map(userText);
    assert.doesNotMatch(none, /benchmarks\.|\[selected\]/);
    assert.match(profile, /describes themselves: I build benchmarks\./);
    assert.match(history, /\[selected\] Add a section on datasets/);
    assert.match(history, /\[skipped\]  Rewrite the report for experts/);
  } finally {
    await server.close();
  }
});

test('a model-backed simulated user picks and judges over HTTP in a recorded feedback session, its goal only in the system prompt', { skip: NEEDS_SHARED_DATA }, async () => {
  const server = await startFakeOpenAIServer({ script: (body) => (/Which do you select/.test(userText(body)) ? 'Picks: 1, 3' : 'partly the section is short') });
  try {
    const client = createModelClient({ spec: `openai-compatible:${server.url}#user`, store: createMemoryStore(), env: { STEPWISE_API_KEY: 'k' } });
    const store = createMemoryStore();
    const user = SAMPLE_USERS[0];
    await runFeedbackSession({
      env: reportEnvironment(),
      tasks: loadReportTasks(`${PAPERS}#which benchmarks evaluate agents?`),
      proposer: reportProposer(),
      person: modelSimulatedUser(user, { client }),
      k: 4,
      maxTurns: 1,
      study: 'model-sim',
      store,
    });
    const records = await collectFeedback(store, await feedbackRuns(store, { study: 'model-sim' }));
    assert.deepEqual(records.preferences.filter((p) => p.picked).map((p) => p.position), [1, 3]);
    assert.deepEqual(records.judgments.map((j) => [j.verdict, j.comment]), [['partly', 'the section is short'], ['partly', 'the section is short']]);
    assert.match(String(server.requests[0].messages![0].content), /datasets/);
    assert.doesNotMatch(userText(server.requests[0]), /datasets, evaluation/);
  } finally {
    await server.close();
  }
});
