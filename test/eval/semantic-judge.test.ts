import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { modelSemanticJudge, readJudgeScore } from '../../src/eval/semantic-judge.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { fakeServerClient } from '../models/model-test-kit.ts';

describe('reading a judge reply', () => {
  test('the number in triple backticks (WebCanvas format) wins; else the first number; else 0', () => {
    assert.equal(readJudgeScore('Mostly right, 3 of 4 parts.\n```0.75```'), 0.75);
    assert.equal(readJudgeScore('```\n1\n```'), 1);
    assert.equal(readJudgeScore('Score: 0.4'), 0.4);
    assert.equal(readJudgeScore('no idea'), 0);
    assert.equal(readJudgeScore('```1/2```'), 0.5);
  });
});

describe('the model judge over HTTP', () => {
  let server: FakeOpenAIServer;
  before(async () => {
    server = await startFakeOpenAIServer({ script: (body) => (String(body.messages?.at(-1)?.content).includes('Step: yes') ? '```1```' : '```0.3```') });
  });
  after(() => server.close());

  test('sends the reference and the step, reads the score, records the call under its own judge run, and caches repeats', async () => {
    const store = createMemoryStore();
    const judge = modelSemanticJudge(fakeServerClient(server, store));
    assert.equal(await judge('yes', 'the goal'), 1);
    assert.equal(await judge('maybe', 'the goal'), 0.3);
    assert.equal(await judge('yes', 'the goal'), 1);
    assert.equal(server.requests.length, 2, 'the repeated question is a cache hit');
    const user = String(server.requests[0].messages?.at(-1)?.content);
    assert.match(user, /Reference: the goal\nStep: yes/);
    assert.equal(server.requests[0].temperature, 0);
  });
});
