import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Guard } from '../../src/core/step.ts';
import { approvalRoutes } from '../../src/guards/approval-routes.ts';
import { approvalsOf } from '../../src/guards/approvals.ts';
import { runRecipe } from '../../src/recipe/run-recipe.ts';
import { planResume, resumeRun } from '../../src/replay/resume.ts';
import { openStore } from '../../src/store/index.ts';
import { graphEnvironment, graphTask } from '../../src/testing/graph-env.ts';
import { startViewServer, VIEWER_DIST } from '../../src/view/server.ts';
import { tempDir } from '../cli/cli-process.ts';
import { launchChromium } from './chromium.ts';

// Every first move needs a person: both branches out of s are held, and the task pauses.
const askFirst: Guard = { name: 'ask-first', check: (ctx) => (ctx.depth === 0 ? { decision: 'ask', reason: 'the first move is yours' } : { decision: 'allow' }) };
const tasks = [graphTask('walk', { start: 's', goal: 'g', edges: { s: ['a', 'b'], a: ['g'], b: ['g'] } })];

test('in the viewer\'s approval page: two held branches decided in one sitting (approve one, reject one with a reason); resume takes the approved one', async () => {
  assert.ok(existsSync(join(VIEWER_DIST, 'index.html')), 'viewer/dist is missing: run `npm run build:viewer` (npm install does it)');
  const store = openStore(join(tempDir(), 'approvals.db'));
  const recipe = { env: 'graph', tasks: 'walk', strategy: 'greedy', strategyOptions: {}, budget: {}, seed: 1, scorers: ['none'], model: null };
  const paused = await runRecipe(recipe, { store, environment: graphEnvironment, tasks, guards: [askFirst] });
  assert.equal(paused.status, 'paused');
  const server = await startViewServer({ store, port: 0, environments: [graphEnvironment], ...approvalRoutes({ by: 'page' }) });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${server.url}#/approvals`);
    await page.getByTestId('pending-count').filter({ hasText: '2 pending' }).waitFor();
    const held = await approvalsOf(store, paused.runId);
    const goA = page.getByTestId(`held-${held.find((h) => h.actionText === 'go a')!.candidateId}`);
    const goB = page.getByTestId(`held-${held.find((h) => h.actionText === 'go b')!.candidateId}`);
    assert.match((await goA.textContent()) ?? '', /held by ask-first: the first move is yours/);
    await page.getByTestId('by').fill('ana');
    await goB.getByRole('button', { name: 'Reject' }).click();
    await goB.getByText('A rejection needs a reason.').waitFor();
    await goB.getByPlaceholder('Reason (needed to reject)').fill('b is a detour');
    await goB.getByRole('button', { name: 'Reject' }).click();
    await goA.getByRole('button', { name: 'Approve' }).click();
    await page.getByTestId('pending-count').filter({ hasText: '0 pending' }).waitFor();
    assert.equal(await goB.getByTestId('decision').textContent(), 'reject by ana (b is a detour)');
    // The node panel prints the decisions under the held candidates, beside the guard's reason.
    const root = held[0].nodeId;
    await page.goto(`${server.url}#/tree/${paused.runId}/walk?node=${root}`);
    const panel = page.locator(`.node-panel[data-node="${root}"]`);
    await panel.getByTestId('guard-note').filter({ hasText: 'approval: approve by ana' }).waitFor();
    assert.match((await panel.locator('tr', { hasText: 'go b' }).textContent()) ?? '', /awaiting approval \(guard ask-first\): the first move is yours.*approval: reject by ana \(b is a detour\)/);
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser.close();
    await server.close();
  }
  const resumed = await resumeRun(await planResume(store, paused.runId, graphEnvironment), { store, environment: graphEnvironment, guards: [askFirst] });
  assert.equal(resumed.status, 'completed');
  assert.deepEqual(resumed.results[0].plan, ['go a', 'go g']);
  await store.close();
});
