import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { renderEvalReport } from '../../src/eval/report-html.ts';
import { runEval } from '../../src/eval/runner.ts';
import { loadSuite } from '../../src/eval/suite.ts';
import { summarizeEval } from '../../src/eval/summary.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { VIEWER_DIST } from '../../src/view/server.ts';
import { serveEval } from '../eval/eval-view.ts';
import { launchChromium } from './chromium.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-eval-report-'));
let browser: Browser;
let reportPath: string;

before(async () => {
  browser = await launchChromium();
  if (NEEDS_SHARED_DATA) return;
  // The shipped example, cut to 2 tasks per set, with record text that must be escaped.
  const example = await loadSuite('examples/suites/planbench-24.yaml');
  const suite = {
    ...example,
    description: 'Compare <script>window.pwned = 1</script> & friends',
    tasks: example.tasks.map((set) => ({ ...set, limit: 2, keyNodes: { ...set.keyNodes, all: [...set.keyNodes.all, { type: 'include' as const, value: '<img src=x>', label: '<img src=x onerror="window.pwned=2">' }] } })),
  };
  const result = await runEval({ suite, evalId: 'report-test', store: createMemoryStore() });
  reportPath = join(dir, 'report.html');
  writeFileSync(reportPath, renderEvalReport(summarizeEval(suite, 'report-test', result.samples), { viewerUrl: 'http://127.0.0.1:4999' }));
});

after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the eval report in Chromium', { skip: NEEDS_SHARED_DATA }, () => {
  test('shows the configurations, intervals, charts, comparisons and the per-task grid, fetching nothing', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(reportPath).href);
    assert.deepEqual(requests, [pathToFileURL(reportPath).href], 'the page loads nothing but itself');

    assert.equal(await page.title(), 'Eval planbench-24 · stepwise');
    const headings = await page.locator('h2').allTextContents();
    for (const heading of ['Configurations', 'Success and key-node completion', 'Success against budget and cost', 'Paired comparisons', 'Where each configuration fails']) {
      assert.ok(headings.includes(heading), `heading ${heading} in ${headings.join(', ')}`);
    }
    const configRows = await page.locator('table').first().locator('tbody tr').allTextContents();
    assert.equal(configRows.length, 6);
    assert.match(configRows[4], /mcts-10\s*mcts\s*simulations=400 k=3/);
    // Every success rate comes with a 95% interval.
    const results = page.locator('table').nth(1).locator('tbody tr');
    assert.equal(await results.count(), 6);
    assert.match(await results.first().textContent() ?? '', /\d+%\s*\[\d+%–\d+%\]/);
    // Two charts (budget, cost), one point per configuration in each.
    assert.equal(await page.locator('svg.chart').count(), 2);
    assert.equal(await page.locator('svg.chart').first().locator('circle').count(), 6);
    // 15 pairs of 6 configurations; the test used is named.
    assert.equal(await page.locator('table').nth(2).locator('tbody tr').count(), 15);
    assert.match(await page.locator('p.note', { hasText: 'Test:' }).textContent() ?? '', /paired sign-flip permutation test/);
    // The grid: 4 tasks × 6 configurations, each cell linking into stepwise view at the run and task.
    const cells = page.locator('table.grid-table td.cell');
    assert.equal(await cells.count(), 24);
    const href = await cells.first().locator('a').getAttribute('href');
    assert.match(href ?? '', /^http:\/\/127\.0\.0\.1:4999\/#\/tree\/r[0-9a-z]+\/instance-1$/);
    assert.match(await cells.first().getAttribute('title') ?? '', /solved \d\/3 epochs, key nodes \d+\/\d+/);
  });

  test('record text is shown as text, never run as markup', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(reportPath).href);
    assert.equal(await page.evaluate(() => (globalThis as { pwned?: number }).pwned), undefined);
    assert.equal(await page.locator('script, img').count(), 0);
    assert.match(await page.locator('body').textContent() ?? '', /Compare <script>window\.pwned = 1<\/script> & friends/);
    const titles = await page.locator('td.cell').evaluateAll((tds) => tds.map((td) => td.getAttribute('title') ?? ''));
    assert.ok(titles.some((t) => t.includes('<img src=x onerror="window.pwned=2">')), 'the label survives escaping intact');
  });
});

describe('the Evals tab of stepwise view', () => {
  test('lists the eval; its report opens styled under the strict CSP and links back into the run trees', async () => {
    const served = await serveEval(VIEWER_DIST);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    try {
      await page.goto(`${served.server.url}#/evals`);
      const link = page.locator('section.evals a', { hasText: 'viewed-1' });
      await link.waitFor();
      assert.match(await page.locator('nav, header').first().textContent() ?? '', /Evals/);
      await link.click();
      await page.locator('h1', { hasText: 'Eval viewed' }).waitFor();
      // The hashed style applied (a blocked style would leave table headers unstyled).
      assert.equal(await page.locator('th').first().evaluate((th) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(th).backgroundColor), 'rgb(249, 250, 251)');
      assert.equal(await page.locator('svg.chart').count(), 2);
      await page.locator('table.grid-table td.cell a').first().click();
      await page.waitForURL(/#\/tree\/r[0-9a-z]+\/g24-0$/);
      await page.locator('h1', { hasText: 'g24-0' }).waitFor();
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
      await served.close();
    }
  });
});
