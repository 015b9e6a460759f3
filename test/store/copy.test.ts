import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StoreError } from '../../src/core/errors.ts';
import { copyRun, readRunRecords, runContent } from '../../src/store/copy.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { connectPostgresStore } from '../../src/store/postgres/index.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { RunRecord } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import { frozenFormatRecords } from '../../src/testing/store-suite/frozen-formats.ts';
import { sampleRun } from '../../src/testing/store-suite/sample-run.ts';
import { createTestDatabase } from './postgres-database.ts';
import { tempStorePath } from './temp-store-path.ts';

const database = await createTestDatabase('copy');

function fill(store: Store): string[] {
  const samples = [sampleRun('copy-a', { startedAt: '2026-01-01T00:00:00.000Z', taskCount: 3, nodesPerTask: 8 }), sampleRun('copy-b', { minimal: true })];
  for (const sample of samples) for (const record of sample.records) store.append(record);
  store.append({ type: 'annotation', runId: 'copy-a', taskId: 'task-1', nodeId: null, kind: 'feedback.turn', key: '2', data: { text: 'ok' }, createdAt: 7 });
  // A run of every past format too: what older stepwise recorded must survive a copy.
  for (const record of frozenFormatRecords(1)) store.append(record);
  const frozenRun = frozenFormatRecords(1).find((record) => record.type === 'run')!;
  return ['copy-a', 'copy-b', (frozenRun as RunRecord).id];
}

test('a run reads back to the same content from every backend, whose hash any change moves', async () => {
  const memory = createMemoryStore();
  const sqlite = openSqliteStore(tempStorePath());
  const runIds = fill(memory);
  fill(sqlite);
  for (const runId of runIds) {
    assert.deepEqual(runContent(runId, await readRunRecords(sqlite, runId)), runContent(runId, await readRunRecords(memory, runId)));
  }
  const before = runContent('copy-a', await readRunRecords(memory, 'copy-a'));
  const sample = sampleRun('copy-a', { taskCount: 3, nodesPerTask: 8 });
  const appended = (type: string) => sample.records.filter((record) => record.type === type).length;
  assert.deepEqual(before.counts, {
    run: 1, task: 3, node: 24, candidate: appended('candidate'), model_call: appended('model_call'), task_result: 3, run_end: 1, annotation: 1,
    // Stats are read back as each node's latest.
    node_stats: new Set(sample.stats.map((stats) => stats.nodeId)).size,
  });
  memory.append({ type: 'annotation', runId: 'copy-a', taskId: 'task-1', nodeId: null, kind: 'feedback.turn', key: '2', data: { text: 'changed' }, createdAt: 7 });
  assert.notEqual(runContent('copy-a', await readRunRecords(memory, 'copy-a')).sha256, before.sha256);
  await memory.close();
  await sqlite.close();
});

test('copying twice appends nothing the second time; a run copied while still going gets only what it lacks', async () => {
  const from = createMemoryStore();
  const to = openSqliteStore(tempStorePath());
  const sample = sampleRun('growing', { taskCount: 2, nodesPerTask: 5 });
  const cut = sample.records.findIndex((record) => record.type === 'task_result');
  for (const record of sample.records.slice(0, cut)) from.append(record);
  const partial = await copyRun(from, to, 'growing');
  assert.equal(partial.appended, (await readRunRecords(from, 'growing')).length);
  for (const record of sample.records.slice(cut)) from.append(record);
  const rest = await copyRun(from, to, 'growing');
  assert.ok(rest.appended > 0 && rest.appended < sample.records.length, `appended ${rest.appended}`);
  assert.deepEqual(await readRunRecords(to, 'growing'), await readRunRecords(from, 'growing'));
  assert.equal((await copyRun(from, to, 'growing')).appended, 0);
  await from.close();
  await to.close();
});

test('a target holding a different record under one of the run\'s ids is refused, not mixed', async () => {
  const from = createMemoryStore();
  const to = createMemoryStore();
  const sample = sampleRun('clash', { taskCount: 1, nodesPerTask: 3 });
  for (const record of sample.records) from.append(record);
  to.append(sample.run);
  to.append(sample.tasks[0]);
  to.append({ ...sample.nodes[0], observation: 'another history' });
  await assert.rejects(copyRun(from, to, 'clash'), (error: unknown) =>
    error instanceof StoreError && /already holds a different node clash\.0/.test(error.message));
});

test('SQLite → Postgres → SQLite round trip gives identical runs', { skip: database ? false : 'no PostgreSQL' }, async () => {
  const first = openSqliteStore(tempStorePath());
  const runIds = fill(first);
  await first.flush();
  const team = await connectPostgresStore(database!.url('round_trip'));
  const back = openSqliteStore(tempStorePath());
  for (const runId of runIds) {
    const pushed = await copyRun(first, team, runId);
    const pulled = await copyRun(team, back, runId);
    assert.equal(pulled.source.sha256, pushed.source.sha256);
    assert.deepEqual(await readRunRecords(back, runId), await readRunRecords(first, runId));
    assert.deepEqual(await back.getRun(runId), await first.getRun(runId));
    assert.equal((await copyRun(first, team, runId)).appended, 0, 'pushing again appends nothing');
  }
  // The cross-run request cache travels with the runs.
  const [call] = (await first.getModelCalls('copy-a')).filter((candidate) => !candidate.cacheHit && candidate.error === null);
  assert.deepEqual(await back.findModelCall(call.requestHash), await first.findModelCall(call.requestHash));
  await Promise.all([first.close(), team.close(), back.close()]);
});
