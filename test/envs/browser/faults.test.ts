import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { browserEnvironment } from '../../../src/envs/browser/env.ts';
import type { BrowserProblem } from '../../../src/envs/browser/problem.ts';
import type { BrowserState } from '../../../src/envs/browser/state.ts';
import { loadBrowserTasks } from '../../../src/envs/browser/tasks.ts';
import { enumerateProposer } from '../../../src/propose/enumerate.ts';
import { runSearch } from '../../../src/search/run.ts';
import { bfs } from '../../../src/search/strategies/index.ts';
import type { Strategy } from '../../../src/search/strategy.ts';
import { createMemoryStore } from '../../../src/store/memory.ts';

// Each problem here launches (and must close) its own Chromium: the point is that none is left behind.
const env = browserEnvironment({ loadTimeoutMs: 15_000, actionTimeoutMs: 8_000 });
const FOLDER = 'miniwob:test/fixtures/browser-miniwob/tasks';
const signal = new AbortController().signal;

/** Chromium processes this test process started (direct children), still running. */
function chromiumChildren(): number[] {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  } catch {
    return [];
  }
  return out.split('\n').map((line) => line.trim().split(/\s+/)).filter(([, comm]) => /chrom/i.test(comm ?? '')).map(([pid]) => Number(pid));
}

const idOf = (state: BrowserState, name: string) => state.elements.find((e) => e.name === name)!.id;

test("a folder of MiniWoB++-protocol pages with its own core loads, and search solves its task", async () => {
  const tasks = loadBrowserTasks(`${FOLDER}?pages=pick-color&seeds=1`);
  assert.equal(tasks[0].spec.page, '/tasks/pick-color.html', "the folder's parent is served, so ../core/core.js loads");
  const { results } = await runSearch({ env, tasks, proposer: enumerateProposer(), strategy: bfs(), store: createMemoryStore(), maxDepth: 2 });
  assert.equal(results[0].outcome, 'solved');
  assert.deepEqual(chromiumChildren(), []);
});

test('faults become invalid steps with their reason; the world stays usable; the browser restarts after a crash and is closed', async () => {
  const problem = env.load(loadBrowserTasks(`${FOLDER}?pages=faults`)[0]) as BrowserProblem;
  await problem.start({ signal, artifactsDir: null });
  try {
    const root = problem.initialState;
    const world = await problem.openWorld();
    const act = (text: string) => world.step(env.parseAction(text));

    const threw = await act(`click ${idOf(root, 'Break')}`);
    assert.equal(threw.check.valid, false);
    assert.match(threw.check.reason!, /the page threw: the page broke on purpose/);

    const away = await act(`click ${idOf(root, 'Away')}`);
    assert.match(away.check.reason!, /refused to leave the task server: the page tried to load http:\/\/example\.com\//);
    const gotoAway = await act('goto https://example.org/');
    assert.match(gotoAway.check.reason!, /refused to leave the task server: https:\/\/example\.org\/ is not on http:\/\/127\.0\.0\.1:\d+/);

    const stuck = await act(`click ${idOf(root, 'Never ready')}`);
    assert.match(stuck.check.reason!, /did not respond in time/);
    assert.equal(world.state.url, root.url, 'after each refused step the world is back where its state says');

    const vanished = await act(`click ${idOf(root, 'Vanish')}`);
    assert.equal(vanished.check.valid, true);
    const again = await act(`click ${idOf(root, 'Vanish')}`);
    assert.match(again.check.reason!, /element e\d+ is not on the page \(it vanished/);

    const done = await act(`click ${idOf(root, 'Done')}`);
    assert.equal(done.success, true, 'the task still works after all that');

    // Kill the browser under the problem: the world reports it gone; a new world gets a new browser.
    const [pid] = chromiumChildren();
    assert.ok(pid, 'the problem launched its own Chromium');
    process.kill(pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const crashed = await act(`click ${idOf(root, 'Done')}`);
    assert.equal(crashed.check.valid, false);
    assert.match(crashed.check.reason!, /browser/);
    const fresh = await problem.openWorld();
    const after = await fresh.step(env.parseAction(`click ${idOf(root, 'Done')}`));
    assert.equal(after.success, true, 'a fresh browser was launched for the new world');
  } finally {
    await problem.close();
  }
  assert.deepEqual(chromiumChildren(), [], 'no Chromium is left behind');
});

test('a task whose episode cannot start fails with the reason, the run goes on, and no Chromium is left', async () => {
  const tasks = loadBrowserTasks(`${FOLDER}?pages=broken-start,pick-color&seeds=2`);
  const store = createMemoryStore();
  const { results, runId } = await runSearch({ env, tasks, proposer: enumerateProposer(), strategy: bfs(), store, maxDepth: 2 });
  assert.equal(results[0].outcome, 'failed');
  assert.match(results[0].stopReason!, /the task could not start: .*this task is broken/);
  assert.equal(results[1].outcome, 'solved', 'the next task ran');
  assert.equal((await store.getTasks(runId)).length, 2);
  assert.deepEqual(chromiumChildren(), []);
});

test('the browser is closed when a strategy throws and when the run is interrupted', async () => {
  const tasks = loadBrowserTasks(`${FOLDER}?pages=pick-color&seeds=3`);
  const throwing: Strategy = {
    name: 'throws',
    config: {},
    async search(tree) {
      await tree.expandAll(tree.root);
      throw new Error('the strategy broke');
    },
  };
  await assert.rejects(runSearch({ env, tasks, proposer: enumerateProposer(), strategy: throwing, store: createMemoryStore() }), /the strategy broke/);
  assert.deepEqual(chromiumChildren(), []);
  const stop = new AbortController();
  const interrupted: Strategy = {
    name: 'interrupted',
    config: {},
    async search(tree) {
      await tree.expand(tree.root);
      stop.abort();
      tree.checkBudget();
    },
  };
  const run = await runSearch({ env, tasks, proposer: enumerateProposer(), strategy: interrupted, store: createMemoryStore(), signal: stop.signal });
  assert.equal(run.status, 'interrupted');
  assert.deepEqual(chromiumChildren(), []);
});
