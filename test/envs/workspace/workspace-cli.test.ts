import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findOnPath } from '../../../src/envs/workspace/sandbox.ts';
import { openSqliteStore } from '../../../src/store/sqlite.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../../src/testing/fake-openai-server.ts';
import { workspaceModelScript } from '../../../src/testing/workspace-agent.ts';
import type { ToolCallAction } from '../../../src/core/world.ts';
import { parseJsonLine, runCli, tempDb } from '../../cli/cli-process.ts';
import { runAndKillAfterProgress } from '../../replay/kill-cli.ts';
import { scratchRoot } from '../../../src/worlds/scratch.ts';

const hasBwrap = findOnPath('bwrap') !== null;
if (!hasBwrap) console.log('# skipping the workspace CLI tests: bubblewrap (bwrap) is not installed (npm test installs it)');

/** Per task: outcome, plan and node count, as the store holds them. */
async function resultsOf(db: string, runId: string) {
  const store = openSqliteStore(db, { readonly: true });
  try {
    const { results } = await store.getRun(runId);
    return results.map((r) => [r.taskId, r.outcome, r.plan, r.nodes]).sort();
  } finally {
    await store.close();
  }
}

async function treeOf(db: string, runId: string, taskId: string) {
  const store = openSqliteStore(db, { readonly: true });
  try {
    return await store.getTree(runId, taskId);
  } finally {
    await store.close();
  }
}

describe('the workspace with a scripted tool-calling model, end to end', { skip: !hasBwrap }, () => {
  let server: FakeOpenAIServer;
  const model = () => `openai-compatible:${server.url}#fake-agent`;
  before(async () => {
    server = await startFakeOpenAIServer({ script: workspaceModelScript(), latencyMs: 5 });
  });
  after(() => server.close());

  // MCTS's parallel simulations interleave in the order world steps finish, which a replay cannot repeat; it runs in workspace.test.ts.
  it('a best-of-k run: every tool call in the store and in show, replay identical offline (recorded and re-executed), a fork from a mid-run node', async () => {
    const db = tempDb();
    const run = parseJsonLine(await runCli(['run', 'workspace', '--tasks', 'builtin', '--model', model(), '--mode', 'tools', '--strategy', 'best-of-k', '--k', '2', '--json', '--db', db]));
    assert.equal(run.solved, 3);
    const tree = await treeOf(db, run.runId, 'fix-failing-test');
    const calls = tree.nodes.filter((n) => n.parentId !== null);
    assert.ok(calls.length >= 3);
    for (const node of calls) {
      const action = node.action as ToolCallAction;
      assert.equal(typeof action.tool, 'string');
      assert.equal(node.actionText, `${action.tool} ${JSON.stringify(action.args)}`);
      assert.equal(typeof (node.state as { toolCall?: { durationMs: number } }).toolCall?.durationMs, 'number');
    }

    const shown = await runCli(['show', run.runId, '--task', 'fix-failing-test', '--db', db]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /run_command \{"command":\["node","test.js"\]\}.*\n\s+→ exit code 1 …\(\+\d+ lines\)  \(\d+(ms|\.\ds)\)/);
    assert.match(shown.stdout, /✓ edit_file \{"path":"src\/price.js".*\n\s+→ edited src\/price.js  \(\d+(ms|\.\ds)\)/);

    const sentBefore = server.requests.length;
    const replayed = parseJsonLine(await runCli(['replay', run.runId, '--json', '--db', db]));
    assert.equal(replayed.identical, true, JSON.stringify(replayed.divergence));
    const reExecuted = parseJsonLine(await runCli(['replay', run.runId, '--re-execute', '--json', '--db', db]));
    assert.equal(reExecuted.identical, true, JSON.stringify(reExecuted.divergence));
    assert.equal(server.requests.length, sentBefore, 'replays send no request');

    // Fork after the failing test run: the fork's world is rebuilt by re-executing the shared step, then it searches on.
    const mid = calls.find((n) => (n.action as ToolCallAction).tool === 'run_command' && n.depth === 1)!;
    const forked = parseJsonLine(await runCli(['fork', mid.id, '--action', 'read_file {"path":"test.js"}', '--json', '--db', db]));
    assert.equal(forked.solved, 1);
    const forkTree = await treeOf(db, forked.runId, 'fix-failing-test');
    const first = forkTree.nodes.find((n) => n.parentId === mid.id)!;
    assert.equal(first.actionText, 'read_file {"path":"test.js"}');
    assert.match(first.observation, /^const assert = require/);
    assert.ok(forkTree.nodes.some((n) => n.success), 'the fork reaches the goal below the node');
  });

  it('a best-of-k run SIGKILLed mid-search, then resumed, ends as the uninterrupted run', async () => {
    const runArgs = ['run', 'workspace', '--tasks', 'builtin:fix-failing-test,refactor-green', '--model', model(), '--mode', 'tools', '--strategy', 'best-of-k', '--k', '2', '--json'];
    const reference = tempDb();
    const expected = parseJsonLine(await runCli([...runArgs, '--db', reference]));
    const db = tempDb();
    // Killed 50 ms after the first records are committed (however long a loaded machine takes to get there).
    const killed = await runAndKillAfterProgress([...runArgs, '--db', db], db, 50, 300_000);
    assert.ok(killed.killed, 'the run was killed before it finished');
    // What the killed run left (if a world was open at the kill), and a planted folder of another ended process.
    const leftBehind = join(scratchRoot(), String(killed.pid));
    const ended = spawnSync(process.execPath, ['-e', '0']).pid;
    const planted = join(scratchRoot(), String(ended), 'workspace-x');
    mkdirSync(planted, { recursive: true });
    const resumed = parseJsonLine(await runCli(['resume', 'latest', '--json', '--db', db]));
    assert.ok(!existsSync(leftBehind) && !existsSync(planted), 'the next run removed the world folders of ended processes');
    assert.equal(resumed.status, 'completed');
    assert.ok(resumed.kept.nodes > 0, 'the resume kept what the killed run recorded');
    assert.deepEqual(await resultsOf(db, resumed.runId), await resultsOf(reference, expected.runId));
  });
});
