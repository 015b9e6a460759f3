import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';

const chat = (url: string, content: string) =>
  fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', n: 3, messages: [{ role: 'user', content }] }),
  });

test('answers a queue in order with one choice per request, and records every body', async () => {
  const server = await startFakeOpenAIServer({ script: ['first answer', { type: 'error', status: 404, message: 'no such model', code: 'model_not_found' }] });
  try {
    const first = (await (await chat(server.url, 'one two three')).json()) as any;
    assert.equal(first.choices.length, 1, 'n is ignored: one choice');
    assert.equal(first.choices[0].message.content, 'first answer');
    assert.deepEqual(first.usage, { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    const second = await chat(server.url, 'again');
    assert.equal(second.status, 404);
    assert.deepEqual(((await second.json()) as any).error, { message: 'no such model', type: 'invalid_request_error', param: null, code: 'model_not_found' });
    const third = await chat(server.url, 'past the end');
    assert.equal(third.status, 400);
    assert.match(((await third.json()) as any).error.message, /no reply for request #2 \(it scripts 2\)/);
    assert.deepEqual(server.requests.map((body) => body.messages?.[0].content), ['one two three', 'again', 'past the end']);
  } finally {
    await server.close();
  }
});

test('lists its models, and close() ends requests left hanging', async () => {
  const server = await startFakeOpenAIServer({ script: [{ type: 'hang' }], models: ['qwen'] });
  const models = (await (await fetch(`${server.url}/models`)).json()) as any;
  assert.deepEqual(models.data.map((m: { id: string }) => m.id), ['qwen']);
  const hanging = chat(server.url, 'wait').then(
    () => 'answered',
    () => 'dropped',
  );
  while (server.inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await server.close();
  assert.equal(await hanging, 'dropped');
});

test('the latency option delays every answer', async () => {
  const server = await startFakeOpenAIServer({ script: () => 'ok', latencyMs: 60 });
  try {
    const started = performance.now();
    await Promise.all([chat(server.url, 'a'), chat(server.url, 'b')]);
    const took = performance.now() - started;
    assert.ok(took >= 55 && took < 500, `two concurrent requests took ${took.toFixed(0)} ms`);
    assert.equal(server.maxInFlight, 2);
  } finally {
    await server.close();
  }
});
