import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { llmProposer } from '../../src/propose/llm.ts';
import { runSearch } from '../../src/search/run.ts';
import { greedy } from '../../src/search/strategies/index.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { fakeServerClient } from '../models/model-test-kit.ts';
import { game24Environment, game24Task } from './step-context.ts';

const HUGE = 'x'.repeat(100_000);
let server: FakeOpenAIServer;
before(async () => {
  server = await startFakeOpenAIServer({ script: () => ({ type: 'text', text: HUGE }) });
});
after(() => server.close());

test('a 100 KB reply that reads as no step is stored once, with its model call; the candidate keeps a bounded excerpt', async () => {
  for (const mode of ['samples', 'list'] as const) {
    const store = createMemoryStore();
    const task = game24Task([4, 4, 6, 8]);
    const client = fakeServerClient(server, store);
    const { runId } = await runSearch({ env: game24Environment, tasks: [task], proposer: llmProposer({ client, mode, k: 1 }), strategy: greedy(), store, budget: { expansions: 1 } });
    const tree = await store.getTree(runId, task.id);
    assert.equal(tree.modelCalls.length, 1);
    assert.equal(tree.modelCalls[0].text, HUGE, 'the reply is kept whole with its call');
    const [candidate] = tree.candidates;
    assert.equal(candidate.action, null);
    const stored = JSON.stringify(tree.candidates).length;
    assert.ok(stored < 5_000, `${mode}: the candidates hold ${stored} characters, not the reply again`);
    assert.match(candidate.text, /^x{2000}… \(cut at 2,000 of 100,000 characters; the whole reply is in the model call\)$/);
    assert.match(candidate.invalidReason ?? '', /^'x{80}…' \(100,000 characters\) is not a step/);
  }
});
