import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { UsageError } from '../../src/core/errors.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { CONTENT_SECURITY_POLICY, startViewServer } from '../../src/view/server.ts';
import { IMG_OBSERVATION, SCRIPT_ACTION } from './hostile-run.ts';
import { fakeDist, getJson, rawRequest, serveHostileRun } from './view-server-kit.ts';

const served = await serveHostileRun();
after(() => served.close());
const { server, run } = served;
const treePath = `/api/runs/${run.runId}/tasks/${run.taskId}`;

test('the server listens on 127.0.0.1 only and every answer carries the CSP without inline scripts', async () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  for (const path of ['/', '/api/runs', '/nope.js', '/api/nope']) {
    const response = await fetch(new URL(path, server.url));
    assert.equal(response.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY, path);
    await response.arrayBuffer();
  }
  assert.match(CONTENT_SECURITY_POLICY, /script-src 'self'(;|$)/);
  assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval/);
});

test('the runs list has the run with its outcome, expansions, model calls and tokens', async () => {
  const { status, body } = await getJson(server, '/api/runs');
  assert.equal(status, 200);
  const row = body.runs.find((r: { id: string }) => r.id === run.runId);
  assert.equal(row.env, 'hostile-web');
  assert.equal(row.strategy, 'bfs');
  assert.equal(row.solved, 1);
  assert.equal(row.successRate, 1);
  assert.ok(row.expansions > 0);
  assert.equal(row.modelCalls, 1);
  assert.equal(row.tokens, 62);
  assert.equal(row.status, 'completed');
});

test('a tree not indexed yet answers at once from its first rows; the whole tree follows', async () => {
  const first = await getJson(server, `${treePath}/tree?rows=3`);
  assert.equal(first.status, 200);
  assert.equal(first.body.partial, true);
  assert.equal(first.body.nodeCount, 6, 'the whole tree\'s node count');
  assert.equal(first.body.items.length, 3);
  assert.equal(first.body.items[0].parentId, null);
  const whole = await getJson(server, `${treePath}/tree?rows=3&whole=1`);
  assert.equal(whole.body.partial, false);
  assert.equal(whole.body.candidateCount, 1);
  assert.equal((await getJson(server, `${treePath}/tree?rows=3`)).body.partial, false, 'once indexed, every opening is whole');
});

test('a tree opens with a bounded first slice and loads children on demand, in pages', async () => {
  const full = await getJson(server, `${treePath}/tree?whole=1`);
  assert.equal(full.status, 200);
  const { nodeCount, candidateCount, rootId, solutionPath, items } = full.body;
  assert.equal(items.length, nodeCount + candidateCount, 'a small tree comes whole');
  assert.equal(solutionPath.at(-1), run.solutionNodeId);
  assert.equal(solutionPath[0], rootId);
  const denied = items.find((item: { kind: string }) => item.kind === 'candidate');
  assert.equal(denied.invalidReason, 'denied by guard no-deletes: destructive <command> refused');

  const slice = await getJson(server, `${treePath}/tree?rows=1`);
  const sliceIds = slice.body.items.map((item: { id: string }) => item.id);
  // One row of budget: the root, plus the solution path's families (what a reader opens the tree to see).
  assert.ok(sliceIds.includes(rootId));
  assert.ok(slice.body.items.length < items.length);

  const root = items.find((item: { id: string }) => item.id === rootId);
  const page1 = await getJson(server, `${treePath}/children?node=${rootId}&offset=0&limit=2`);
  const page2 = await getJson(server, `${treePath}/children?node=${rootId}&offset=2&limit=2`);
  assert.equal(page1.body.total, root.childCount);
  assert.equal(page1.body.items.length, 2);
  assert.equal(page1.body.items.length + page2.body.items.length, root.childCount);
  for (const child of [...page1.body.items, ...page2.body.items]) assert.equal(child.parentId, rootId);
  assert.deepEqual((await getJson(server, `${treePath}/children?node=${run.solutionNodeId}`)).body, { items: [], total: 0 });
});

test('a node comes with its state rendered, candidates and scores, guard decisions, model calls and annotations', async () => {
  const tree = await getJson(server, `${treePath}/tree?whole=1`);
  const { status, body } = await getJson(server, `/api/runs/${run.runId}/nodes/${tree.body.rootId}`);
  assert.equal(status, 200);
  assert.equal(body.rendered, '<html><body>page home</body></html>');
  assert.equal(body.candidates.length, 3);
  assert.deepEqual(body.candidates.map((c: { invalidReason: string | null }) => c.invalidReason), [null, null, 'denied by guard no-deletes: destructive <command> refused']);
  assert.equal(body.candidates[0].scores[0].scorer, 'heuristic');
  assert.equal(body.modelCalls.length, 1);
  assert.deepEqual(body.path, [tree.body.rootId]);

  const scriptNode = await getJson(server, `/api/runs/${run.runId}/nodes/${run.scriptNodeId}`);
  assert.equal(scriptNode.body.node.actionText, SCRIPT_ACTION);
  assert.equal(scriptNode.body.node.observation, IMG_OBSERVATION);
  assert.equal(scriptNode.body.annotations[0].kind, 'credit');
});

test('comparing two paths marks the first step where they differ', async () => {
  const same = await getJson(server, `/api/compare?runA=${run.runId}&nodeA=${run.solutionNodeId}&runB=${run.runId}&nodeB=${run.solutionNodeId}`);
  assert.equal(same.body.divergeAt, null);
  const tree = await getJson(server, `${treePath}/tree?whole=1`);
  const other = tree.body.items.find((item: { kind: string; depth: number; actionText: string }) => item.kind === 'node' && item.depth === 1 && item.actionText !== SCRIPT_ACTION);
  const { body } = await getJson(server, `/api/compare?runA=${run.runId}&nodeA=${run.solutionNodeId}&runB=${run.runId}&nodeB=${other.id}`);
  assert.equal(body.divergeAt, 1);
  assert.equal(body.a.steps.length, 3);
  assert.equal(body.a.steps[1].actionText, SCRIPT_ACTION);
  assert.equal(body.b.steps[1].id, other.id);
});

test('unknown runs, tasks, nodes and endpoints are 404 with a message; bad parameters are 400', async () => {
  for (const path of [
    '/api/runs/no-such-run',
    `/api/runs/${run.runId}/tasks/no-such-task/tree`,
    `${treePath}/children?node=no-such-node`,
    `/api/runs/${run.runId}/nodes/${run.runId}.999`,
    '/api/compare?runA=x&nodeA=y&runB=x&nodeB=y',
    '/api/what',
  ]) {
    const { status, body } = await getJson(server, path);
    assert.equal(status, 404, path);
    assert.equal(typeof body.error, 'string');
  }
  assert.equal((await getJson(server, `${treePath}/children`)).status, 400);
  assert.equal((await getJson(server, `${treePath}/children?node=x&limit=-1`)).status, 400);
});

// Issue 17: the Evals tab asked a server without the eval routes for /api/evals (a 404); the page asks this first.
test('/api/endpoints names the routes this server has: no eval routes unless it was given them', async () => {
  const { body } = await getJson(server, '/api/endpoints');
  assert.ok(body.get.includes('/api/runs/:run') && !body.get.includes('/api/evals'), body.get.join(' '));
});

test('the store is only read: other methods are refused and write nothing', async () => {
  const before = await served.store.changeMark();
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    const { status } = await rawRequest(server, method, '/api/runs');
    assert.equal(status, 405, method);
  }
  assert.equal(await served.store.changeMark(), before);
  assert.throws(() => served.store.append({ type: 'run_end', runId: run.runId, finishedAt: '', outcomes: { solved: 0, unsolvable: 0, budget_exhausted: 0, failed: 0 }, wallMs: 0, status: 'x' }), /read-only/);
});

test('static files come only from the dist folder: traversal is impossible, app routes get index.html', async () => {
  assert.equal((await rawRequest(server, 'GET', '/assets/app.js')).body, 'console.log(1);');
  assert.match((await rawRequest(server, 'GET', '/runs/some/route')).body, /<title>viewer/);
  for (const path of ['/../package.json', '/assets/../../package.json', '/%2e%2e/package.json', '/assets/%2e%2e%2f%2e%2e%2fpackage.json', '/..%5cpackage.json', '/assets/%00.js', '/%E0%A4%A.js', '/etc/passwd.txt']) {
    const { status, body } = await rawRequest(server, 'GET', path);
    assert.ok(status === 404 || /<title>viewer/.test(body), `${path} gave ${status}`);
    assert.doesNotMatch(body, /"name": "stepwise|root:/, path);
  }
});

test('a page of another site reaching the server by its own name (DNS rebinding) is refused; local names are served', async () => {
  for (const host of ['evil.example', `evil.example:${new URL(server.url).port}`, '127.0.0.1.evil.example', 'localhost.evil.example:80']) {
    for (const path of ['/api/runs', '/', '/api/events']) {
      const { status, body } = await rawRequest(server, 'GET', path, { host });
      assert.equal(status, 421, `${host} ${path}`);
      assert.doesNotMatch(body, new RegExp(run.runId), `${host} ${path}`);
    }
  }
  for (const host of [new URL(server.url).host, `localhost:${new URL(server.url).port}`, 'LOCALHOST']) {
    const { status, body } = await rawRequest(server, 'GET', '/api/runs', { host });
    assert.equal(status, 200, host);
    assert.match(body, new RegExp(run.runId));
  }
});

test('a HEAD of the event stream is answered and closed, not held open as a stream', { timeout: 10_000 }, async () => {
  const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
  socket.write('HEAD /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  let answer = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
  await once(socket, 'close'); // Held open as a stream, it never closes and the test times out.
  assert.match(answer, /^HTTP\/1\.1 200/);
});

test('a missing web app build is an error saying which command builds it', async () => {
  const dist = fakeDist();
  rmSync(join(dist, 'index.html'));
  await assert.rejects(startViewServer({ store: createMemoryStore(), port: 0, distDir: dist }), (error: unknown) =>
    error instanceof UsageError && /npm run build:viewer/.test(error.hint ?? ''));
  assert.ok(existsSync(dist));
});
