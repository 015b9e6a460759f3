import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ModelError } from '../../src/models/errors.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { startFakeOpenAIServer, type FakeChatRequest, type FakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { fakeServerClient, recordingStore, testStepContext, totalCharged, userRequest } from './model-test-kit.ts';

const servers: FakeOpenAIServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

/** A server whose reply names the prompt and the request's arrival index, so replies tell which request answered. */
async function echoServer(options: { delayMs?: number } = {}): Promise<FakeOpenAIServer> {
  const echo = (body: FakeChatRequest, index: number) => `reply ${index} to ${String(body.messages?.at(-1)?.content)}`;
  const server = await startFakeOpenAIServer({
    script: (body, index) => (options.delayMs ? { type: 'delay', ms: options.delayMs, reply: echo(body, index) } : echo(body, index)),
  });
  servers.push(server);
  return server;
}

describe('the request cache', () => {
  test('identical concurrent requests are sent once; the others are recorded as hits on that call, and not charged', async () => {
    const server = await echoServer({ delayMs: 50 });
    const store = recordingStore(createMemoryStore());
    const client = fakeServerClient(server, store);
    const ctxs = [testStepContext({ nodeId: 'run-1.1' }), testStepContext({ nodeId: 'run-1.2' }), testStepContext({ nodeId: 'run-1.3' })];
    const replies = await Promise.all(ctxs.map((ctx) => client.generate(userRequest('same'), ctx)));

    assert.equal(server.requests.length, 1);
    assert.deepEqual(new Set(replies.map((r) => r.text)), new Set(['reply 0 to same']));
    assert.deepEqual(replies.map((r) => r.cacheHit), [false, true, true]);
    assert.deepEqual(replies.map((r) => r.callId), ['run-1.1#1', 'run-1.2#1', 'run-1.3#1']);
    const hits = store.calls.filter((c) => c.cacheHit);
    assert.deepEqual(hits.map((c) => [c.cachedFrom, c.attempts, c.text]), [['run-1.1#1', 0, 'reply 0 to same'], ['run-1.1#1', 0, 'reply 0 to same']]);
    assert.deepEqual(ctxs.map((ctx) => totalCharged(ctx).modelCalls), [1, 0, 0]);
  });

  test('a repeat after the answer is a hit too, with ids counted per node', async () => {
    const server = await echoServer();
    const store = recordingStore(createMemoryStore());
    const client = fakeServerClient(server, store);
    const ctx = testStepContext({ nodeId: 'run-1.7' });
    await client.generate(userRequest('again'), ctx);
    const repeat = await client.generate(userRequest('again'), ctx);
    assert.deepEqual([server.requests.length, repeat.cacheHit, repeat.callId], [1, true, 'run-1.7#2']);
    assert.equal(store.calls[1].cachedFrom, 'run-1.7#1');
  });

  test('different samples, temperatures, messages or models are different requests', async () => {
    const server = await echoServer();
    const client = fakeServerClient(server, createMemoryStore());
    const ctx = testStepContext();
    const sent = [
      userRequest('vary', { temperature: 0.7, sample: 0 }),
      userRequest('vary', { temperature: 0.7, sample: 1 }),
      userRequest('vary', { temperature: 0.7, sample: 2 }),
      userRequest('vary', { temperature: 0.2, sample: 0 }),
      userRequest('vary again', { temperature: 0.7 }),
    ];
    const replies = await Promise.all(sent.map((request) => client.generate(request, ctx)));
    assert.equal(server.requests.length, 5);
    assert.ok(replies.every((r) => !r.cacheHit));
    const other = fakeServerClient(server, createMemoryStore(), { spec: `openai-compatible:${server.url}#other-model` });
    await other.generate(userRequest('vary', { temperature: 0.7 }), ctx);
    assert.equal(server.requests.length, 6, 'same request to another model is sent');
    assert.equal(totalCharged(ctx).modelCalls, 6);
  });

  test('sample 0 and no sample are the same request (the first sample)', async () => {
    const server = await echoServer();
    const client = fakeServerClient(server, createMemoryStore());
    await client.generate(userRequest('first', { temperature: 1 }), testStepContext());
    const zero = await client.generate(userRequest('first', { temperature: 1, sample: 0 }), testStepContext());
    assert.deepEqual([server.requests.length, zero.cacheHit], [1, true]);
  });

  test('a failed request is not cached: the next identical request is sent again', async () => {
    const server = await startFakeOpenAIServer({ script: [{ type: 'server-error' }, 'recovered'] });
    servers.push(server);
    const store = recordingStore(createMemoryStore());
    const client = fakeServerClient(server, store, { maxRetries: 0 });
    await assert.rejects(client.generate(userRequest('fragile'), testStepContext()), ModelError);
    const reply = await client.generate(userRequest('fragile'), testStepContext());
    assert.deepEqual([reply.text, reply.cacheHit, server.requests.length], ['recovered', false, 2]);
  });

  test('requests sharing a send that fails fail with it, recorded as failures, and are not charged', async () => {
    const server = await startFakeOpenAIServer({ script: [{ type: 'delay', ms: 30, reply: { type: 'error', status: 400, message: 'bad stop' } }] });
    servers.push(server);
    const store = recordingStore(createMemoryStore());
    const client = fakeServerClient(server, store);
    const ctxs = [testStepContext({ nodeId: 'run-1.1' }), testStepContext({ nodeId: 'run-1.2' })];
    const results = await Promise.allSettled(ctxs.map((ctx) => client.generate(userRequest('shared failure'), ctx)));
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
    assert.equal(server.requests.length, 1);
    const calls = [...store.calls].sort((a, b) => a.id.localeCompare(b.id));
    assert.deepEqual(calls.map((c) => [c.id, c.cacheHit, c.attempts, c.text]), [['run-1.1#1', false, 1, null], ['run-1.2#1', false, 0, null]]);
    assert.match(calls[1].error ?? '', /an identical request in flight failed/);
    assert.deepEqual(ctxs.map((ctx) => totalCharged(ctx).modelCalls), [1, 0]);
  });

  for (const backend of ['memory', 'sqlite'] as const) {
    test(`a new run (a new client on the same ${backend} store) is served from the store, marked as a hit`, async () => {
      const folder = mkdtempSync(join(tmpdir(), 'stepwise-model-cache-'));
      const store = backend === 'memory' ? createMemoryStore() : openSqliteStore(join(folder, 'traces.db'));
      try {
        const server = await echoServer();
        const first = await fakeServerClient(server, store).generate(userRequest('remembered'), testStepContext({ runId: 'yesterday', nodeId: 'yesterday.3' }));
        const seen = recordingStore(store);
        const ctx = testStepContext({ runId: 'today', nodeId: 'today.3' });
        const second = await fakeServerClient(server, seen).generate(userRequest('remembered'), ctx);

        assert.equal(server.requests.length, 1);
        assert.deepEqual([second.text, second.cacheHit, second.callId, second.usage], [first.text, true, 'today.3#1', first.usage]);
        assert.deepEqual(
          [seen.calls[0].runId, seen.calls[0].cacheHit, seen.calls[0].cachedFrom, seen.calls[0].attempts],
          ['today', true, 'yesterday.3#1', 0],
        );
        assert.deepEqual(ctx.charges, [], 'a cache hit costs no budget');
        const again = await fakeServerClient(server, store).generate(userRequest('remembered', { sample: 1 }), ctx);
        assert.equal(again.cacheHit, false, 'another sample is not in the store');
      } finally {
        await store.close();
        rmSync(folder, { recursive: true, force: true });
      }
    });
  }

  test('the concurrency limit bounds the requests in flight, and is kept full', async () => {
    const server = await echoServer({ delayMs: 40 });
    const client = fakeServerClient(server, createMemoryStore(), { concurrency: 3 });
    const ctx = testStepContext();
    await Promise.all(Array.from({ length: 12 }, (_, i) => client.generate(userRequest(`distinct ${i}`), ctx)));
    assert.equal(server.requests.length, 12);
    assert.equal(server.maxInFlight, 3);
  });

  test('two clients (a proposer and a judge) never give two calls of a node the same id', async () => {
    const server = await echoServer();
    const store = recordingStore(createMemoryStore());
    const proposer = fakeServerClient(server, store);
    const judge = fakeServerClient(server, store, { spec: `openai-compatible:${server.url}#judge-model` });
    const ctx = testStepContext({ nodeId: 'run-1.5' });
    await Promise.all([proposer.generate(userRequest('propose'), ctx), judge.generate(userRequest('judge'), ctx)]);
    assert.deepEqual(store.calls.map((c) => c.id).sort(), ['run-1.5#1', 'run-1.5#2']);
  });
});
