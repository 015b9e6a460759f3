import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { game24ModelScript } from '../../src/testing/game24-model.ts';
import { REPO_ROOT, runCli, tempDb } from '../cli/cli-process.ts';
import { snapshotStore } from './kill-cli.ts';

const NODE = join(REPO_ROOT, 'node_modules', '.bin', 'node');
const BIN = join(REPO_ROOT, 'bin', 'stepwise.js');

/** The real CLI as a child whose pid, stderr and end the test watches. */
function startCli(args: string[]) {
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const child = spawn(NODE, [BIN, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stdout.resume();
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, ended, stderr: () => stderr };
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const started = performance.now();
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    assert.ok(performance.now() - started < timeoutMs, `timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The lease row of the file's only run, once a writer took it. */
function leaseIn(path: string): { runId: string; pid: number } | undefined {
  if (!existsSync(path)) return undefined;
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    const row = db.prepare('SELECT run_id, pid FROM run_leases').get();
    return row ? { runId: String(row.run_id), pid: Number(row.pid) } : undefined;
  } catch {
    return undefined; // not created or migrated yet
  } finally {
    db?.close();
  }
}

let server: FakeOpenAIServer;
// After its first replies, the first writer's requests are held until the test has tried the run from other processes.
let openGate: () => void;
const gate = new Promise<void>((resolve) => (openGate = resolve));
before(async () => {
  const script = game24ModelScript();
  server = await startFakeOpenAIServer({
    script: async (body, index) => {
      if (index >= 4) await gate;
      return script(body, index);
    },
  });
});
after(() => server.close());

test('one writer per run: a second resume names the running owner and refuses; --wait takes over once the owner is killed', async () => {
  const db = tempDb();
  const model = ['--model', `openai-compatible:${server.url}#fake-gpt`, '--strategy', 'bfs', '--mode', 'list', '--scorer', 'value'];
  const owner = startCli(['run', 'game24', '--tasks', 'generate:game24?count=3&seed=3', ...model, '--db', db, '--json']);
  const lease = await until('the run to take its lease', () => leaseIn(db));
  assert.equal(lease.pid, owner.child.pid);

  const refused = await runCli(['resume', lease.runId, '--db', db]);
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, new RegExp(`run ${lease.runId} is being written by another process \\(pid ${owner.child.pid} on \\S+, since \\d{4}-`));
  assert.match(refused.stderr, /hint: .*--wait/);
  assert.doesNotMatch(refused.stderr, /^\s+at /m, 'no stack trace');

  const waiter = startCli(['resume', lease.runId, '--wait', '--db', db, '--json']);
  await until('the second resume to wait', () => (/waiting for it to finish/.test(waiter.stderr()) ? true : undefined));
  assert.equal(leaseIn(db)?.pid, owner.child.pid, 'the waiting resume has not taken it');
  owner.child.kill('SIGKILL');
  const killed = await owner.ended;
  assert.equal(killed.signal, 'SIGKILL', 'the owner was still running when killed');
  openGate();

  const resumed = await waiter.ended;
  assert.equal(resumed.code, 0, waiter.stderr());
  const snapshot = await snapshotStore(db); // also: no tree position recorded twice, no answered request sent again
  assert.equal(snapshot.runs.length, 1);
  assert.equal(snapshot.runs[0].end?.status, 'completed');
  assert.equal(snapshot.runs[0].results.length, 3);
  assert.equal(leaseIn(db), undefined, 'the lease is released at the end');
});
