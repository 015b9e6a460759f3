// Benchmark: the browser environment's costs. (1) Steps per second with 1, 2 and 4 worlds stepping at once (one
// Chromium, one context per world). (2) The cost of giving a branch its own world by re-executing its action prefix,
// against the prefix's depth: in a reused tab (reset to the start, then replay) and in a fresh context.
// Run: npm run bench:browser  (or node bench/browser-branch.ts --help)
import { parseArgs } from 'node:util';
import { browserEnvironment } from '../src/envs/browser/env.ts';
import { launchChromium } from '../src/envs/browser/chromium.ts';
import type { BrowserWorld } from '../src/envs/browser/world.ts';
import type { BrowserAction } from '../src/envs/browser/action.ts';
import { loadBrowserTasks } from '../src/envs/browser/tasks.ts';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '24' },
    repeats: { type: 'string', default: '3' },
    screenshots: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(`Usage: node bench/browser-branch.ts [--steps 24] [--repeats 3] [--screenshots]
(1) browser steps per second with 1, 2 and 4 worlds at once (--steps per world, on the enter-text page);
(2) ms to give a branch its own world at prefix depth 0…7 of the shop's solution, by reset + re-execution in a
reused tab and by a fresh context + re-execution (--repeats per depth). --screenshots keeps a PNG per step in (1).
Example: node bench/browser-branch.ts --steps 40 --repeats 5`);
  process.exit(0);
}
const stepsPerWorld = Number(values.steps);
const repeats = Number(values.repeats);
const signal = new AbortController().signal;
const browser = await launchChromium();
const env = browserEnvironment({ browser, loadTimeoutMs: 30_000, actionTimeoutMs: 20_000 });
const ms = (from: number) => performance.now() - from;

try {
  // (1) Throughput: each world alternates two fills and a click on one page; N worlds step at once.
  const typing = env.load(loadBrowserTasks('builtin:enter-text?seeds=1')[0]);
  await typing.start({ signal, artifactsDir: values.screenshots ? `${process.env.TMPDIR ?? '/tmp'}/stepwise-bench-browser.artifacts` : null });
  const field = typing.initialState.elements.find((e) => e.role === 'textbox')!.id;
  const cycle: BrowserAction[] = [{ type: 'fill', id: field, text: 'lantern' }, { type: 'fill', id: field, text: 'harbor' }, { type: 'hover', id: field }];
  console.log(`browser steps per second (${stepsPerWorld} steps per world, ${values.screenshots ? 'with' : 'without'} screenshots; load ${(await import('node:os')).loadavg()[0].toFixed(1)})`);
  console.log('worlds  steps  wall ms  steps/s  speed-up');
  let single = 0;
  for (const count of [1, 2, 4]) {
    const worlds = await Promise.all(Array.from({ length: count }, () => typing.openWorld()));
    const started = performance.now();
    await Promise.all(worlds.map(async (world) => {
      for (let i = 0; i < stepsPerWorld; i++) {
        const result = await world.step(cycle[i % cycle.length]);
        if (!result.check.valid) throw new Error(`step refused: ${result.check.reason}`);
      }
    }));
    const wall = ms(started);
    const rate = (count * stepsPerWorld * 1000) / wall;
    single ||= rate;
    console.log(`${String(count).padStart(6)}  ${String(count * stepsPerWorld).padStart(5)}  ${wall.toFixed(0).padStart(7)}  ${rate.toFixed(1).padStart(7)}  ${(rate / single).toFixed(2).padStart(8)}`);
    await Promise.all(worlds.map((world) => world.close()));
  }
  await typing.close();

  // (2) Branch cost against prefix depth, on the shop's 7-step solution.
  const shop = env.load(loadBrowserTasks('builtin:shop?seeds=3')[0]);
  await shop.start({ signal, artifactsDir: null });
  const solver = await shop.openWorld();
  const [, product, buyer] = /Buy the "(.+)" and check out as "(.+)"/.exec(shop.goalText)!;
  const named = (name: string) => solver.state.elements.find((e) => e.name === name)!.id;
  const plan: (() => BrowserAction)[] = [
    () => ({ type: 'fill', id: named('Search'), text: product }),
    () => ({ type: 'click', id: solver.state.elements.find((e) => e.role === 'button')!.id }),
    () => ({ type: 'click', id: named(product) }),
    () => ({ type: 'click', id: named('Add to cart') }),
    () => ({ type: 'click', id: named('Checkout') }),
    () => ({ type: 'fill', id: named('Name'), text: buyer }),
    () => ({ type: 'click', id: named('Place order') }),
  ];
  const prefix: BrowserAction[] = [];
  for (const next of plan) {
    const action = next();
    const result = await solver.step(action);
    if (!result.check.valid) throw new Error(`the shop's plan failed at ${JSON.stringify(action)}: ${result.check.reason}`);
    prefix.push(action);
  }
  await solver.close();
  console.log(`\nbranch cost: a world positioned at depth d of the shop's solution (mean of ${repeats})`);
  console.log('depth  reused tab ms  per step ms  fresh context ms  per step ms   (per step: above depth 0, over the depth)');
  const reused: BrowserWorld = await shop.openWorld();
  // Per re-executed step: the time above depth 0 (the reset or the new context), divided by the depth.
  let base = { tab: 0, fresh: 0 };
  for (let depth = 0; depth <= prefix.length; depth++) {
    let tab = 0;
    let fresh = 0;
    for (let r = 0; r < repeats; r++) {
      let started = performance.now();
      if (!(await reused.moveTo(prefix.slice(0, depth)))) throw new Error(`re-execution diverged at depth ${depth}`);
      tab += ms(started);
      started = performance.now();
      const world = await shop.openWorld();
      if (!(await world.replay(prefix.slice(0, depth)))) throw new Error(`re-execution diverged at depth ${depth}`);
      fresh += ms(started);
      await world.close();
    }
    tab /= repeats;
    fresh /= repeats;
    if (depth === 0) base = { tab, fresh };
    const per = (total: number, start: number) => (depth === 0 ? '–' : ((total - start) / depth).toFixed(0));
    console.log(`${String(depth).padStart(5)}  ${tab.toFixed(0).padStart(12)}  ${per(tab, base.tab).padStart(11)}  ${fresh.toFixed(0).padStart(16)}  ${per(fresh, base.fresh).padStart(11)}`);
  }
  await reused.close();
  await shop.close();
} finally {
  await browser.close();
}
