import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertUsageFailure, runCli, tempDir } from './cli-process.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

const TASKS = '../shared/data/papers/intermediate-actions.jsonl#which intermediate actions do users want?';

test('stepwise feedback: a session typed on standard input is recorded, then stats and export read it back', { skip: NEEDS_SHARED_DATA }, async () => {
  const db = join(tempDir(), 'feedback.db');
  const session = await runCli(['feedback', 'report', '--tasks', TASKS, '--user', 'ana', '--study', 'pilot', '--k', '4', '--turns', '2', '--db', db], {
    input: '7\n1 2 + Focus on web agents\na\np too short\nn\nq\n',
  });
  assert.equal(session.code, 0, session.stderr);
  assert.match(session.stdout, /"7" is not one of the actions 1-4/);
  assert.match(session.stdout, /Executed: Focus on web agents \(your own\)/);
  assert.match(session.stdout, /8 actions shown, 2 picked, 1 of your own, 3 judged \(1 applied, 1 partly, 1 not applied\)/);

  const stats = await runCli(['feedback', 'stats', '--study', 'pilot', '--json', '--db', db]);
  assert.equal(stats.code, 0, stats.stderr);
  const parsed = JSON.parse(stats.stdout);
  assert.equal(parsed.byUser[0].group, 'ana');
  assert.equal(parsed.overall.pickRate, 2 / 8);

  const exported = await runCli(['feedback', 'export', '--study', 'pilot', '--db', db]);
  const records = exported.stdout.trim().split('\n').map((line) => JSON.parse(line));
  const judgments = records.filter((r) => r.type === 'judgment');
  assert.deepEqual(judgments.map((j) => [j.verdict, j.comment]), [['applied', null], ['partly', 'too short'], ['not_applied', null]]);
  assert.equal(judgments[2].actionText, 'Focus on web agents');
  assert.equal(records.filter((r) => r.type === 'preference' && r.picked).length, 3);
  assert.equal(records.at(-1).type, 'stats');

  const runId = judgments[0].runId;
  const viaExport = await runCli(['export', runId, '--format', 'feedback', '--db', db]);
  assert.equal(viaExport.code, 0, viaExport.stderr);
  assert.deepEqual(viaExport.stdout.trim().split('\n').map((line) => JSON.parse(line).type).filter((t) => t !== 'preference'), ['judgment', 'judgment', 'judgment', 'stats']);
  const searched = await runCli(['run', 'game24', '--tasks', 'puzzle:4 4 6 8', '--db', db, '--json']);
  const plain = await runCli(['export', JSON.parse(searched.stdout).runId, '--format', 'feedback', '--db', db]);
  assert.equal(plain.stdout, '', 'a run that is not a feedback session has no feedback records');

  const unwritable = await runCli(['feedback', 'export', '-o', join(db, 'no-such-folder', 'out.jsonl'), '--db', db]);
  assertUsageFailure(unwritable, 'feedback', [/cannot write .*out\.jsonl/, /folder that exists/]);
  assertUsageFailure(await runCli(['feedback', 'export', '--user', 'bob', '--db', db]), 'feedback', [/no feedback sessions of user "bob"/]);

  const none = await runCli(['feedback', 'stats', '--study', 'nobody', '--db', db]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no feedback sessions in study "nobody"/);
});

test('stepwise feedback --simulate: a simulated user picks and judges, recorded under its id', { skip: NEEDS_SHARED_DATA }, async () => {
  const db = join(tempDir(), 'sim.db');
  const session = await runCli(['feedback', 'report', '--tasks', TASKS, '--simulate', 'limits-lee', '--study', 'sim', '--turns', '2', '--db', db]);
  assert.equal(session.code, 0, session.stderr);
  assert.match(session.stdout, /session \S+ \(user limits-lee\): \d+ actions shown, [1-9]\d* picked/);
  const stats = JSON.parse((await runCli(['feedback', 'stats', '--study', 'sim', '--json', '--db', db])).stdout);
  assert.deepEqual(stats.byUser.map((u: { group: string }) => u.group), ['limits-lee']);
  assert.ok(stats.overall.judged > 0);
  const wrong = await runCli(['feedback', 'report', '--tasks', TASKS, '--simulate', 'nobody', '--db', db]);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /no simulated user "nobody"[\s\S]*data-diana/);
});
