import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ModelError } from '../../src/models/errors.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer, type FakeReply } from '../../src/testing/fake-openai-server.ts';
import { fakeServerClient, recordingStore, testStepContext, totalCharged, userRequest } from './model-test-kit.ts';

/** One fake server for the file; each test scripts it by the user message's first word. */
const scripts = new Map<string, FakeReply[]>();
let server: FakeOpenAIServer;

before(async () => {
  server = await startFakeOpenAIServer({
    script: (body) => {
      const prompt = String(body.messages?.at(-1)?.content ?? '');
      const queue = scripts.get(prompt.split(' ')[0]);
      return queue?.shift() ?? { type: 'error', status: 400, message: `no script for "${prompt}"` };
    },
  });
});
after(() => server.close());

/** Scripts the replies for prompts starting with `key`, and counts the requests they get. */
function script(key: string, ...replies: FakeReply[]): () => number {
  scripts.set(key, replies);
  return () => server.requests.filter((body) => String(body.messages?.at(-1)?.content).startsWith(`${key} `)).length;
}

async function rejection(promise: Promise<unknown>): Promise<ModelError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ModelError, `expected a ModelError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('a model client on the real openai-compatible provider', () => {
  test('a well-formed reply is returned, recorded with usage and attempts, and charged', async () => {
    const requests = script('plain', { type: 'text', text: 'go b', usage: { promptTokens: 12, completionTokens: 3 } });
    const store = recordingStore(createMemoryStore());
    const ctx = testStepContext({ nodeId: 'run-1.4' });
    const reply = await fakeServerClient(server, store).generate(userRequest('plain question', { temperature: 0.7, maxOutputTokens: 50, stop: ['\n'] }), ctx);

    assert.deepEqual({ text: reply.text, usage: reply.usage, cacheHit: reply.cacheHit, callId: reply.callId }, {
      text: 'go b',
      usage: { inputTokens: 12, outputTokens: 3 },
      cacheHit: false,
      callId: 'run-1.4#1',
    });
    assert.equal(requests(), 1);
    const sent = server.requests.at(-1)!;
    assert.deepEqual([sent.model, sent.temperature, sent.max_tokens, sent.stop], ['fake-model', 0.7, 50, ['\n']]);
    assert.deepEqual(sent.messages?.map((m) => m.role), ['system', 'user'], 'the system prompt is sent as a system message');

    const [call] = store.calls;
    assert.equal(store.calls.length, 1);
    assert.deepEqual(
      { runId: call.runId, taskId: call.taskId, nodeId: call.nodeId, id: call.id, text: call.text, attempts: call.attempts, cacheHit: call.cacheHit, error: call.error },
      { runId: 'run-1', taskId: 'task-0', nodeId: 'run-1.4', id: 'run-1.4#1', text: 'go b', attempts: 1, cacheHit: false, error: null },
    );
    assert.equal(call.model, `openai-compatible:${server.url}#fake-model`);
    assert.deepEqual(call.usage, { inputTokens: 12, outputTokens: 3 });
    assert.match(call.requestHash, /^[0-9a-f]{64}$/);
    assert.ok(call.latencyMs >= 0 && call.latencyMs === reply.latencyMs);
    assert.deepEqual(totalCharged(ctx), { modelCalls: 1, tokens: 15 });
  });

  test('missing usage counts as zero tokens', async () => {
    script('nousage', { type: 'text', text: 'ok', usage: null });
    const ctx = testStepContext();
    const reply = await fakeServerClient(server, createMemoryStore()).generate(userRequest('nousage please'), ctx);
    assert.deepEqual(reply.usage, { inputTokens: 0, outputTokens: 0 });
    assert.deepEqual(totalCharged(ctx), { modelCalls: 1, tokens: 0 });
  });

  test('empty content is an answer (empty text), not an error: the proposer decides what it means', async () => {
    for (const content of ['', null] as const) {
      const requests = script(`empty${content}`, { type: 'empty', content });
      const store = recordingStore(createMemoryStore());
      const reply = await fakeServerClient(server, store).generate(userRequest(`empty${content} reply`), testStepContext());
      assert.equal(reply.text, '');
      assert.equal(requests(), 1, 'not retried');
      assert.deepEqual([store.calls[0].text, store.calls[0].error], ['', null]);
    }
  });

  test('a broken JSON body is retried like a server fault, and succeeds when the server recovers', async () => {
    const requests = script('broken1', { type: 'broken-json' }, 'go b');
    const store = recordingStore(createMemoryStore());
    const reply = await fakeServerClient(server, store).generate(userRequest('broken1 reply'), testStepContext());
    assert.equal(reply.text, 'go b');
    assert.equal(requests(), 2);
    assert.equal(store.calls[0].attempts, 2);
  });

  test('a completion with an empty choices list is retried like a broken body, and fails as a bad response when it stays empty', async () => {
    const recovering = script('nochoice1', { type: 'no-choices' }, 'go b');
    const store = recordingStore(createMemoryStore());
    const reply = await fakeServerClient(server, store).generate(userRequest('nochoice1 reply'), testStepContext());
    assert.equal(reply.text, 'go b');
    assert.equal(recovering(), 2);
    assert.equal(store.calls[0].attempts, 2);

    const staying = script('nochoice2', ...Array.from({ length: 3 }, (): FakeReply => ({ type: 'no-choices' })));
    const error = await rejection(fakeServerClient(server, createMemoryStore(), { maxRetries: 2 }).generate(userRequest('nochoice2 reply'), testStepContext()));
    assert.equal(error.reason, 'bad_response');
    assert.equal(staying(), 3);
    assert.match(error.message, /holds no answer \(Response did not contain any choices\.\).*"choices":\[\]/);
    assert.match(error.message, /gave up after 3 attempts/);
  });

  test('a body that stays broken fails after the retries with what came back and what to check', async () => {
    const requests = script('broken2', ...Array.from({ length: 3 }, (): FakeReply => ({ type: 'broken-json', body: '<html>gateway</html>' })));
    const store = recordingStore(createMemoryStore());
    const ctx = testStepContext();
    const error = await rejection(fakeServerClient(server, store, { maxRetries: 2 }).generate(userRequest('broken2 reply'), ctx));
    assert.equal(error.reason, 'bad_response');
    assert.equal(requests(), 3);
    assert.equal(error.attempts, 3);
    assert.match(error.message, /not a chat completion.*<html>gateway/);
    assert.match(error.message, /gave up after 3 attempts/);
    assert.match(error.hint ?? '', /\/v1/);
    assert.deepEqual([store.calls[0].text, store.calls[0].attempts], [null, 3]);
    assert.match(store.calls[0].error ?? '', /not a chat completion/);
    assert.deepEqual(totalCharged(ctx), { modelCalls: 1, tokens: 0 }, 'a failed call that sent requests still counts as a call');
  });

  test('a 429 waits as long as Retry-After says before retrying', async () => {
    const requests = script('limited', { type: 'rate-limit', retryAfter: 1 }, 'go b');
    const started = performance.now();
    const reply = await fakeServerClient(server, createMemoryStore()).generate(userRequest('limited call'), testStepContext());
    const waited = performance.now() - started;
    assert.equal(reply.text, 'go b');
    assert.equal(requests(), 2);
    assert.ok(waited >= 950, `waited ${waited.toFixed(0)} ms; the server asked for 1000 and the backoff alone is ~10`);
    assert.ok(waited < 1800, `waited ${waited.toFixed(0)} ms; Retry-After is a floor plus at most 10% jitter`);
  });

  test('a Retry-After given as an HTTP date is honoured too', async () => {
    // HTTP dates have whole seconds: ask for ~2 s so the rounded wait stays well above the backoff.
    script('dated', { type: 'rate-limit', retryAfter: new Date(Date.now() + 2000) }, 'go b');
    const started = performance.now();
    await fakeServerClient(server, createMemoryStore()).generate(userRequest('dated call'), testStepContext());
    assert.ok(performance.now() - started >= 900);
  });

  test('a Retry-After longer than the client will wait fails at once, saying so', async () => {
    const requests = script('quota', { type: 'rate-limit', retryAfter: 3600 }, 'never sent');
    const error = await rejection(fakeServerClient(server, createMemoryStore(), { maxRetryDelayMs: 5_000 }).generate(userRequest('quota call'), testStepContext()));
    assert.equal(error.reason, 'rate_limited');
    assert.equal(requests(), 1);
    assert.match(error.message, /asks to wait 3600 s, longer than the 5 s/);
  });

  test('5xx replies are retried with backoff, then the success is recorded with every attempt counted', async () => {
    const requests = script('flaky', { type: 'server-error' }, { type: 'server-error', status: 503 }, 'go b');
    const store = recordingStore(createMemoryStore());
    const ctx = testStepContext();
    const reply = await fakeServerClient(server, store).generate(userRequest('flaky server'), ctx);
    assert.equal(reply.text, 'go b');
    assert.equal(requests(), 3);
    assert.deepEqual([store.calls.length, store.calls[0].attempts, store.calls[0].error], [1, 3, null]);
    assert.equal(totalCharged(ctx).modelCalls, 1);
  });

  test('a hang past the timeout is abandoned, retried, and ends in a timeout ModelError', async () => {
    const requests = script('hang', { type: 'hang' }, { type: 'hang' });
    const started = performance.now();
    const error = await rejection(fakeServerClient(server, createMemoryStore(), { timeoutMs: 150, maxRetries: 1 }).generate(userRequest('hang forever'), testStepContext()));
    assert.equal(error.reason, 'timeout');
    assert.equal(error.attempts, 2);
    assert.equal(requests(), 2);
    assert.match(error.message, /no reply from .* within 150 ms; gave up after 2 attempts/);
    assert.ok(performance.now() - started < 1500);
  });

  test('a slow reply within the timeout is simply waited for', async () => {
    script('slow', { type: 'delay', ms: 100, reply: 'go b' });
    const reply = await fakeServerClient(server, createMemoryStore(), { timeoutMs: 1000 }).generate(userRequest('slow reply'), testStepContext());
    assert.equal(reply.text, 'go b');
    assert.ok(reply.latencyMs >= 90);
  });

  test('401 fails at once, pointing at the key', async () => {
    const requests = script('auth', { type: 'error', status: 401, message: 'Incorrect API key provided', code: 'invalid_api_key' });
    const error = await rejection(fakeServerClient(server, createMemoryStore()).generate(userRequest('auth check'), testStepContext()));
    assert.deepEqual([error.reason, error.status, error.attempts, requests()], ['auth', 401, 1, 1]);
    assert.match(error.message, /refused the request .*401: Incorrect API key provided/);
    assert.match(error.hint ?? '', /STEPWISE_API_KEY/);
  });

  test('404 fails at once: the model name is wrong', async () => {
    const requests = script('missing', { type: 'error', status: 404, message: 'The model `gpt-5-nano` does not exist', code: 'model_not_found' });
    const error = await rejection(fakeServerClient(server, createMemoryStore()).generate(userRequest('missing model'), testStepContext()));
    assert.deepEqual([error.reason, error.attempts, requests()], ['not_found', 1, 1]);
    assert.match(error.message, new RegExp(`model fake-model not found at ${server.url}/chat/completions \\(404: The model .gpt-5-nano. does not exist\\)`));
    assert.match(error.hint ?? '', /check the model name .* ends in \/v1/);
  });

  test('aborting the run cancels a call in flight without retrying it', async () => {
    const requests = script('cancel', { type: 'hang' }, 'never sent');
    const controller = new AbortController();
    const store = recordingStore(createMemoryStore());
    const ctx = testStepContext({ signal: controller.signal });
    const call = fakeServerClient(server, store).generate(userRequest('cancel me'), ctx);
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(call);
    assert.equal(error.reason, 'cancelled');
    assert.equal(requests(), 1);
    assert.match(store.calls[0].error ?? '', /cancelled/);
  });

  test('aborting the run during a backoff wait cancels the retry', async () => {
    const requests = script('backoff', { type: 'server-error' }, 'never sent');
    const controller = new AbortController();
    const ctx = testStepContext({ signal: controller.signal });
    const call = fakeServerClient(server, createMemoryStore(), { retryDelayMs: 5_000 }).generate(userRequest('backoff wait'), ctx);
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(call);
    assert.deepEqual([error.reason, error.attempts, requests()], ['cancelled', 1, 1]);
    assert.match(error.message, /cancelled while waiting to retry \(server error/);
  });

  test('a call made after the run stopped sends nothing and is not charged', async () => {
    const requests = script('late', 'never sent');
    const ctx = testStepContext({ signal: AbortSignal.abort() });
    const error = await rejection(fakeServerClient(server, createMemoryStore()).generate(userRequest('late call'), ctx));
    assert.deepEqual([error.reason, error.attempts, requests()], ['cancelled', 0, 0]);
    assert.deepEqual(ctx.charges, []);
  });

  test('no server at the base URL is a network error, retried, then explained', async () => {
    const dead = await startFakeOpenAIServer({ script: [] });
    await dead.close();
    const error = await rejection(fakeServerClient(dead, createMemoryStore(), { maxRetries: 1 }).generate(userRequest('anyone there'), testStepContext()));
    assert.equal(error.reason, 'network');
    assert.equal(error.attempts, 2);
    assert.match(error.message, new RegExp(`cannot reach ${dead.url}`));
  });
});
