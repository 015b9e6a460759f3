import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UsageError } from '../../src/core/errors.ts';
import { parseModelSpec, resolveModelSpec } from '../../src/models/spec.ts';

describe('model specs', () => {
  test('reads the three accepted forms', () => {
    assert.deepEqual(parseModelSpec('openai:gpt-4o-mini'), { provider: 'openai', model: 'gpt-4o-mini', text: 'openai:gpt-4o-mini' });
    assert.deepEqual(parseModelSpec(' anthropic:claude-3-5-haiku-latest '), {
      provider: 'anthropic',
      model: 'claude-3-5-haiku-latest',
      text: 'anthropic:claude-3-5-haiku-latest',
    });
    assert.deepEqual(parseModelSpec('openai-compatible:http://127.0.0.1:8000/v1#qwen2.5-7b'), {
      provider: 'openai-compatible',
      baseURL: 'http://127.0.0.1:8000/v1',
      model: 'qwen2.5-7b',
      text: 'openai-compatible:http://127.0.0.1:8000/v1#qwen2.5-7b',
    });
  });

  test('model names may contain colons and slashes; a trailing slash on the base URL is dropped', () => {
    assert.equal(parseModelSpec('openai:ft:gpt-4o-mini:acme::abc123').model, 'ft:gpt-4o-mini:acme::abc123');
    const spec = parseModelSpec('openai-compatible:https://host.example/v1/#Qwen/Qwen2.5-7B-Instruct');
    assert.deepEqual(spec.provider === 'openai-compatible' && [spec.baseURL, spec.model], ['https://host.example/v1', 'Qwen/Qwen2.5-7B-Instruct']);
    assert.equal(spec.text, 'openai-compatible:https://host.example/v1#Qwen/Qwen2.5-7B-Instruct', 'equal specs hash alike');
  });

  for (const [spec, problem] of [
    ['gpt-4o-mini', /has no provider prefix/],
    ['openai:', /names no model/],
    ['mistral:large', /unknown provider "mistral"/],
    ['openai-compatible:http://127.0.0.1:8000/v1', /put it after the base URL, following a #/],
    ['openai-compatible:http://127.0.0.1:8000/v1#', /names no model after the #/],
    ['openai-compatible:127.0.0.1:8000#qwen', /where an http\(s\) base URL belongs/],
  ] as const) {
    test(`rejects "${spec}", listing the accepted forms`, () => {
      assert.throws(() => parseModelSpec(spec), (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.match(error.message, problem);
        assert.match(error.message, /openai:<model>[\s\S]*anthropic:<model>[\s\S]*openai-compatible:<base URL>#<model>/);
        return true;
      });
    });
  }

  test('--model wins over STEPWISE_MODEL, which is the fallback; neither gives null', () => {
    const env = { STEPWISE_MODEL: 'anthropic:claude-x' };
    assert.equal(resolveModelSpec('openai:gpt-4o-mini', env)?.text, 'openai:gpt-4o-mini');
    assert.equal(resolveModelSpec(undefined, env)?.text, 'anthropic:claude-x');
    assert.equal(resolveModelSpec('  ', env)?.text, 'anthropic:claude-x');
    assert.equal(resolveModelSpec(undefined, {}), null);
    assert.equal(resolveModelSpec(undefined, { STEPWISE_MODEL: '' }), null);
  });

  test('an error names where the bad spec came from', () => {
    assert.throws(() => resolveModelSpec(undefined, { STEPWISE_MODEL: 'gpt-4o' }), /^UsageError: STEPWISE_MODEL "gpt-4o"/);
    assert.throws(() => resolveModelSpec('gpt-4o', {}), /^UsageError: --model "gpt-4o"/);
  });
});
