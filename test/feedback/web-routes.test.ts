import assert from 'node:assert/strict';
import { test } from 'node:test';
import { feedbackRoutes } from '../../src/feedback/web-routes.ts';
import { webPerson } from '../../src/feedback/web-person.ts';
import { startWebFeedbackSession } from '../../src/feedback/web-session.ts';
import { loadReportTasks, reportEnvironment, reportProposer } from '../../src/envs/report/index.ts';
import { SearchStopped } from '../../src/search/tree.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { startViewServer } from '../../src/view/server.ts';
import { fakeDist, rawRequest } from '../view/view-server-kit.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

test('in write mode the viewer\'s one POST answers the open prompt, and refuses anything else; the plain viewer takes no POST', async () => {
  const person = webPerson({ id: 'ana' });
  const status = { done: false, runId: null, taskIds: [], summary: null, error: null };
  const { routes, writes } = feedbackRoutes(person, () => status, () => {});
  const store = createMemoryStore();
  const server = await startViewServer({ store, port: 0, distDir: fakeDist(), routes, writes });
  const plain = await startViewServer({ store, port: 0, distDir: fakeDist() });
  const post = (body: unknown, options: { type?: string; origin?: string; base?: string } = {}) =>
    fetch(`${options.base ?? server.url}api/feedback/answer`, { method: 'POST', headers: { 'content-type': options.type ?? 'application/json', ...(options.origin ? { origin: options.origin } : {}) }, body: JSON.stringify(body) });
  try {
    const view = { userId: 'ana', taskId: 'q1', turn: 1, goal: 'g', stateText: 's', shown: [1, 2].map((position) => ({ position, text: `a${position}`, actionType: 'x', topic: null })) };
    assert.equal((await post({ promptId: 1, choice: { picked: [1], custom: [] } })).status, 409, 'nothing is waiting yet');
    const chosen = person.choose(view);
    const state = (await (await fetch(`${server.url}api/feedback/prompt`)).json()) as { prompt: { id: number; kind: string; view: typeof view } };
    assert.equal(state.prompt.kind, 'choose');
    assert.deepEqual(state.prompt.view.shown.map((a) => a.text), ['a1', 'a2']);
    const id = state.prompt.id;
    assert.equal((await post({ promptId: id, choice: { picked: [1], custom: [] } }, { type: 'text/plain' })).status, 415);
    assert.equal((await post({ promptId: id, choice: { picked: [1], custom: [] } }, { origin: 'http://evil.example' })).status, 403);
    assert.equal((await post({ promptId: id, choice: { picked: [1], custom: [] }, kind: 'annotation' })).status, 400);
    assert.equal((await post({ promptId: id, choice: { picked: [1], custom: ['x'.repeat(40_000)] } })).status, 413);
    const rebound = `evil.example:${new URL(server.url).port}`;
    const answer = JSON.stringify({ promptId: id, choice: { picked: [1], custom: [] } });
    assert.equal((await rawRequest(server, 'POST', '/api/feedback/answer', { host: rebound, origin: `http://${rebound}`, 'content-type': 'application/json' }, answer)).status, 421, 'a rebinding page posts from its own origin to its own host');
    assert.equal((await post({ promptId: id, judgment: { verdict: 'applied' } })).status, 409);
    assert.equal((await post({ promptId: id, choice: { picked: [3], custom: [] } })).status, 409);
    assert.equal((await post({ promptId: id + 1, choice: { picked: [1], custom: [] } })).status, 409);
    assert.equal((await fetch(`${server.url}api/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status, 405);
    assert.equal((await post({ promptId: id, choice: { picked: [1], custom: [] } }, { base: plain.url })).status, 405);
    assert.equal((await post({ promptId: id, choice: { picked: [2], custom: ['mine'] } })).status, 200);
    assert.deepEqual(await chosen, { picked: [2], custom: ['mine'], stop: undefined });
  } finally {
    await server.close();
    await plain.close();
  }
});

test('cancelling a browser session fails the open prompt and every later one, so the run ends', async () => {
  const person = webPerson({ id: 'ana' });
  const view = { userId: 'ana', taskId: 'q1', turn: 1, goal: 'g', stateText: 's', shown: [] };
  const open = person.choose(view);
  person.cancel('interrupted');
  await assert.rejects(open, (error: unknown) => error instanceof SearchStopped && error.reason === 'interrupted');
  assert.equal(person.current(), null);
  await assert.rejects(person.choose(view), /interrupted/);
});

test('Ctrl-C on a browser session (abort, then cancel) records the run as interrupted: the open task stops and no other starts', { skip: NEEDS_SHARED_DATA }, async () => {
  const store = createMemoryStore();
  const stop = new AbortController();
  const session = await startWebFeedbackSession({
    env: reportEnvironment(),
    tasks: loadReportTasks('../shared/data/papers/intermediate-actions.jsonl#web agents|planning'),
    proposer: reportProposer(),
    userId: 'ana',
    store,
    distDir: fakeDist(),
    signal: stop.signal,
  });
  try {
    while (((await (await fetch(`${session.server.url}api/feedback/prompt`)).json()) as { prompt: unknown }).prompt === null) await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    session.cancel('interrupted');
    const result = await session.finished;
    assert.equal(result.status, 'interrupted');
    assert.deepEqual(result.results.map((r) => r.stopReason), ['interrupted']);
  } finally {
    await session.server.close();
  }
});
