import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ToolCallAction } from '../../../src/core/world.ts';
import { BUILTIN_TASKS, loadWorkspaceTask, loadWorkspaceTasks, workspaceEnvironment, workspaceKeyNodes, type WorkspaceState } from '../../../src/envs/workspace/index.ts';
import { keyNodeHits } from '../../../src/eval/match.ts';
import { stepViews } from '../../../src/eval/trajectory.ts';
import { bwrapArgs, findOnPath, SANDBOX_CHECK, SANDBOX_WORKSPACE } from '../../../src/envs/workspace/sandbox.ts';
import { enumerateProposer } from '../../../src/propose/enumerate.ts';
import { scriptedProposer } from '../../../src/propose/scripted.ts';
import { runSearch } from '../../../src/search/run.ts';
import { bestOfK, bfs, mcts } from '../../../src/search/strategies/index.ts';
import { createMemoryStore } from '../../../src/store/memory.ts';
import { workspaceAgentProposer } from '../../../src/testing/workspace-agent.ts';

const hasBwrap = findOnPath('bwrap') !== null;
if (!hasBwrap) console.log('# skipping the workspace tests: bubblewrap (bwrap) is not installed (npm test installs it)');

const made: string[] = [];
after(() => made.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A throwaway task folder with the given workspace files and check, removed when the file's tests end. */
function taskFolder(files: Record<string, string>, task: Record<string, unknown>): string {
  const folder = mkdtempSync(join(tmpdir(), 'stepwise-task-'));
  made.push(folder);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(folder, 'workspace', path, '..'), { recursive: true });
    writeFileSync(join(folder, 'workspace', path), content);
  }
  mkdirSync(join(folder, 'workspace'), { recursive: true });
  writeFileSync(join(folder, 'task.json'), JSON.stringify(task));
  return folder;
}

async function search(tasks: ReturnType<typeof loadWorkspaceTasks>, options: Partial<Parameters<typeof runSearch<WorkspaceState, ToolCallAction>>[0]>) {
  const store = createMemoryStore();
  const result = await runSearch<WorkspaceState, ToolCallAction>({ env: workspaceEnvironment, tasks, proposer: workspaceAgentProposer(), strategy: bfs(), store, maxDepth: 6, ...options });
  return { store, result };
}

describe('workspace environment', { skip: !hasBwrap }, () => {
  it('best-of-k and MCTS with the scripted tool-calling model solve every built-in task; each tool call is recorded', async () => {
    const tasks = loadWorkspaceTasks('builtin');
    assert.deepEqual(tasks.map((t) => t.id), ['find-value', 'fix-failing-test', 'refactor-green']);
    for (const strategy of [bestOfK({ k: 2 }), mcts({ simulations: 30, parallel: 3 })]) {
      const { store, result } = await search(tasks, { strategy, concurrency: 2, maxWorlds: 2 });
      assert.deepEqual(result.results.map((r) => r.outcome), ['solved', 'solved', 'solved'], strategy.name);
      const tree = await store.getTree(result.runId, 'fix-failing-test');
      const ran = tree.nodes.find((n) => (n.action as ToolCallAction | null)?.tool === 'run_command')!;
      assert.deepEqual((ran.action as ToolCallAction).args, { command: ['node', 'test.js'] });
      assert.match(ran.observation, /^exit code 1\nok linePrice\(2, 10, 0\) = 20\nFAIL linePrice\(2, 10, 25\) = -480, expected 15/);
      assert.equal(typeof (ran.state as WorkspaceState).toolCall?.durationMs, 'number');
      // The key node (the buggy line gone) is met on the way, kept to the end, and found by the evaluation's matcher.
      const task = tasks.find((t) => t.id === 'fix-failing-test')!;
      const byId = new Map(tree.nodes.map((n) => [n.id, n]));
      const path = [];
      for (let at = byId.get(result.results[1].solutionNodeId!); at; at = at.parentId ? byId.get(at.parentId) : undefined) path.unshift(at);
      assert.deepEqual((path.at(-1)!.state as WorkspaceState).keyNodes, ['discount-fixed'], strategy.name);
      assert.equal((path[0].state as WorkspaceState).keyNodes, undefined, 'not met at the start');
      const hits = await keyNodeHits(workspaceKeyNodes(task), stepViews(path.slice(1), workspaceEnvironment.load(task)));
      assert.deepEqual(hits.map((h) => [h.id, h.met]), [['discount-fixed', true]]);
    }
  });

  it('key nodes in task.json are checked after each step that wrote; bad ones are refused when the task loads', async () => {
    const folder = taskFolder({ 'a.txt': 'a\n' }, { goal: 'never', check: { files: [{ path: 'never.txt', exists: true }] }, keyNodes: [{ id: 'b', check: { files: [{ path: 'b.txt', exists: true }] } }, { id: 'c', label: 'c written', check: { files: [{ path: 'c.txt', contains: 'c' }] } }] });
    const proposer = scriptedProposer<WorkspaceState, ToolCallAction>({ 0: ['write_file {"path":"c.txt","content":"c"}'], 1: ['write_file {"path":"c.txt","content":"x"}'], 2: ['write_file {"path":"b.txt","content":"b"}'] });
    const task = loadWorkspaceTask(folder);
    const { store, result } = await search([task], { proposer, maxDepth: 3, strategy: bfs() });
    const [, ...steps] = (await store.getTree(result.runId, task.id)).nodes;
    assert.deepEqual(steps.map((n) => (n.state as WorkspaceState).keyNodes), [['c'], ['c'], ['b', 'c']], 'a node once met stays met, listed in the task order');
    assert.equal(workspaceEnvironment.load(task).heuristic!(steps[2].state as WorkspaceState), 0.9);
    assert.match(workspaceEnvironment.load(task).render(steps[0].state as WorkspaceState), /key nodes 1\/2 \u2713c$/);
    for (const keyNodes of [[{ id: 'x', check: {} }], [{ id: 'x', check: { files: [{ path: 'a' }] } }, { id: 'x', check: { files: [{ path: 'b' }] } }], [{ id: 'a b', check: { files: [{ path: 'a' }] } }]]) {
      const bad = taskFolder({}, { goal: 'g', check: { files: [{ path: 'a', exists: true }] }, keyNodes });
      assert.throws(() => loadWorkspaceTask(bad), /keyNodes/);
    }
  });

  it('the enumerator cannot work on it: the workspace has no list of legal actions', async () => {
    const { store, result } = await search(loadWorkspaceTasks('builtin:find-value'), { proposer: enumerateProposer() });
    assert.notEqual(result.results[0].outcome, 'solved');
    const [refused] = (await store.getTree(result.runId, 'find-value')).candidates;
    assert.match(refused.invalidReason!, /environment workspace cannot enumerate its actions/);
  });

  it('a task of several turns: end_turn brings the next user turn, the check is judged when the last turn ends; one turn has no end_turn', async () => {
    const folder = taskFolder({}, { goal: 'write a', turns: ['now write b'], check: { files: [{ path: 'a.txt', exists: true }, { path: 'b.txt', exists: true }] } });
    const proposer = scriptedProposer<WorkspaceState, ToolCallAction>({
      0: ['write_file {"path":"a.txt","content":"a"}'],
      1: ['end_turn {"reply":"done"}'],
      2: ['write_file {"path":"b.txt","content":"b"}'],
      3: ['end_turn {"reply":"done too"}'],
    });
    const { store, result } = await search([loadWorkspaceTask(folder)], { proposer, strategy: bestOfK({ k: 1 }) });
    assert.equal(result.results[0].outcome, 'solved');
    assert.equal(result.results[0].plan!.length, 4, 'writing both files did not end the task before the last turn ended');
    const tree = await store.getTree(result.runId, loadWorkspaceTask(folder).id);
    assert.equal(tree.nodes.find((n) => n.depth === 2)!.observation, 'User: now write b');
    const single = taskFolder({}, { goal: 'g', check: { files: [{ path: 'x', exists: true }] } });
    const once = await search([loadWorkspaceTask(single)], { proposer: scriptedProposer<WorkspaceState, ToolCallAction>({ 0: ['end_turn {"reply":"hi"}'] }), strategy: bestOfK({ k: 1 }), maxDepth: 1 });
    const refused = (await once.store.getTree(once.result.runId, loadWorkspaceTask(single).id)).nodes.find((n) => n.depth === 1)!;
    assert.match(refused.check.reason ?? '', /this task has one turn/);
  });

  it("two branches never see each other's writes", async () => {
    const folder = taskFolder({ 'notes.txt': 'start\n' }, { goal: 'never', check: { files: [{ path: 'never.txt', exists: true }] } });
    const proposer = scriptedProposer<WorkspaceState, ToolCallAction>({
      0: ['write_file {"path":"notes.txt","content":"branch A\\n"}', 'read_file {"path":"notes.txt"}'],
      1: ['read_file {"path":"notes.txt"}'],
    });
    const { store, result } = await search([loadWorkspaceTask(folder)], { proposer, maxDepth: 2, maxWorlds: 1 });
    const tree = await store.getTree(result.runId, loadWorkspaceTask(folder).id);
    const [write, sibling] = tree.nodes.filter((n) => n.depth === 1);
    assert.equal(sibling.observation, 'start\n', 'the sibling reads the original file, not branch A');
    const below = tree.nodes.find((n) => n.parentId === write.id)!;
    assert.equal(below.observation, 'branch A\n', 'the writing branch reads its own write');
  });

  it('bad input is a failed step with its reason and the run goes on: outside paths, symlinks out, unknown tools, floods, hangs, disallowed programs', async () => {
    const folder = taskFolder({ 'a.txt': 'a\n', 'flood.js': "process.stdout.write('x'.repeat(5e6))", 'hang.js': 'setInterval(() => {}, 1000)', 'net.js': "require('node:net').connect(80, '1.1.1.1').on('error', (e) => { console.log('network refused: ' + e.code); }).on('connect', () => console.log('connected'))" },
      { goal: 'never', check: { files: [{ path: 'never.txt', exists: true }] }, allow: ['node'], timeoutMs: 1500, outputLimit: 4096 });
    symlinkSync('/etc', join(folder, 'workspace', 'etc-link'));
    const calls = [
      'read_file {"path":"../task.json"}',
      'read_file {"path":"/etc/passwd"}',
      'read_file {"path":"etc-link/passwd"}',
      'write_file {"path":"etc-link/x","content":"no"}',
      'delete_everything {}',
      'read_file {"path":',
      'run_command {"command":["node","flood.js"]}',
      'run_command {"command":["node","hang.js"]}',
      'run_command {"command":["sh","-c","echo hi"]}',
      'run_command {"command":["node","net.js"]}',
      'read_file {"path":"a.txt"}',
    ];
    const { store, result } = await search([loadWorkspaceTask(folder)], { proposer: scriptedProposer({ 0: calls }), maxDepth: 1 });
    const tree = await store.getTree(result.runId, loadWorkspaceTask(folder).id);
    const reason = (text: string) => {
      const candidate = tree.candidates.find((c) => c.text === text) ?? tree.candidates.find((c) => c.text.startsWith(text))!;
      if (candidate.invalidReason) return candidate.invalidReason;
      const node = tree.nodes.find((n) => n.candidateId === candidate.id)!;
      return node.check.valid ? `valid: ${node.observation}` : node.check.reason!;
    };
    assert.match(reason('read_file {"path":"../task.json"}'), /outside the workspace/);
    assert.match(reason('read_file {"path":"/etc/passwd"}'), /outside the workspace/);
    assert.match(reason('read_file {"path":"etc-link/passwd"}'), /leads outside the workspace \(through a symbolic link\)/);
    assert.match(reason('write_file {"path":"etc-link/x"'), /leads outside the workspace/);
    assert.match(reason('delete_everything'), /not a valid workspace action/);
    assert.match(reason('read_file {"path":'), /expected a tool call/);
    assert.match(reason('run_command {"command":["node","flood.js"]}'), /printed more than 4096 bytes and was killed/);
    assert.match(reason('run_command {"command":["node","hang.js"]}'), /did not end within 1500 ms and was killed/);
    assert.match(reason('run_command {"command":["sh"'), /sh is not an allowed program/);
    assert.match(reason('run_command {"command":["node","net.js"]}'), /valid: exit code 0\nnetwork refused: E(NETUNREACH|CONNREFUSED|ACCES|PERM)/);
    assert.equal(reason('read_file {"path":"a.txt"}'), 'valid: a\n');
    assert.equal(result.status, 'completed');
    assert.equal(result.results[0].outcome, 'failed');
  });

  it('a command cannot write outside the workspace or read the host\'s home folders or this repository', async () => {
    const repoFile = join(import.meta.dirname, '..', '..', '..', 'package.json');
    const folder = taskFolder({ 'probe.js': `const fs = require('node:fs'); for (const p of ['/root', '/home', ${JSON.stringify(repoFile)}]) console.log(fs.existsSync(p) ? 'visible' : 'absent'); try { fs.writeFileSync('/usr/x', '1'); console.log('wrote /usr'); } catch (e) { console.log('write refused', e.code); }` },
      { goal: 'never', check: { files: [{ path: 'never.txt', exists: true }] }, allow: ['node'] });
    const { store, result } = await search([loadWorkspaceTask(folder)], { proposer: scriptedProposer({ 0: ['run_command {"command":["node","probe.js"]}'] }), maxDepth: 1 });
    const [, node] = (await store.getTree(result.runId, loadWorkspaceTask(folder).id)).nodes;
    assert.equal(node.observation, 'exit code 0\nabsent\nabsent\nabsent\nwrite refused EROFS\n');
  });

  it('a program whose folder lies under the check or workspace mount (a checkout in /check/…) is bound where neither hides it', () => {
    for (const program of ['/check/work/main/node_modules/node/bin/node', '/workspace/tools/node', '/opt/node/bin/node']) {
      const args = bwrapArgs({ argv: ['node', 'test.js'], workspace: '/tmp/ws', checkDir: '/tmp/check', timeoutMs: 1000, outputLimit: 100 }, program);
      const bind = args.findIndex((arg, i) => arg === '--ro-bind' && args[i + 1] === '/' + program.split('/').slice(1, -1).join('/'));
      const mountedAt = args[bind + 2];
      const exec = args[args.indexOf('--') + 1];
      assert.equal(exec, `${mountedAt}/node`, program);
      assert.deepEqual(args.slice(args.indexOf('--') + 2), ['test.js']);
      for (const mount of [SANDBOX_CHECK, SANDBOX_WORKSPACE]) assert.ok(!mountedAt.startsWith(`${mount}/`) && mountedAt !== mount, `${program} is hidden under ${mount}`);
    }
  });

  it('a task folder without task.json is a clear error', () => {
    const folder = mkdtempSync(join(tmpdir(), 'stepwise-task-'));
    const copy = mkdtempSync(join(tmpdir(), 'stepwise-task-'));
    made.push(folder, copy);
    assert.throws(() => loadWorkspaceTask(folder), /is not a workspace task: it has no task.json/);
    cpSync(join(BUILTIN_TASKS, 'find-value'), copy, { recursive: true });
    writeFileSync(join(copy, 'task.json'), '{"goal":"x","check":{"files":[]}}');
    assert.throws(() => loadWorkspaceTask(copy), /check/);
  });
});
