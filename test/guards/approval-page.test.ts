import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { ApprovalList } from '../../src/guards/approval-types.ts';
import { approvalsOf } from '../../src/guards/approvals.ts';
import { findOnPath } from '../../src/envs/workspace/sandbox.ts';
import { loadWorkspaceTasks } from '../../src/envs/workspace/spec.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { startFakeOpenAIServer, type FakeChatRequest, type FakeOpenAIServer, type FakeReply } from '../../src/testing/fake-openai-server.ts';
import { workspaceModelScript } from '../../src/testing/workspace-agent.ts';
import { parseJsonLine, REPO_ROOT, runCli, tempDir } from '../cli/cli-process.ts';

const hasBwrap = findOnPath('bwrap') !== null;
if (!hasBwrap) console.log('# skipping the approval page test: bubblewrap (bwrap) is not installed (npm test installs it)');

const NODE = join(REPO_ROOT, 'node_modules', '.bin', 'node');
const BIN = join(REPO_ROOT, 'bin', 'stepwise.js');
const GOALS = new Map(loadWorkspaceTasks('builtin').map((task) => [task.id, task.spec.goal]));

function textOf(body: FakeChatRequest): string {
  return (body.messages ?? []).map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
}

/** Starts a CLI process and resolves once its stdout shows `ready`; the process is returned to be ended by the test. */
function startCli(args: string[], ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray; exited: Promise<number | null> }> {
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const child = spawn(NODE, [BIN, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = ready.exec(stdout);
      if (match) resolve({ child, match, exited });
    });
    void exited.then((code) => reject(new Error(`stepwise ${args[0]} exited with ${code} before it was ready: ${stderr}`)));
  });
}

async function pendingIn(db: string, taskId: string): Promise<number> {
  if (!existsSync(db)) return 0;
  let store: ReturnType<typeof openSqliteStore> | undefined;
  try {
    // The run may still be creating the file's schema: not readable yet is "nothing held yet".
    store = openSqliteStore(db, { readonly: true });
    const [summary] = await store.listRuns();
    if (!summary) return 0;
    return (await approvalsOf(store, summary.run.id)).filter((a) => a.taskId === taskId && a.decision === null).length;
  } catch {
    return 0;
  } finally {
    await store?.close();
  }
}

describe('the approval page, end to end', { skip: !hasBwrap }, () => {
  let server: FakeOpenAIServer;
  /** While true, the proposer's requests for fix-failing-test never answer: the run is busy there when it is killed. */
  let holdSecondTask = true;
  const agent = workspaceModelScript();
  before(async () => {
    server = await startFakeOpenAIServer({
      script: (body): FakeReply => {
        const text = textOf(body);
        // The judged guard's request: it asks a person before anything writes the answer file.
        if (text.includes('You review the next action')) {
          const action = /The next action:\n(.*)/.exec(text)?.[1] ?? '';
          return action.startsWith('write_file') ? 'The answer file is the deliverable.\nASK: may I write this answer?' : 'ALLOW';
        }
        if (holdSecondTask && text.includes(GOALS.get('fix-failing-test')!)) return { type: 'hang' };
        return agent(body);
      },
    });
  });
  after(() => server.close());

  it('a run paused for approval and SIGKILLed is decided through the page from another process, and resume finishes it with the guards rebuilt from the store', async () => {
    const dir = tempDir();
    const db = join(dir, 'runs.db');
    const policy = join(dir, 'policy.yaml');
    // The agent may not start node: the policy guard must deny `node test.js` again in the resumed process.
    writeFileSync(policy, 'workspace: .\ncommands: { deny: ["node *"] }\n');
    const runArgs = ['run', 'workspace', '--tasks', 'builtin:find-value,fix-failing-test', '--model', `openai-compatible:${server.url}#fake-agent`, '--mode', 'tools', '--strategy', 'greedy', '--guard', 'policy,flow,judged', '--policy', policy, '--max-worlds', '2', '--json', '--db', db];
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const run = spawn(NODE, [BIN, ...runArgs], { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let runErr = '';
    run.stderr!.setEncoding('utf8').on('data', (chunk: string) => (runErr += chunk));
    const runExit = new Promise<NodeJS.Signals | null>((resolve) => run.on('close', (_code, signal) => resolve(signal)));
    // find-value pauses on its two answer-file writes; the run then waits on the second task's model, and is killed there.
    const started = performance.now();
    while ((await pendingIn(db, 'find-value')) < 2) {
      assert.ok(performance.now() - started < 60_000, `the held actions never reached the store: ${runErr}`);
      await sleep(50);
    }
    run.kill('SIGKILL');
    assert.equal(await runExit, 'SIGKILL');

    const view = await startCli(['view', '--approvals', '--by', 'page-user', '--port', '0', '--db', db], /approvals at (http:\/\/127\.0\.0\.1:\d+\/)#\/approvals/);
    const base = view.match[1];
    try {
      const listed = (await (await fetch(new URL('/api/approvals', base))).json()) as ApprovalList;
      assert.equal(listed.runs.length, 1);
      const [paused] = listed.runs;
      assert.equal(paused.status, 'running or killed');
      assert.deepEqual(paused.approvals.map((a) => [a.taskId, a.guard, a.reason, a.decision]), [
        ['find-value', 'judge:openai-compatible:' + server.url + '#fake-agent', 'may I write this answer?', null],
        ['find-value', 'judge:openai-compatible:' + server.url + '#fake-agent', 'may I write this answer?', null],
      ]);
      const [right, wrong] = paused.approvals;
      assert.match(right.actionText, /ST-31/);
      assert.match(wrong.actionText, /ST-17/);
      assert.match(right.path[0].actionText, /^search_files/, 'each held action comes with the path before it');
      assert.match(right.path[0].observation, /ST-31/, '… and what each step returned');

      const decide = (body: unknown, headers: Record<string, string> = {}) =>
        fetch(new URL('/api/approvals/decide', base), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      // The page's protections: another site's page cannot decide, a rejection needs a reason, only held candidates are decided.
      assert.equal((await decide({ runId: paused.runId, candidateId: right.candidateId, verdict: 'approve' }, { origin: 'http://evil.example' })).status, 403);
      const noReason = await decide({ runId: paused.runId, candidateId: wrong.candidateId, verdict: 'reject' });
      assert.equal(noReason.status, 400);
      assert.match(((await noReason.json()) as { error: string }).error, /needs a reason/);
      assert.equal((await decide({ runId: paused.runId, candidateId: `${right.candidateId}9`, verdict: 'approve' })).status, 404);
      // Both held actions, on two branches of the same node, decided in one sitting.
      assert.equal((await decide({ runId: paused.runId, candidateId: right.candidateId, verdict: 'approve' })).status, 200);
      assert.equal((await decide({ runId: paused.runId, candidateId: wrong.candidateId, verdict: 'reject', reason: 'the log says ST-31', by: 'alice' })).status, 200);

      holdSecondTask = false;
      const resumed = parseJsonLine(await runCli(['resume', 'latest', '--json', '--db', db]));
      assert.equal(resumed.status, 'completed');
      const store = openSqliteStore(db, { readonly: true });
      try {
        const { results } = await store.getRun(resumed.runId);
        const findValue = results.find((r) => r.taskId === 'find-value')!;
        assert.equal(findValue.outcome, 'solved');
        assert.match(findValue.plan!.at(-1)!, /^write_file .*ST-31/);
        const tree = await store.getTree(resumed.runId, 'find-value');
        const ran = tree.candidates.find((c) => c.proposer === 'approval:page-user');
        assert.ok(ran && tree.nodes.some((n) => n.candidateId === ran.id), 'the approved action ran as a node of the same run');
        assert.ok(!tree.nodes.some((n) => /ST-17/.test(n.actionText ?? '')), 'the rejected action never ran');
        // The policy guard was rebuilt from the recorded recipe: the resumed second task may not start node.
        const second = await store.getTree(resumed.runId, 'fix-failing-test');
        const denied = second.candidates.find((c) => /run_command .*node/.test(c.text));
        assert.match(denied?.invalidReason ?? '', /^denied by guard policy: runs `node test.js`, denied by the policy rule "node \*"/);
        assert.ok(!second.nodes.some((n) => /run_command/.test(n.actionText ?? '')));
      } finally {
        await store.close();
      }
      const after = (await (await fetch(new URL('/api/approvals', base))).json()) as ApprovalList;
      assert.equal(after.runs[0].status, 'completed');
      assert.deepEqual(after.runs[0].approvals.map((a) => [a.decision?.verdict, a.decision?.by, a.decision?.reason]), [['approve', 'page-user', undefined], ['reject', 'alice', 'the log says ST-31']]);
      const shown = await runCli(['show', resumed.runId, '--task', 'find-value', '--db', db]);
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(shown.stdout, /approve by page-user/);
      assert.match(shown.stdout, /reject by alice \(the log says ST-31\)/);
    } finally {
      view.child.kill('SIGINT');
      await view.exited;
    }
  });
});
