import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertUsageFailure, REPO_ROOT, runCli, tempDir } from './cli-process.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

const TASKS = '../shared/data/papers/intermediate-actions.jsonl#which intermediate actions do users want?';

/** A terminal session whose input stays open: types `typed`, then presses Ctrl-C once `promptCount` judgment prompts were printed. */
function interruptedSession(db: string, typed: string, promptCount: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const child = spawn(join(REPO_ROOT, 'node_modules', '.bin', 'node'), [join(REPO_ROOT, 'bin', 'stepwise.js'), 'feedback', 'report', '--tasks', TASKS, '--user', 'ana', '--db', db], { cwd: REPO_ROOT, env });
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (!sent && stdout.split('Was it applied?').length - 1 >= promptCount) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.write(typed);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('Ctrl-C while judging: the run is recorded as interrupted with the open turn, and resume says why a session cannot go on', { skip: NEEDS_SHARED_DATA }, async () => {
  const db = join(tempDir(), 'feedback.db');
  const session = await interruptedSession(db, '1 2\na\n', 2);
  assert.equal(session.code, 130, session.stderr);
  assert.match(session.stderr, /interrupted; the turns judged so far are recorded/);
  assert.doesNotMatch(session.stderr, /^\s+at /m);

  const runs = await runCli(['runs', '--json', '--db', db]);
  const [{ run, end }] = JSON.parse(runs.stdout);
  assert.equal(end.status, 'interrupted');

  const stats = JSON.parse((await runCli(['feedback', 'stats', '--json', '--db', db])).stdout);
  assert.equal(stats.overall.judged, 1, 'the judgment given before Ctrl-C');
  assert.equal(stats.overall.picked, 2, 'the turn cut off mid-judgment is recorded with its picks');

  for (const command of ['resume', 'replay']) {
    assertUsageFailure(await runCli([command, run.id, '--db', db]), command, [/is a feedback session of user ana: a person chose its steps/, /stepwise feedback report --tasks/]);
  }
});

test('replay, resume and fork name a store file that does not exist, and do not create it', async () => {
  const db = join(tempDir(), 'typo.db');
  for (const args of [['replay', 'latest'], ['resume', 'latest'], ['fork', 'r1.3']]) {
    assertUsageFailure(await runCli([...args, '--db', db]), args[0], [/No store file at .*typo\.db/]);
    assert.equal(existsSync(db), false, `${args[0]} created ${db}`);
  }
});
