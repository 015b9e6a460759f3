import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFeedbackWebServer } from '../../src/feedback/web-server.ts';
import { webPerson } from '../../src/feedback/web-person.ts';

test('the feedback page\'s only write answers the open prompt, and refuses anything else', async () => {
  const person = webPerson({ id: 'ana' });
  const server = await startFeedbackWebServer({ person, status: () => ({ done: false, summary: null, error: null }) });
  const post = (body: unknown, type = 'application/json') => fetch(`${server.url}api/feedback/answer`, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(body) });
  try {
    const view = { userId: 'ana', taskId: 'q1', turn: 1, goal: 'g', stateText: 's', shown: [1, 2].map((position) => ({ position, text: `a${position}`, actionType: 'x', topic: null })) };
    assert.equal((await post({ promptId: 1, choice: { picked: [1], custom: [] } })).status, 409, 'nothing is waiting yet');
    const chosen = person.choose(view);
    const state = (await (await fetch(`${server.url}api/feedback/prompt`)).json()) as { prompt: { id: number; kind: string; view: typeof view } };
    assert.equal(state.prompt.kind, 'choose');
    assert.deepEqual(state.prompt.view.shown.map((a: { text: string }) => a.text), ['a1', 'a2']);
    assert.equal((await post({ promptId: state.prompt.id, choice: { picked: [1], custom: [] } }, 'text/plain')).status, 415);
    assert.equal((await post({ promptId: state.prompt.id, choice: { picked: [1], custom: [] }, kind: 'annotation' })).status, 400);
    assert.equal((await post({ promptId: state.prompt.id, judgment: { verdict: 'applied' } })).status, 409);
    assert.equal((await post({ promptId: state.prompt.id, choice: { picked: [3], custom: [] } })).status, 409);
    assert.equal((await post({ promptId: state.prompt.id + 1, choice: { picked: [1], custom: [] } })).status, 409);
    assert.equal((await fetch(`${server.url}api/feedback/answer`, { method: 'DELETE' })).status, 405);
    assert.equal((await post({ promptId: state.prompt.id, choice: { picked: [2], custom: ['mine'] } })).status, 200);
    assert.deepEqual(await chosen, { picked: [2], custom: ['mine'], stop: undefined });
    const page = await fetch(server.url);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  } finally {
    await server.close();
  }
});
