import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserEnvironment } from '../../src/envs/browser/env.ts';
import { loadBrowserTasks } from '../../src/envs/browser/tasks.ts';
import { enumerateProposer } from '../../src/propose/enumerate.ts';
import { runSearch } from '../../src/search/run.ts';
import { bfs } from '../../src/search/strategies/index.ts';
import { artifactsDirOf } from '../../src/store/artifacts.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { startViewServer, VIEWER_DIST } from '../../src/view/server.ts';
import { launchChromium } from './chromium.ts';

// One Chromium drives both the web tasks and the viewer that shows their run.
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), 'stepwise-web-run-'));

before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("the viewer shows a web run's steps with their screenshots", async () => {
  assert.ok(existsSync(join(VIEWER_DIST, 'index.html')), 'viewer/dist is missing: run `npm run build:viewer` (npm install does it)');
  const path = join(dir, 'runs.db');
  const writer = openSqliteStore(path);
  const env = browserEnvironment({ browser, loadTimeoutMs: 20_000, actionTimeoutMs: 10_000 });
  const tasks = loadBrowserTasks('builtin:click-button?seeds=5');
  const { runId, results } = await runSearch({ env, tasks, proposer: enumerateProposer(), strategy: bfs(), store: writer, maxDepth: 1 });
  await writer.close();
  assert.equal(results[0].outcome, 'solved');

  const store = openSqliteStore(path, { readonly: true });
  const server = await startViewServer({ store, port: 0, environments: [env] });
  try {
    const tree = await store.getTree(runId, tasks[0].id);
    const solution = tree.nodes.find((n) => n.id === results[0].solutionNodeId)!;
    const shot = (solution.state as { screenshot?: string }).screenshot;
    assert.ok(shot && existsSync(join(artifactsDirOf(path)!, shot)), 'the node records the path of a file beside the store');

    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    await page.goto(`${server.url}#/tree/${encodeURIComponent(runId)}/${encodeURIComponent(tasks[0].id)}?node=${encodeURIComponent(solution.id)}`);
    const panel = page.locator(`.node-panel[data-node="${solution.id}"]`);
    await panel.waitFor();
    assert.match(await panel.locator('h2').innerText(), /^click e\d+/);
    const image = panel.locator('img.screenshot');
    await image.waitFor();
    // The image really loaded from the store's artefact folder: the browser decoded a picture of the task page.
    await page.waitForFunction((el) => (el as { complete: boolean; naturalWidth: number }).complete && (el as { naturalWidth: number }).naturalWidth > 0, await image.elementHandle());
    assert.equal(await image.evaluate((el) => (el as { naturalWidth: number }).naturalWidth), 400);
    assert.match(await panel.locator('pre.observation').innerText(), /episode over, reward 1/);
    // Artefacts are confined to their folder.
    const escape = await page.request.get(`${server.url}artifacts/..%2F..%2Fetc%2Fpasswd.png`);
    assert.equal(escape.status(), 404);
    await page.close();
  } finally {
    await server.close();
    await store.close();
  }
});
