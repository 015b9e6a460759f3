import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newRunId, nodeId, runOfNode } from '../../src/core/ids.ts';

test('run ids drawn in the same millisecond do not collide (many writers, no central counter)', () => {
  const now = Date.UTC(2026, 0, 1);
  const ids = Array.from({ length: 20_000 }, () => newRunId(now));
  // With the 4 random characters ids once had, 20,000 draws in one millisecond collided about a hundred times.
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids.slice(0, 100)) assert.match(id, /^r[0-9a-z]{18}$/);
});

test('run ids sort by start time, and node ids name their run', () => {
  const earlier = newRunId(Date.UTC(2026, 0, 1));
  const later = newRunId(Date.UTC(2026, 0, 1, 0, 0, 1));
  assert.ok(earlier < later);
  assert.equal(runOfNode(nodeId(later, 42)), later);
});
