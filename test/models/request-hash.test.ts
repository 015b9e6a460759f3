import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { canonicalJson, canonicalRequest, requestHash } from '../../src/models/request-hash.ts';
import type { ChatMessage, ModelRequest } from '../../src/models/types.ts';

const spec = 'openai:gpt-4o-mini';
const base: ModelRequest = { messages: [{ role: 'user', content: 'Use 4 6 8 9 to make 24.' }], temperature: 0.7 };

test('canonical JSON sorts keys at every depth and drops undefined fields', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[{"y":2,"z":1}]},"b":1}');
});

test('the hash ignores key order, unset fields, extra message fields, empty stop lists and sample 0', () => {
  const reordered = JSON.parse('{"temperature":0.7,"messages":[{"content":"Use 4 6 8 9 to make 24.","role":"user"}]}') as ModelRequest;
  const padded = { ...base, topP: undefined, stop: [], sample: 0, messages: [{ ...base.messages[0], name: 'x' } as unknown as ChatMessage] };
  assert.equal(requestHash(spec, reordered), requestHash(spec, base));
  assert.equal(requestHash(spec, padded), requestHash(spec, base));
  assert.deepEqual(canonicalRequest(padded), base, 'what is recorded is what is hashed');
});

test('every field that shapes the reply changes the hash', () => {
  const variants: ModelRequest[] = [
    { ...base, sample: 1 },
    { ...base, temperature: 0 },
    { ...base, maxOutputTokens: 100 },
    { ...base, topP: 0.9 },
    { ...base, stop: ['\n'] },
    { ...base, messages: [{ role: 'system', content: 'Use 4 6 8 9 to make 24.' }] },
    { ...base, messages: [{ role: 'user', content: 'Use 4 6 8 9 to make 24!' }] },
  ];
  const hashes = new Set([requestHash(spec, base), ...variants.map((v) => requestHash(spec, v))]);
  assert.equal(hashes.size, variants.length + 1);
  assert.notEqual(requestHash('openai:gpt-4o', base), requestHash(spec, base), 'the model is part of the key');
});

test('the hash is sha256 of the canonical JSON of model and request, for every combination of fields', () => {
  // Stores keep these hashes: the key text must not drift from its definition, or old caches stop answering.
  const optional: Partial<ModelRequest>[] = [
    { maxOutputTokens: 64 },
    { sample: 2 },
    { sample: 0 },
    { stop: ['\n', 'Input:'] },
    { stop: [] },
    { temperature: 0 },
    { topP: 0.95 },
  ];
  const messages: ModelRequest['messages'] = [
    { role: 'system', content: 'Quote "this", a tab\t, a newline\n and \u2212 unicode.' },
    { role: 'user', content: '' },
    { role: 'assistant', content: '8 / 2 = 4 (left: 4 5 11)' },
  ];
  for (let mask = 0; mask < 1 << optional.length; mask++) {
    const request: ModelRequest = { messages };
    optional.forEach((fields, i) => {
      if (mask & (1 << i)) Object.assign(request, fields);
    });
    const expected = createHash('sha256').update(canonicalJson({ model: spec, request: canonicalRequest(request) })).digest('hex');
    assert.equal(requestHash(spec, request), expected, JSON.stringify(request));
  }
});
