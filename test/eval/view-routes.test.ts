import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { REPORT_CSP } from '../../src/eval/report-html.ts';
import { fakeDist } from '../view/view-server-kit.ts';
import { serveEval } from './eval-view.ts';

let served: Awaited<ReturnType<typeof serveEval>>;
before(async () => {
  served = await serveEval(fakeDist());
});
after(() => served?.close());

const get = (path: string) => fetch(new URL(path, served.server.url));
const json = async (path: string): Promise<any> => (await get(path)).json();

describe('the viewer serves evals', () => {
  test('/api/evals lists the eval; /api/evals/<id> is its summary, rebuilt from the store', async () => {
    const list = await json('/api/evals');
    assert.deepEqual(list.evals.map((e: { evalId: string; runs: number; completedRuns: number }) => [e.evalId, e.runs, e.completedRuns]), [['viewed-1', 4, 4]]);
    const summary = await json('/api/evals/viewed-1');
    assert.deepEqual(summary.configs.map((c: { name: string; samples: number }) => [c.name, c.samples]), [['greedy', 4], ['bfs', 4]]);
    assert.equal(summary.complete, true);
  });

  test('/evals/<id> is the HTML report under a CSP that allows its one style and nothing else', async () => {
    const response = await get('/evals/viewed-1');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(response.headers.get('content-security-policy'), REPORT_CSP);
    assert.match(REPORT_CSP, /style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    assert.doesNotMatch(REPORT_CSP, /unsafe|script-src/);
    const html = await response.text();
    assert.match(html, /<h1>Eval viewed<\/h1>/);
    assert.match(html, /an eval &lt;b&gt;served&lt;\/b&gt; by the viewer/);
    // Links stay inside the viewer: its hash routes for runs and trees.
    assert.match(html, /href="\/#\/tree\/r[0-9a-z]+\/g24-0"/);
  });

  test('/api/endpoints names the eval routes, so the page shows the Evals tab (a server without them does not)', async () => {
    const served = await json('/api/endpoints');
    assert.ok(served.get.includes('/api/evals') && served.get.includes('/api/runs'), served.get.join(' '));
    assert.deepEqual(served.post, []);
  });

  test('an unknown eval is a 404 that says where to look', async () => {
    const page = await get('/evals/nope');
    assert.equal(page.status, 404);
    assert.match(((await page.json()) as { error: string }).error, /No eval nope/);
    assert.equal((await get('/api/evals/nope')).status, 404);
  });
});
