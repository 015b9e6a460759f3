import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { mcpAgentReply } from '../../examples/mcp/scripted-agent.ts';
import { loadMcpTasks, mcpEnvironment, type McpState } from '../../src/envs/mcp/index.ts';
import { createModelClient } from '../../src/models/client.ts';
import { runSearch } from '../../src/search/run.ts';
import { bestOfK } from '../../src/search/strategies/index.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { openStore } from '../../src/store/index.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer, type FakeReply } from '../../src/testing/fake-openai-server.ts';
import { toolProposer } from '../../src/tools/tool-proposer.ts';
import { parseJsonLine, runCli, tempDb } from '../cli/cli-process.ts';

let agent: FakeOpenAIServer;
before(async () => {
  agent = await startFakeOpenAIServer({ script: mcpAgentReply });
});
after(() => agent.close());
const model = () => `openai-compatible:${agent.url}#scripted`;

/** Every executed step of a run as the store holds it: the call, its result and how long it took. */
async function recordedToolSteps(db: string, runId: string, taskId: string) {
  const store = openStore(db, { readonly: true });
  try {
    const tree = await store.getTree(runId, taskId);
    return tree.nodes.filter((n) => n.parentId !== null).map((n) => ({ action: n.action as { tool: string; args: object }, observation: n.observation, toolCall: (n.state as McpState).toolCall }));
  } finally {
    await store.close();
  }
}

describe('a tool-calling search over real MCP servers, from the command line', () => {
  it('best-of-k solves the filesystem tasks; every call is in the store and in `show`; replay is identical offline', async () => {
    const db = tempDb();
    const run = parseJsonLine(await runCli(['run', 'mcp', '--tasks', 'examples/mcp/notes.yaml', '--model', model(), '--mode', 'tools', '--strategy', 'best-of-k', '--k', '2', '--db', db, '--json']));
    assert.equal(run.solved, 2);
    const steps = await recordedToolSteps(db, run.runId, 'find-code');
    assert.deepEqual(steps.map((s) => s.action.tool), ['list_directory', 'list_directory', 'read_text_file', 'final_answer']);
    assert.deepEqual(steps[2].action.args, { path: '/workspace/projects/vault.txt' });
    assert.equal(steps[2].observation, 'vault: the access code is 4711\n');
    assert.ok(steps.every((s) => typeof s.toolCall?.durationMs === 'number'), 'each call says how long it took');

    const shown = await runCli(['show', run.runId, '--task', 'find-code', '--db', db]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /\* read_text_file \{"path":"\/workspace\/projects\/vault\.txt"\}.*\n\s+→ vault: the access code is 4711 {2}\(\d+ms\)/);
    assert.match(shown.stdout, /✓ final_answer \{"answer":"4711"\} {2}\.\d+ {2}← solution/);

    const replay = await runCli(['replay', run.runId, '--db', db]);
    assert.equal(replay.code, 0, replay.stdout + replay.stderr);
    assert.match(replay.stdout, /identical: .* model calls served from the record/);
    // Fresh servers in fresh copies of the folder give every recorded result again (the folder reads as /workspace in each).
    const again = await runCli(['replay', run.runId, '--re-execute', '--db', db]);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /identical: .*stateful steps executed again/);
  });

  it('MCTS solves the memory task, branching in worlds of their own', async () => {
    const db = tempDb();
    const run = parseJsonLine(await runCli(['run', 'mcp', '--tasks', 'examples/mcp/memory.yaml', '--model', model(), '--mode', 'tools', '--strategy', 'mcts', '--simulations', '6', '--db', db, '--json']));
    assert.equal(run.solved, 1);
    const steps = await recordedToolSteps(db, run.runId, 'remember-ada');
    const search = steps.find((s) => s.action.tool === 'search_nodes');
    assert.ok(search, 'the detour was explored too');
    assert.doesNotMatch(search.observation, /Ada Lovelace/, 'a sibling branch never sees the entity another branch created');
  });
});

describe('a search over a server that crashes and hangs', () => {
  it('records each as a failed step with its reason and goes on to solve the task', async () => {
    const script = (body: { messages?: { role: string }[] }): FakeReply => {
      const depth = (body.messages ?? []).filter((m) => m.role === 'tool').length;
      return depth === 0
        ? { type: 'tool-calls', calls: [{ name: 'crash', arguments: {} }, { name: 'hang', arguments: {} }, { name: 'echo', arguments: { text: 'hello' } }] }
        : { type: 'tool-calls', calls: [{ name: 'final_answer', arguments: { answer: 'hello' } }] };
    };
    const server = await startFakeOpenAIServer({ script });
    try {
      const store = createMemoryStore();
      const client = createModelClient({ spec: `openai-compatible:${server.url}#scripted`, store, env: {} });
      const tasks = loadMcpTasks(fileURLToPath(new URL('../envs/mcp/unruly.yaml', import.meta.url)));
      const { runId, results } = await runSearch({ env: mcpEnvironment, tasks, proposer: toolProposer({ client }), strategy: bestOfK({ k: 3 }), store });
      assert.equal(results[0].outcome, 'solved');
      assert.deepEqual(results[0].plan, ['echo {"text":"hello"}', 'final_answer {"answer":"hello"}']);
      const tree = await store.getTree(runId, tasks[0].id);
      const failed = tree.nodes.filter((n) => !n.check.valid).map((n) => [n.actionText, n.check.reason]);
      assert.equal(failed.length, 2);
      assert.match(failed[0][1]!, /exited during crash.*crashing on purpose/);
      assert.match(failed[1][1]!, /did not answer hang within 1500 ms/);
    } finally {
      await server.close();
    }
  });
});
