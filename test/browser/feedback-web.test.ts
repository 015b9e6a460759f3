import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadReportTasks, reportEnvironment, reportProposer } from '../../src/envs/report/index.ts';
import { startWebFeedbackSession } from '../../src/feedback/web-session.ts';
import { openStore } from '../../src/store/index.ts';
import { runCli, tempDir } from '../cli/cli-process.ts';
import { launchChromium } from './chromium.ts';
import { VIEWER_DIST } from '../../src/view/server.ts';
import { existsSync } from 'node:fs';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

const TASKS = '../shared/data/papers/intermediate-actions.jsonl#which intermediate actions do users want?';

test('in the viewer\'s feedback page: open a report, select two proposed actions, execute, judge both; the records appear in the export', { skip: NEEDS_SHARED_DATA }, async () => {
  assert.ok(existsSync(join(VIEWER_DIST, 'index.html')), 'viewer/dist is missing: run `npm run build:viewer` (npm install does it)');
  const db = join(tempDir(), 'feedback.db');
  const store = openStore(db);
  const session = await startWebFeedbackSession({
    env: reportEnvironment(),
    tasks: loadReportTasks(TASKS),
    proposer: reportProposer(),
    userId: 'web-ana',
    study: 'browser',
    k: 4,
    maxTurns: 1,
    store,
  });
  const browser = await launchChromium();
  let runId = '';
  try {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(session.url);
    await page.getByTestId('report').waitFor();
    assert.match(await page.getByTestId('report').textContent() ?? '', /## Overview/);
    const firstText = await page.locator('li:has([data-testid=pick-1]) .text').textContent();
    const thirdText = await page.locator('li:has([data-testid=pick-3]) .text').textContent();
    await page.getByTestId('pick-1').check();
    await page.getByTestId('pick-3').check();
    await page.getByTestId('execute').click();

    await page.getByTestId('judged-action').filter({ hasText: firstText! }).waitFor();
    await page.getByTestId('verdict-applied').check();
    await page.getByTestId('submit-judgment').click();
    await page.getByTestId('judged-action').filter({ hasText: thirdText! }).waitFor();
    await page.getByTestId('verdict-partly').check();
    await page.getByTestId('comment').fill('<b>only</b> half of it');
    await page.getByTestId('submit-judgment').click();
    await page.getByTestId('done').waitFor();
    runId = (await session.finished).runId;
    // The session is a recorded run like any other: its tree opens in the viewer, the judgments on its nodes.
    await page.getByRole('link', { name: 'Open the tree of q1' }).click();
    await page.waitForURL(new RegExp(`#/tree/${runId}/q1`));
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser.close();
    await session.server.close();
    await store.close();
  }

  const exported = await runCli(['export', runId, '--format', 'feedback', '--db', db]);
  assert.equal(exported.code, 0, exported.stderr);
  const records = exported.stdout.trim().split('\n').map((line) => JSON.parse(line));
  const picked = records.filter((r) => r.type === 'preference' && r.picked);
  assert.deepEqual(picked.map((r) => r.position), [1, 3]);
  assert.ok(picked.every((r) => r.userId === 'web-ana'));
  const judgments = records.filter((r) => r.type === 'judgment');
  const stats = records.at(-1);
  assert.equal(stats.type, 'stats');
  assert.deepEqual([stats.overall.picked, stats.overall.judged, stats.overall.applied, stats.overall.partly], [2, 2, 1, 1]);
  assert.deepEqual(judgments.map((j) => [j.actionText, j.verdict, j.comment]), [
    [picked[0].text, 'applied', null],
    [picked[1].text, 'partly', '<b>only</b> half of it'],
  ]);
});
