import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createModelClient } from '../../src/models/client.ts';
import { ModelError } from '../../src/models/errors.ts';
import { languageModelFor } from '../../src/models/provider.ts';
import { parseModelSpec } from '../../src/models/spec.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { testStepContext, userRequest } from './model-test-kit.ts';

let server: FakeOpenAIServer;
before(async () => {
  server = await startFakeOpenAIServer({ script: () => 'go b' });
});
after(() => server.close());

for (const [spec, variable] of [
  ['openai:gpt-4o-mini', 'OPENAI_API_KEY'],
  ['anthropic:claude-3-5-haiku-latest', 'ANTHROPIC_API_KEY'],
] as const) {
  test(`${spec} without ${variable} fails when the client is made, naming the variable`, () => {
    assert.throws(
      () => createModelClient({ spec, store: createMemoryStore(), env: { [variable]: '  ' } }),
      (error: unknown) => {
        assert.ok(error instanceof ModelError);
        assert.equal(error.reason, 'missing_key');
        assert.match(error.message, new RegExp(`${spec} needs an API key, but ${variable} is not set`));
        assert.match(error.hint ?? '', new RegExp(`export ${variable}=`));
        return true;
      },
    );
  });
}

test('openai: talks to the chat completions endpoint with the key as a bearer token (OPENAI_BASE_URL honoured)', async () => {
  const client = createModelClient({
    spec: 'openai:gpt-4o-mini',
    store: createMemoryStore(),
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.url },
  });
  const reply = await client.generate(userRequest('openai route'), testStepContext());
  assert.equal(reply.text, 'go b');
  assert.equal(server.requests.at(-1)?.model, 'gpt-4o-mini');
  assert.equal(server.requestHeaders.at(-1)?.authorization, 'Bearer sk-test');
});

test('openai-compatible: no key needed; STEPWISE_API_KEY is sent when set; an OpenAI key never leaves for another server', async () => {
  const spec = `openai-compatible:${server.url}#local-model`;
  const authorizationWith = async (env: Record<string, string>, prompt: string) => {
    await createModelClient({ spec, store: createMemoryStore(), env }).generate(userRequest(prompt), testStepContext());
    return server.requestHeaders.at(-1)?.authorization;
  };
  assert.equal(await authorizationWith({}, 'no key'), undefined);
  assert.equal(await authorizationWith({ STEPWISE_API_KEY: 'local-secret' }, 'own key'), 'Bearer local-secret');
  assert.equal(await authorizationWith({ OPENAI_API_KEY: 'sk-real' }, 'openai key'), undefined);
});

test('a malformed spec fails when the client is made', () => {
  assert.throws(() => createModelClient({ spec: 'gpt-4o-mini', store: createMemoryStore() }), /no provider prefix/);
});

test('a provider model is built once per endpoint, model and key, and a changed key or endpoint gets its own', () => {
  const spec = parseModelSpec('openai:gpt-4o-mini');
  const first = languageModelFor(spec, { env: { OPENAI_API_KEY: 'sk-a', OPENAI_BASE_URL: server.url } });
  assert.equal(languageModelFor(spec, { env: { OPENAI_API_KEY: 'sk-a', OPENAI_BASE_URL: server.url } }).model, first.model);
  assert.notEqual(languageModelFor(spec, { env: { OPENAI_API_KEY: 'sk-b', OPENAI_BASE_URL: server.url } }).model, first.model);
  const elsewhere = languageModelFor(spec, { env: { OPENAI_API_KEY: 'sk-a', OPENAI_BASE_URL: `${server.url}/other` } });
  assert.notEqual(elsewhere.model, first.model);
  assert.equal(elsewhere.endpoint, `${server.url}/other`);
  // A fetch given by the caller is theirs: never shared with, or taken from, other clients.
  assert.notEqual(languageModelFor(spec, { env: { OPENAI_API_KEY: 'sk-a', OPENAI_BASE_URL: server.url }, fetch: globalThis.fetch }).model, first.model);
});
