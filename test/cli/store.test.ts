import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readRunRecords } from '../../src/store/copy.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { sampleRun } from '../../src/testing/store-suite/sample-run.ts';
import { createTestDatabase } from '../store/postgres-database.ts';
import { assertUsageFailure, runCli, tempDb } from './cli-process.ts';

const database = await createTestDatabase('cli');

async function sqliteWithRuns(runIds: string[]): Promise<string> {
  const path = tempDb();
  const store = openSqliteStore(path);
  runIds.forEach((runId, i) => {
    for (const record of sampleRun(runId, { startedAt: `2026-02-0${i + 1}T00:00:00.000Z` }).records) store.append(record);
  });
  await store.close();
  return path;
}

test('store copy pushes one run to Postgres and pulls it back identical, printing counts and hashes; twice is harmless', { skip: database ? false : 'no PostgreSQL' }, async () => {
  const laptop = await sqliteWithRuns(['laptop-1', 'laptop-2']);
  const team = database!.url('team');
  const push = await runCli(['store', 'copy', laptop, team, '--run', 'laptop-1']);
  assert.equal(push.code, 0, push.stderr);
  assert.match(push.stdout, /^laptop-1 +\d+ +\d+ .* [0-9a-f]{16}$/m);
  assert.match(push.stdout, /1 run\(s\) verified in postgres:\/\/.*; 1 copied, 0 already there\./);
  assert.match(push.stderr, /copying 1 run\(s\) to postgres:\/\//);

  const again = await runCli(['store', 'copy', laptop, team, '--run', 'laptop-1']);
  assert.match(again.stdout, /already there/);
  assert.equal(again.stdout.split('\n').find((line) => line.startsWith('laptop-1'))!.split(/ +/).at(-1), push.stdout.split('\n').find((line) => line.startsWith('laptop-1'))!.split(/ +/).at(-1));

  // STEPWISE_DB names the store every command reads without --db.
  const runs = await runCli(['runs', '--json'], { env: { STEPWISE_DB: team } });
  assert.deepEqual(JSON.parse(runs.stdout).map((summary: { run: { id: string } }) => summary.run.id), ['laptop-1']);

  const offline = tempDb();
  const pull = JSON.parse((await runCli(['store', 'copy', team, offline, '--json'])).stdout);
  assert.deepEqual(pull.map((copy: { runId: string }) => copy.runId), ['laptop-1']);
  const [source, copy] = [openSqliteStore(laptop, { readonly: true }), openSqliteStore(offline, { readonly: true })];
  assert.deepEqual(await readRunRecords(copy, 'laptop-1'), await readRunRecords(source, 'laptop-1'));
  await Promise.all([source.close(), copy.close()]);
});

test('an unknown store scheme is a usage error naming the known ones', async () => {
  const result = await runCli(['runs', '--db', 'mysql://localhost/runs']);
  assertUsageFailure(result, 'runs', [/Unknown store scheme "mysql:"/, /sqlite:<path>/, /memory:/, /postgres:\/\//]);
});

test('store copy without two stores says what it needs', async () => {
  assertUsageFailure(await runCli(['store', 'copy', 'a.db']), 'store', [/two stores: <from> <to>/]);
});

test('a run recorded into Postgres is read by show, replay, credit and export', { skip: database ? false : 'no PostgreSQL' }, async () => {
  const env = { STEPWISE_DB: database!.url('readers') };
  const run = await runCli(['run', 'game24', '--tasks', 'generate:game24?count=2&seed=5', '--strategy', 'bfs', '--json'], { env });
  assert.equal(run.code, 0, run.stderr);
  const { runId } = JSON.parse(run.stdout);
  const show = await runCli(['show', runId], { env });
  assert.match(show.stdout, new RegExp(`^run ${runId} · game24`, 'm'));
  const replay = await runCli(['replay', runId], { env });
  assert.match(replay.stdout, new RegExp(`^identical: run ${runId} replayed offline step for step`, 'm'));
  const credit = await runCli(['credit', runId], { env });
  assert.equal(credit.code, 0, credit.stderr);
  const exported = await runCli(['export', runId, '--format', 'jsonl', '--json'], { env });
  assert.equal(exported.code, 0, exported.stderr);
  assert.ok(exported.stdout.trim().split('\n').length > 2, 'one JSON line per node');
});
