import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_RETRY_POLICY, retryAfterMs, retryDelayMs, sleep } from '../../src/models/retry.ts';

test('Retry-After is read as milliseconds, seconds or an HTTP date', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(retryAfterMs({ 'retry-after-ms': '250' }, now), 250);
  assert.equal(retryAfterMs({ 'retry-after': '2' }, now), 2000);
  assert.equal(retryAfterMs({ 'retry-after': '0.5' }, now), 500);
  assert.equal(retryAfterMs({ 'retry-after': 'Wed, 01 Jan 2025 00:00:07 GMT' }, now), 7000);
  assert.equal(retryAfterMs({ 'retry-after': 'Tue, 31 Dec 2024 00:00:00 GMT' }, now), 0, 'a date in the past means now');
  assert.equal(retryAfterMs({ 'retry-after': 'soon' }, now), undefined);
  assert.equal(retryAfterMs({}, now), undefined);
});

test('backoff doubles per retry, is jittered within its upper half, and is capped', () => {
  const at = (random: number) => ({ ...DEFAULT_RETRY_POLICY, initialDelayMs: 100, maxDelayMs: 1000, random: () => random });
  assert.deepEqual([1, 2, 3].map((retry) => retryDelayMs(retry, at(0))), [50, 100, 200]);
  assert.deepEqual([1, 2, 3].map((retry) => retryDelayMs(retry, at(0.999999))).map(Math.round), [100, 200, 400]);
  assert.equal(Math.round(retryDelayMs(10, at(0.999999))), 1000, 'capped at maxDelayMs');
});

test("a server's Retry-After replaces the backoff, with at most 10% added", () => {
  const policy = { ...DEFAULT_RETRY_POLICY, random: () => 0.5 };
  assert.equal(retryDelayMs(1, policy, 2000), 2100);
  assert.equal(retryDelayMs(4, policy, 0), 0);
});

test('sleep gives up as soon as the signal aborts', async () => {
  const controller = new AbortController();
  const started = performance.now();
  setTimeout(() => controller.abort(new Error('stop')), 20);
  await assert.rejects(sleep(5_000, controller.signal), /stop/);
  assert.ok(performance.now() - started < 1000);
});
