import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../../src/envs/browser/chromium.ts';
import { browserEnvironment } from '../../../src/envs/browser/env.ts';
import type { BrowserState } from '../../../src/envs/browser/state.ts';
import { loadBrowserTasks } from '../../../src/envs/browser/tasks.ts';
import { createModelClient } from '../../../src/models/client.ts';
import { enumerateProposer } from '../../../src/propose/enumerate.ts';
import { llmProposer } from '../../../src/propose/llm.ts';
import { heuristicScorer } from '../../../src/score/heuristic.ts';
import { runSearch } from '../../../src/search/run.ts';
import { bfs, greedy } from '../../../src/search/strategies/index.ts';
import { createMemoryStore } from '../../../src/store/memory.ts';
import { startFakeOpenAIServer, type FakeChatRequest } from '../../../src/testing/fake-openai-server.ts';

// One Chromium for the whole file, shared by every problem (the environment never closes a browser it was given).
let browser: Browser;
let env: ReturnType<typeof browserEnvironment>;
const scratch = mkdtempSync(join(tmpdir(), 'stepwise-browser-'));
const signal = new AbortController().signal;

before(async () => {
  browser = await launchChromium();
  env = browserEnvironment({ browser, loadTimeoutMs: 20_000, actionTimeoutMs: 10_000 });
});
after(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const oneTask = (spec: string) => loadBrowserTasks(spec)[0];

test('a world of the shop: each step acts on the page, key nodes are checked on every step, screenshots are files', async () => {
  const problem = env.load(oneTask('builtin:shop?seeds=3'));
  const artifactsDir = join(scratch, 'runs.db.artifacts');
  await problem.start({ signal, artifactsDir });
  try {
    const [, product, buyer] = /Buy the "(.+)" and check out as "(.+)"\./.exec(problem.goalText) ?? [];
    assert.ok(product && buyer, `an instruction drawn from the seed: ${problem.goalText}`);
    assert.equal(problem.keyNodes.length, 4, 'the page declares its WebCanvas key nodes');
    const world = await problem.openWorld();
    const id = (state: BrowserState, name: string) => state.elements.find((e) => e.name === name)!.id;
    const go = async (text: string) => {
      const transition = await world.step(env.parseAction(text));
      assert.equal(transition.check.valid, true, `${text}: ${transition.check.reason}`);
      return transition;
    };
    await go(`fill ${id(world.state, 'Search')} "${product}"`);
    let t = await go(`click ${world.state.elements.find((e) => e.role === 'button')!.id}`);
    assert.match(t.state.url, /^\/shop\/results\.html\?q=/);
    assert.deepEqual(t.state.keyNodes, [1, 0, 0, 0], 'the search URL met the first key node');
    t = await go(`click ${id(world.state, product)}`);
    t = await go(`click ${id(world.state, 'Add to cart')}`);
    assert.match(t.state.text, new RegExp(product));
    t = await go(`click ${id(world.state, 'Checkout')}`);
    t = await go(`fill ${id(world.state, 'Name')} "${buyer}"`);
    assert.deepEqual(t.state.keyNodes, [1, 1, 1, 1]);
    assert.equal(problem.heuristic!(t.state), 0.9);
    t = await go(`click ${id(world.state, 'Place order')}`);
    assert.equal(t.success, true);
    assert.equal(t.done, true);
    assert.equal(t.reward, 1);
    assert.ok(t.state.screenshot && existsSync(join(artifactsDir, t.state.screenshot)), 'the screenshot is a file beside the store');
    assert.equal(t.state.history.length, 7);
    await world.close();
    await world.close();
  } finally {
    await problem.close();
  }
});

test('a branch gets its own world by re-executing its prefix from the seed (snapshot/restore in a reused tab, or a fresh world)', async () => {
  const problem = env.load(oneTask('builtin:login-form?seeds=2'));
  await problem.start({ signal, artifactsDir: null });
  try {
    const first = await problem.openWorld();
    const [fillUser] = await problem.legalActions!(first.state);
    const a = await first.step(fillUser);
    const atA = await first.snapshot!();
    const pick = (await problem.legalActions!(a.state)).find((action) => 'type' in action && action.type === 'select')!;
    const b = await first.step(pick);
    assert.equal(b.check.valid, true);
    assert.equal(first.state.history.length, 2);
    // Back to a in the same tab, then on to b again: the same page, and the key node met at a is still met.
    await first.restore!(atA);
    assert.equal(problem.stateKey(first.state), problem.stateKey(a.state));
    const bAgain = await first.step(pick);
    assert.equal(problem.stateKey(bAgain.state), problem.stateKey(b.state));
    assert.equal(bAgain.observation, b.observation);
    // A fresh world re-executing the prefix lands on the same page too.
    const second = await problem.openWorld();
    assert.equal(await second.replay([fillUser, pick]), true);
    assert.equal(problem.stateKey(second.state), problem.stateKey(b.state));
    await Promise.all([first.close(), second.close()]);
    assert.throws(() => problem.step(problem.initialState, pick), /runs only in a world/);
  } finally {
    await problem.close();
  }
});

test('search with the enumerator solves the click, typing and shop tasks, and enumerates a form\'s select', async () => {
  const store = createMemoryStore();
  const tasks = loadBrowserTasks('builtin:click-button,enter-text,shop?seeds=1');
  const { results } = await runSearch({ env, tasks, proposer: enumerateProposer(), scorers: [heuristicScorer()], strategy: bfs({ width: 1 }), store, maxDepth: 8, budget: { expansions: 30 } });
  assert.deepEqual(results.map((r) => [r.taskId, r.outcome]), tasks.map((t) => [t.id, 'solved']));
  const shop = results.find((r) => r.taskId === 'shop-s1')!;
  // search, open the product, add it, check out, name, place: 7 steps, or 8 with one detour on a tie of the heuristic.
  assert.ok(shop.plan!.length <= 8 && shop.plan!.at(-1) === 'click e1', shop.plan!.join(' · '));
  // The login form takes ~40 steps of search; its first expansion is enough to see the select enumerated.
  const form = await runSearch({ env, tasks: loadBrowserTasks('builtin:login-form?seeds=1'), proposer: enumerateProposer(), strategy: bfs({ width: 1 }), store, maxDepth: 1, budget: { expansions: 1 } });
  const tree = await store.getTree(form.runId, 'login-form-s1');
  assert.ok(tree.candidates.some((c) => c.text.startsWith('select ')), "the form's select was enumerated");
});

test('a hybrid agent calls the page tool, then fills and submits what it returned (scripted model)', async () => {
  const script = (body: FakeChatRequest) => {
    const prompt = String(body.messages?.at(-1)?.content ?? '');
    const result = /Last tool result: (\{.*\})/.exec(prompt);
    if (!result) return `call find_order {"customer": "${/customer "(\w+)"/.exec(prompt)![1]}"}`;
    const order = (JSON.parse(result[1]) as { order: string }).order;
    return prompt.includes(`value="${order}"`) ? 'click e1' : `fill e0 "${order}"`;
  };
  const server = await startFakeOpenAIServer({ script });
  const store = createMemoryStore();
  try {
    const client = createModelClient({ spec: `openai-compatible:${server.url}#scripted-web-agent`, store, env: { STEPWISE_API_KEY: 'test' } });
    const tasks = loadBrowserTasks('builtin:order-lookup?seeds=4');
    const { results, runId } = await runSearch({ env, tasks, proposer: llmProposer({ client, k: 1 }), strategy: greedy(), store, maxDepth: 5 });
    assert.equal(results[0].outcome, 'solved', JSON.stringify(results[0]));
    assert.match(results[0].plan![0], /^call find_order \{"customer":"\w+"\}$/);
    assert.match(results[0].plan![1], /^fill e0 "\d{4}"$/);
    assert.equal(results[0].plan![2], 'click e1');
    const tree = await store.getTree(runId, tasks[0].id);
    const toolNode = tree.nodes.find((n) => n.actionText?.startsWith('call '))!;
    assert.match(toolNode.observation, /find_order returned \{"customer":"\w+","order":"\d{4}"\}/);
    // The enumerator alone cannot: the order number is in no instruction and on no page.
    const alone = await runSearch({ env, tasks, proposer: enumerateProposer(), strategy: bfs(), store: createMemoryStore(), maxDepth: 3 });
    assert.notEqual(alone.results[0].outcome, 'solved');
  } finally {
    await server.close();
  }
});
