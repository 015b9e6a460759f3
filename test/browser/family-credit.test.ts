import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { storeCredit } from '../../src/credit/annotations.ts';
import { computeCredit, type NodeCredit } from '../../src/credit/compute.ts';
import { forkRun } from '../../src/replay/fork.ts';
import { runRecipe } from '../../src/replay/run-recipe.ts';
import type { NodeRecord, RunRecipe } from '../../src/store/records.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/store.ts';
import { startViewServer, VIEWER_DIST, type ViewServer } from '../../src/view/server.ts';
import { REPO_ROOT } from '../cli/cli-process.ts';
import { tempStorePath } from '../store/temp-store-path.ts';
import { launchChromium } from './chromium.ts';

const OUTPUT = join(REPO_ROOT, 'test-output');
const recipe: RunRecipe = { env: 'strips', tasks: 'generate:blocksworld?count=1&blocks=5&length=8', strategy: 'bfs', strategyOptions: { width: 3 }, budget: {}, seed: 2, scorers: ['heuristic'], model: null };

let browser: Browser;
let page: Page;
let store: Store;
let server: ViewServer;
let origin: string;
let fork: string;
let taskId: string;
let forkAt: NodeRecord;
let credited: { id: string; credit: NodeCredit };
const pageErrors: string[] = [];

before(async () => {
  assert.ok(existsSync(join(VIEWER_DIST, 'index.html')), 'viewer/dist is missing: run `npm run build:viewer`');
  const path = tempStorePath();
  const writer = openSqliteStore(path);
  const recorded = await runRecipe(recipe, { store: writer });
  origin = recorded.runId;
  taskId = recorded.results[0].taskId;
  const tree = await writer.getTree(origin, taskId);
  forkAt = tree.nodes.find((n) => n.depth === 2 && n.duplicateOf === null && !n.terminal)!;
  fork = (await forkRun({ store: writer, nodeId: forkAt.id, changes: { strategy: 'dfs' } })).runId;
  const credit = computeCredit(tree);
  storeCredit(writer, origin, taskId, credit);
  // A node below the root with a Monte Carlo value and at least one success under it.
  const [id, value] = [...credit.nodes].find(([id, c]) => id !== tree.nodes[0].id && c.mcValue !== null && c.mcValue > 0)!;
  credited = { id, credit: value };
  await writer.close();
  store = openSqliteStore(path, { readonly: true });
  server = await startViewServer({ store, port: 0, distDir: VIEWER_DIST });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  mkdirSync(OUTPUT, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
});

test('the runs table marks a run with forks, and the fork’s origin; the run page shows the family', async () => {
  await page.goto(server.url);
  const originRow = page.locator(`tr[data-run="${origin}"]`);
  await originRow.waitFor();
  assert.match(await originRow.locator('.family-badge').innerText(), /1 fork$/);
  assert.match(await page.locator(`tr[data-run="${fork}"]`).innerText(), new RegExp(`fork of ${origin}`));

  await page.goto(`${server.url}#/run/${fork}`);
  const family = page.getByTestId('family');
  await family.waitFor();
  const rows = family.locator('tbody tr');
  assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-family-run'))), [origin, fork]);
  assert.match(await rows.nth(1).innerText(), new RegExp(`fork of ${origin}[\\s\\S]*${forkAt.id.replace('.', '\\.')}[\\s\\S]*dfs`));
  assert.equal(await rows.nth(1).getAttribute('class'), 'chosen', 'the run shown is marked');
});

test('one click compares a fork with its origin: figures side by side, and paths from the root with the fork point marked', async () => {
  await page.getByRole('link', { name: `compare with ${origin}` }).click();
  const figures = page.locator('.fork-compare > section.run-comparison table.compare-table');
  await figures.waitFor();
  assert.deepEqual(await figures.locator('thead th').evaluateAll((ths) => ths.map((th) => th.textContent)), ['', origin, fork]);
  assert.match(await figures.locator('tbody tr', { hasText: 'strategy' }).first().innerText(), /bfs\s+dfs/);
  const forkRow = page.locator('table.compare-paths tr.fork-point');
  await forkRow.waitFor();
  assert.equal(await forkRow.getAttribute('data-step'), String(forkAt.depth));
  assert.match(await forkRow.innerText(), /fork point/);
  assert.match(await page.getByTestId('divergence').innerText(), new RegExp(`Fork point: step ${forkAt.depth}`));
  // Path B (the fork) runs through the origin's own node at the fork point.
  assert.match(await forkRow.locator('td').nth(1).innerText(), new RegExp(forkAt.actionText!.replace(/[()]/g, '\\$&')));
  await page.screenshot({ path: join(OUTPUT, 'viewer-family.png') });
  assert.deepEqual(pageErrors, []);
});

test('after `stepwise credit`, the node panel shows the named credit values with their formulas, and the tree can be coloured by credit', async () => {
  await page.goto(`${server.url}#/tree/${origin}/${taskId}?node=${credited.id}`);
  const table = page.locator(`.node-panel[data-node="${credited.id}"] table.credit-table`);
  await table.waitFor();
  const mc = table.locator('tr[data-credit="Monte Carlo value"]');
  const successes = Math.round(credited.credit.mcValue! * credited.credit.mcLeaves);
  assert.equal(await mc.locator('td').innerText(), `${credited.credit.mcValue!.toFixed(3)} (${successes} of ${credited.credit.mcLeaves} leaves succeed)`);
  assert.match(await mc.locator('th').getAttribute('title') ?? '', /V\(n\) = /);
  const names = await table.locator('tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-credit')));
  assert.deepEqual(names, ['Monte Carlo value', 'advantage', 'process reward', 'Q', 'progress contribution', 'pivot']);
  const advantage = credited.credit.advantage;
  assert.equal(await table.locator('tr[data-credit="advantage"] td').innerText(), advantage === null ? '–' : `${advantage >= 0 ? '+' : ''}${advantage.toFixed(3)}`);
  assert.equal(await page.locator('.node-panel table.annotations').count(), 0, 'credit is not also shown as raw JSON');

  const colour = page.getByLabel('colour by');
  await colour.locator('option[value="credit"]').waitFor({ state: 'attached' });
  await colour.selectOption('credit');
  await page.locator('.tree-toolbar', { hasText: 'Monte Carlo value 0 → 1' }).waitFor();
  assert.deepEqual(pageErrors, []);
});

test('a page whose first answer arrives after the live stream’s first mark still shows it', async () => {
  const fresh = await browser.newPage();
  try {
    const events = fresh.waitForRequest((request) => request.url().endsWith('/api/events'));
    // Hold the runs list until the event stream is open and has had time to send its mark: the order that used to
    // leave a page on "Loading" for good.
    await fresh.route('**/api/runs', async (route) => {
      await events;
      await new Promise((resolve) => setTimeout(resolve, 500));
      await route.continue();
    });
    await fresh.goto(`${server.url}#/runs`);
    await fresh.locator(`tr[data-run="${origin}"]`).waitFor({ timeout: 10_000 });
  } finally {
    await fresh.close();
  }
});
