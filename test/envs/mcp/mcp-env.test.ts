import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TaskError } from '../../../src/core/errors.ts';
import { loadMcpTasks, McpServerError, openMcpWorld, type McpWorld } from '../../../src/envs/mcp/index.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const NOTES = join(REPO, 'examples/mcp/notes.yaml');
const MEMORY = join(REPO, 'examples/mcp/memory.yaml');
const UNRULY = fileURLToPath(new URL('./unruly.yaml', import.meta.url));

const open: McpWorld[] = [];
async function world(file: string, index = 0): Promise<McpWorld> {
  const opened = await openMcpWorld(loadMcpTasks(file)[index].spec, new AbortController().signal);
  open.push(opened);
  return opened;
}
after(() => Promise.all(open.map((w) => w.close())));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('MCP task files', () => {
  it('resolve {node}, {bin:…} and {taskdir}, and keep the folder and check', () => {
    const [task, second] = loadMcpTasks(NOTES);
    assert.equal(task.id, 'find-code');
    assert.equal(task.env, 'mcp');
    assert.equal(task.spec.server.command, process.execPath);
    assert.match(task.spec.server.args[0], /server-filesystem\/dist\/index\.js$/);
    assert.equal(task.spec.server.args[1], '{workdir}', 'the world folder is filled in per world');
    assert.equal(task.spec.workdir, join(REPO, 'examples/mcp/notes'));
    assert.deepEqual(task.spec.check, { answer: '4711', match: 'exact' });
    assert.deepEqual(second.spec.check, { call: { tool: 'read_text_file', args: { path: '/workspace/summary.txt' } }, expect: '4711', match: 'contains' });
  });

  it('refuse a malformed file, naming the field and showing the format', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-mcp-tasks-'));
    try {
      const bad = join(dir, 'bad.yaml');
      writeFileSync(bad, 'server: { command: node, url: "http://localhost:1/mcp" }\ntasks:\n  - id: a\n    goal: g\n    check: { answr: x }\n');
      assert.throws(() => loadMcpTasks(bad), (error: unknown) => error instanceof TaskError && /give exactly one of command/.test(error.message) && /tasks\.0\.check/.test(error.message) && /workdir: notes/.test(error.hint ?? ''));
      assert.throws(() => loadMcpTasks(join(dir, 'missing.yaml')), /cannot read the MCP task file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an MCP world over the reference filesystem server', () => {
  it('lists the tools, makes a call, records isError and a bad argument as refused steps, and gives each world its own folder', async () => {
    const [one, two] = await Promise.all([world(NOTES), world(NOTES)]);
    assert.deepEqual(one.tools.map((t) => t.name), ['read_text_file', 'write_file', 'list_directory', 'search_files', 'final_answer']);
    const listing = await one.step({ tool: 'list_directory', args: { path: '/workspace' } });
    assert.equal(listing.observation, '[FILE] README.md\n[DIR] projects');
    assert.equal(listing.check.valid, true);
    assert.equal(listing.state.toolCall?.tool, 'list_directory');
    assert.equal(typeof listing.state.toolCall?.durationMs, 'number');
    const missing = await one.step({ tool: 'read_text_file', args: { path: '/workspace/nope.txt' } });
    assert.equal(missing.check.valid, false);
    assert.equal(missing.check.detail?.isError, true);
    assert.match(missing.check.reason!, /read_text_file reported an error: ENOENT.*'\/workspace\/nope\.txt'/, 'the world folder reads as its alias');
    assert.deepEqual(missing.state.calls, listing.state.calls, 'a refused step leaves the position');
    assert.equal(missing.state.toolCall?.tool, 'read_text_file', 'and says how long the call took');
    const bad = await one.step({ tool: 'read_text_file', args: { path: 7 } });
    assert.match(bad.check.reason!, /do not fit its input schema: \/path must be string/);

    const written = await one.step({ tool: 'write_file', args: { path: '/workspace/summary.txt', content: 'code 4711' } });
    assert.equal(written.check.valid, true);
    const sibling = await two.step({ tool: 'list_directory', args: { path: '/workspace' } });
    assert.equal(sibling.observation, '[FILE] README.md\n[DIR] projects', 'the other world never sees the write');
    assert.equal(one.state.calls.length, 2);
  });

});

describe('a final answer', () => {
  it('ends the task, decided by the task check', async () => {
    const w = await world(UNRULY);
    const wrong = await w.step({ tool: 'final_answer', args: { answer: 'goodbye' } });
    assert.deepEqual([wrong.done, wrong.success, wrong.observation], [true, false, 'final answer: goodbye']);
    const right = await w.step({ tool: 'final_answer', args: { answer: 'hello' } });
    assert.deepEqual([right.done, right.success, right.reward], [true, true, 1]);
  });
});

describe('an MCP world over the reference memory server', () => {
  it('runs the check call after each step: success once the graph holds the entity', async () => {
    const w = await world(MEMORY);
    const other = await w.step({ tool: 'create_entities', args: { entities: [{ name: 'Charles Babbage', entityType: 'person', observations: ['designed the engine'] }] } });
    assert.deepEqual([other.check.valid, other.success, other.check.detail?.checkPassed], [true, false, false]);
    const ada = await w.step({ tool: 'create_entities', args: { entities: [{ name: 'Ada Lovelace', entityType: 'person', observations: ['wrote the first program'] }] } });
    assert.deepEqual([ada.success, ada.done, ada.check.detail?.checkPassed], [true, true, true]);
  });
});

describe('a server that misbehaves', () => {
  it('records a protocol error and an isError result as refused steps, and the world goes on', async () => {
    const w = await world(UNRULY);
    const rejected = await w.step({ tool: 'reject', args: {} });
    assert.match(rejected.check.reason!, /protocol error -32602 from reject: .*reject always rejects/);
    const failed = await w.step({ tool: 'fail', args: {} });
    assert.equal(failed.check.reason, 'fail reported an error: the thing failed as asked');
    const echoed = await w.step({ tool: 'echo', args: { text: 'still here' } });
    assert.equal(echoed.observation, 'still here');
  });

  it('throws McpServerError when the server crashes mid-call, with the end of its stderr', async () => {
    const w = await world(UNRULY);
    await assert.rejects(w.step({ tool: 'crash', args: {} }), (error: unknown) => error instanceof McpServerError && /exited during crash/.test(error.message) && /crashing on purpose/.test(error.message));
    await assert.rejects(w.step({ tool: 'echo', args: { text: 'x' } }), /not usable/);
  });

  it('gives up on a hanging call after the task\'s timeout and stops the server', async () => {
    const w = await world(UNRULY);
    const pid = w.pid!;
    assert.ok(isAlive(pid));
    const started = performance.now();
    await assert.rejects(w.step({ tool: 'hang', args: {} }), (error: unknown) => error instanceof McpServerError && /did not answer hang within 1500 ms/.test(error.message));
    assert.ok(performance.now() - started < 6000);
    await w.close();
    assert.equal(isAlive(pid), false, 'the hanging server process is gone');
  });

  it('says why a server that cannot start did not', async () => {
    const spec = { ...loadMcpTasks(UNRULY)[0].spec };
    spec.server = { ...spec.server, args: ['-e', 'process.stderr.write("no config\\n"); process.exit(2)'] };
    await assert.rejects(openMcpWorld(spec, new AbortController().signal), (error: unknown) => error instanceof McpServerError && /did not start/.test(error.message) && /no config/.test(error.message));
  });
});
