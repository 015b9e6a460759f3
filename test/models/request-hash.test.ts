import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, canonicalRequest, requestHash } from '../../src/models/request-hash.ts';
import type { ModelRequest } from '../../src/models/types.ts';

const spec = 'openai:gpt-4o-mini';
const base: ModelRequest = { messages: [{ role: 'user', content: 'Use 4 6 8 9 to make 24.' }], temperature: 0.7 };

test('canonical JSON sorts keys at every depth and drops undefined fields', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[{"y":2,"z":1}]},"b":1}');
});

test('the hash ignores key order, unset fields, extra message fields, empty stop lists and sample 0', () => {
  const reordered = JSON.parse('{"temperature":0.7,"messages":[{"content":"Use 4 6 8 9 to make 24.","role":"user"}]}') as ModelRequest;
  const padded = { ...base, topP: undefined, stop: [], sample: 0, messages: [{ ...base.messages[0], name: 'x' } as ModelRequest['messages'][0]] };
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
