import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { sampleRun } from '../../src/testing/store-suite/sample-run.ts';
import { appendAll } from '../../src/testing/store-suite/with-store.ts';
import { assertUsageFailure, REPO_ROOT, runCli, tempDb } from './cli-process.ts';

async function recordedDb(): Promise<string> {
  const db = tempDb();
  const store = openSqliteStore(db);
  appendAll(store, sampleRun('run-a'));
  await store.close();
  return db;
}

test('stepwise view prints its 127.0.0.1 URL, serves the store read-only, and stops cleanly on Ctrl-C', async () => {
  const db = await recordedDb();
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const child = spawn(join(REPO_ROOT, 'node_modules', '.bin', 'node'), [join(REPO_ROOT, 'bin', 'stepwise.js'), 'view', '--db', db, '--port', '0'], { cwd: REPO_ROOT, env });
  let stdout = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout);
      if (match) resolve(match[0]);
    });
    child.on('close', (code) => reject(new Error(`stepwise view exited early with ${code}`)));
  });
  try {
    assert.match(stdout, new RegExp(`serving ${db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(read-only\\)`));
    const runs = await (await fetch(new URL('/api/runs', url))).json() as { runs: { id: string }[] };
    assert.deepEqual(runs.runs.map((run) => run.id), ['run-a']);
    assert.equal((await fetch(new URL('/api/runs', url), { method: 'POST' })).status, 405);
    // The approval page's routes exist only with --approvals: the plain viewer takes no decision.
    assert.equal((await fetch(new URL('/api/approvals', url))).status, 404);
    const decide = await fetch(new URL('/api/approvals/decide', url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(decide.status, 405);
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await exited, 0);
});

test('stepwise view explains a missing store and a bad port', async () => {
  assertUsageFailure(await runCli(['view', '--db', join(tempDb(), 'missing.db')]), 'view', [/No store file at/]);
  assertUsageFailure(await runCli(['view', '--db', await recordedDb(), '--port', '70000']), 'view', [/--port must be at most 65535/]);
  assertUsageFailure(await runCli(['view', '--db', await recordedDb(), '--port', 'x']), 'view', [/--port must be a whole number/]);
  assertUsageFailure(await runCli(['view', '--db', await recordedDb(), '--by', 'alice']), 'view', [/--by names who decides on the approval page; it needs --approvals/]);
});
