import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, ConsoleMessage, Page, Request, Response } from 'playwright-core';
import { EVAL_API_ROUTES, EVAL_PAGES } from '../../src/eval/view-routes.ts';
import { startViewServer, VIEWER_DIST } from '../../src/view/server.ts';
import { REPO_ROOT } from '../cli/cli-process.ts';
import { hostileEnvironment, IMG_OBSERVATION, REPLY_WITH_MARKUP, SCRIPT_ACTION } from '../view/hostile-run.ts';
import { serveHostileRun, type ServedStore } from '../view/view-server-kit.ts';
import { launchChromium } from './chromium.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { sampleRun } from '../../src/testing/store-suite/sample-run.ts';
import { appendAll } from '../../src/testing/store-suite/with-store.ts';
import { forkRun } from '../../src/replay/fork.ts';
import { recordSmallEval } from '../eval/eval-view.ts';

/** Screenshots of the test run go here (gitignored). */
const OUTPUT = join(REPO_ROOT, 'test-output');

let browser: Browser;
let page: Page;
let served: ServedStore;
const dialogs: string[] = [];
const pageErrors: string[] = [];

before(async () => {
  assert.ok(existsSync(join(VIEWER_DIST, 'index.html')), 'viewer/dist is missing: run `npm run build:viewer` (npm install does it)');
  served = await serveHostileRun(VIEWER_DIST);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  mkdirSync(OUTPUT, { recursive: true });
});

after(async () => {
  await browser?.close();
  await served?.close();
});

/** Nothing from a record ran: no alert, no flag set by an onerror handler, no element built from record markup. */
async function assertNothingExecuted(): Promise<void> {
  assert.deepEqual(dialogs, []);
  assert.equal(await page.evaluate(() => (globalThis as { stepwiseXss?: number }).stepwiseXss), undefined);
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(await page.locator('main script, main b').count(), 0);
}

test('the runs table lists the run, sorts and filters; the run page lists its task', async () => {
  await page.goto(served.server.url);
  const row = page.locator(`tr[data-run="${served.run.runId}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /hostile-web\s+bfs/);
  assert.match(await row.innerText(), /100% \(1\/1\)/);
  await page.getByRole('columnheader', { name: /^tokens/ }).click();
  assert.equal(await page.getByRole('columnheader', { name: /^tokens/ }).getAttribute('aria-sort'), 'descending');
  await page.getByLabel('filter runs').fill('no-such-env');
  assert.equal(await page.locator('tbody tr[data-run]').count(), 0);
  await page.getByLabel('filter runs').fill('hostile');
  await row.waitFor();
  await page.screenshot({ path: join(OUTPUT, 'viewer-runs.png') });
  await row.getByRole('link', { name: served.run.runId }).click();
  await page.locator(`tr[data-task="${served.run.taskId}"]`).waitFor();
});

test('a run recorded while the page is open appears without a reload', async () => {
  await page.goto(`${served.server.url}#/runs`);
  await page.locator(`tr[data-run="${served.run.runId}"]`).waitFor();
  const writer = openSqliteStore(served.path);
  try {
    appendAll(writer, sampleRun('run-live', { startedAt: '2030-01-01T00:00:00.000Z' }));
    await writer.flush();
    await page.locator('tr[data-run="run-live"]').waitFor();
    assert.equal(await page.locator('tbody tr[data-run]').first().getAttribute('data-run'), 'run-live', 'newest first');
  } finally {
    await writer.close();
  }
  await page.goto(`${served.server.url}#/run/${served.run.runId}`);
});

test('a tree opens on a canvas; the keyboard moves to a node and Enter shows its candidates with scores and guard decisions', async () => {
  await page.locator(`tr[data-task="${served.run.taskId}"] a`).click();
  const canvas = page.locator('canvas.tree-canvas');
  await canvas.waitFor();
  // 6 nodes and 1 denied candidate, all open (the first look has the nodes; the whole tree follows).
  await page.locator('canvas.tree-canvas[data-rows="7"]').waitFor();
  await canvas.focus();
  await page.keyboard.press('ArrowRight'); // root → its first child, the <script> link
  await page.getByTestId('tree-selected').filter({ hasText: SCRIPT_ACTION }).waitFor();
  await page.keyboard.press('ArrowLeft'); // back to the root
  await page.getByTestId('tree-selected').filter({ hasText: 'root' }).waitFor();
  await page.keyboard.press('Enter');
  const panel = page.locator('.node-panel');
  await panel.waitFor();
  const candidates = panel.locator('table.candidates tbody tr');
  assert.equal(await candidates.count(), 3);
  assert.match(await panel.locator('table.candidates thead').innerText(), /heuristic/);
  assert.match(await candidates.nth(2).innerText(), /denied by guard no-deletes: destructive <command> refused/);
  assert.match(await panel.locator('pre.state').innerText(), /^<html><body>page home<\/body><\/html>$/);

  const call = panel.locator('details.model-call');
  await call.locator('summary').click();
  assert.match(await call.innerText(), /50 in \/ 12 out tokens/);
  assert.equal(await call.locator('.role-reply pre').innerText(), REPLY_WITH_MARKUP);
  await call.getByRole('button', { name: 'show raw record' }).click();
  assert.match(await call.locator('pre.raw').innerText(), /"requestHash": "hash-1"/);
  await assertNothingExecuted();
});

test('a node whose action and observation hold <script> and <img onerror> shows them as text, and nothing runs', async () => {
  await page.locator('canvas.tree-canvas').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  const panel = page.locator(`.node-panel[data-node="${served.run.scriptNodeId}"]`);
  await panel.waitFor();
  assert.equal(await panel.locator('h2').evaluate((h) => h.firstChild?.textContent?.trim()), SCRIPT_ACTION);
  assert.equal(await panel.locator('pre.observation').innerText(), IMG_OBSERVATION);
  assert.match(await panel.locator('table.annotations').innerText(), /credit[\s\S]*onerror/);
  await page.screenshot({ path: join(OUTPUT, 'viewer-node.png') });
  await assertNothingExecuted();
});

test('two nodes set as paths A and B compare side by side with the first divergence marked', async () => {
  const { runId, taskId, solutionNodeId } = served.run;
  await page.goto(`${served.server.url}#/tree/${runId}/${taskId}?node=${solutionNodeId}`);
  const panel = page.locator(`.node-panel[data-node="${solutionNodeId}"]`);
  await panel.waitFor();
  await panel.getByRole('button', { name: 'set as path A' }).click();
  // The root's second child ("open settings"): a different branch from step 1 on.
  const canvas = page.locator('canvas.tree-canvas');
  await canvas.focus();
  // ↓ moves to the next visible row: from the root into its first child; once that family is folded, to its sibling.
  for (const key of ['ArrowLeft', 'ArrowLeft', 'ArrowDown']) await page.keyboard.press(key);
  await page.getByTestId('tree-selected').filter({ hasText: SCRIPT_ACTION }).waitFor();
  await page.keyboard.press('ArrowDown');
  await page.getByTestId('tree-selected').filter({ hasText: 'depth 2' }).waitFor(); // the open family's first child comes before the sibling
  await page.keyboard.press('ArrowUp');
  await page.getByTestId('tree-selected').filter({ hasText: SCRIPT_ACTION }).waitFor();
  for (const key of [' ', 'ArrowDown']) await page.keyboard.press(key);
  await page.getByTestId('tree-selected').filter({ hasText: 'open settings' }).waitFor();
  await page.keyboard.press('Enter');
  const other = page.locator('.node-panel').filter({ hasText: 'open settings' });
  await other.waitFor();
  await other.getByRole('button', { name: 'set as path B' }).click();
  await other.getByRole('button', { name: /^compare / }).click();
  await page.getByTestId('divergence').filter({ hasText: 'They diverge at step 1' }).waitFor();
  assert.equal(await page.locator('tr.diverge').getAttribute('data-step'), '1');
  assert.match(await page.locator('tr[data-step="1"]').innerText(), new RegExp(`${SCRIPT_ACTION.replace(/[()]/g, '\\$&')}[\\s\\S]*open settings`));
  await page.screenshot({ path: join(OUTPUT, 'viewer-compare.png') });
  await assertNothingExecuted();
  assert.deepEqual(pageErrors, []);
});

// Issue 17: the event stream stays open, so "network idle" never comes; the root's data-ready says the page has its data.
// And "one resource 404s on the evals page": every page, served as `stepwise view` serves it and as a server without the
// eval routes does (`stepwise feedback --web`), over a store with an eval and a fork, asks for nothing the server lacks.
test('every page raises data-ready once its data is in, so a plain headless screenshot works, and asks for nothing missing', async () => {
  // The store gains an eval and a fork of one of its runs (the earlier tests have read it as it was).
  const writer = openSqliteStore(served.path);
  let evalId: string, forkId: string, evalRun: { id: string; taskId: string; nodeId: string };
  try {
    evalId = await recordSmallEval(writer, 'viewed-1', 1);
    const summary = (await writer.listRuns()).find((r) => r.run.tags?.eval === evalId)!;
    const taskId = summary.results[0].taskId;
    const node = (await writer.getTree(summary.run.id, taskId)).nodes.find((n) => n.depth === 1 && !n.terminal)!;
    evalRun = { id: summary.run.id, taskId, nodeId: node.id };
    forkId = (await forkRun({ store: writer, nodeId: node.id, changes: { strategy: 'dfs' } })).runId;
  } finally {
    await writer.close();
  }
  await page.goto('about:blank'); // what the earlier tests left loading is no concern here
  const problems: string[] = [];
  let at = '';
  const onResponse = (response: Response) => void (response.status() >= 400 && problems.push(`${at}: ${response.status()} ${response.url()}`));
  // Leaving a page ends its event stream: the one request a navigation may abort.
  const onFailed = (request: Request) => void (!request.url().endsWith('/api/events') && problems.push(`${at}: failed ${request.url()} ${request.failure()?.errorText}`));
  const onConsole = (message: ConsoleMessage) => void (message.type() === 'error' && problems.push(`${at}: console ${message.text()}`));
  page.on('response', onResponse);
  page.on('requestfailed', onFailed);
  page.on('console', onConsole);
  const server = await startViewServer({ store: served.store, port: 0, distDir: VIEWER_DIST, environments: [hostileEnvironment], routes: EVAL_API_ROUTES, pages: EVAL_PAGES });
  after(() => server.close());
  /** Opens a page afresh (a hash change alone would keep the last page's data-ready) and waits until it says it is ready. */
  const open = async (base: string, hash: string) => {
    at = `${base === server.url ? '' : 'without evals '}${hash}`;
    await page.goto('about:blank');
    await page.goto(`${base}${hash}`);
    await page.locator('#app[data-ready="true"]').waitFor({ timeout: 10_000 });
    assert.ok((await page.locator('main').innerText()).trim().length > 0, `${at} drew something`);
  };
  const { runId, taskId, solutionNodeId } = served.run;
  for (const [i, hash] of [
    '#/runs', `#/run/${runId}`, `#/tree/${runId}/${taskId}?node=${solutionNodeId}`, '#/charts', '#/compare',
    `#/compare?runA=${runId}&nodeA=${solutionNodeId}&runB=${evalRun.id}&nodeB=${evalRun.nodeId}`,
    `#/run/${forkId}`, `#/fork/${forkId}`, `#/tree/${forkId}/${evalRun.taskId}`, '#/approvals', '#/feedback', '#/evals',
  ].entries()) {
    await open(server.url, hash);
    await page.screenshot({ path: join(OUTPUT, `viewer-ready-${i}-${hash.split(/[/?]/)[1]}.png`) });
  }
  // The evals page (open last) lists the eval; its link opens the report, served beside the app, whose links lead back into it.
  at = `/evals/${evalId}`;
  await page.getByRole('link', { name: evalId }).click();
  await page.waitForURL(`${server.url}evals/${evalId}`);
  assert.match(await page.title(), /^Eval viewed/);
  await page.locator('table.grid-table td.cell a').first().click();
  await page.locator('#app[data-ready="true"]').waitFor({ timeout: 10_000 });
  assert.match(page.url(), /#\/tree\//);
  // A viewer without the eval routes (as `stepwise feedback --web` serves it) neither shows the Evals tab nor asks for evals.
  await open(served.server.url, '#/runs');
  assert.equal(await page.locator('header nav a', { hasText: 'Evals' }).count(), 0);
  await open(served.server.url, '#/evals');
  assert.match(await page.locator('main').innerText(), /stepwise view/);
  page.off('response', onResponse);
  page.off('requestfailed', onFailed);
  page.off('console', onConsole);
  assert.deepEqual(problems, []);
  assert.deepEqual(pageErrors, []);
});
