import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registerPlugin, runRecipe } from 'stepwise-agents';
import { createMemoryStore, startFakeOpenAIServer } from 'stepwise-agents/testing';
import kvStore from './kv-plugin.ts';

registerPlugin(kvStore);

test('a model proposes kv tool calls, and the scorer and strategy find the target', async () => {
  const server = await startFakeOpenAIServer({
    script: (body) => {
      const prompt = String(body.messages?.at(-1)?.content ?? '');
      const target = /Make the store hold exactly: (.*)\./.exec(prompt)![1];
      const allowed = prompt.split('Actions allowed now:\n')[1].split('\n\n')[0].split('\n');
      return allowed.find((action) => target.split(', ').includes(action.replace('set ', ''))) ?? allowed[0];
    },
  });
  try {
    const store = createMemoryStore();
    const result = await runRecipe(
      {
        env: 'kv',
        tasks: 'generate:kv?count=2&seed=5',
        strategy: 'best-first',
        strategyOptions: { k: 2 },
        budget: { expansions: 50 },
        seed: 0,
        scorers: ['kv-progress'],
        model: { spec: `openai-compatible:${server.url}#scripted` },
      },
      { store },
    );
    assert.equal(result.stats.solved, 2);
    assert.ok(server.requests.length > 0, 'the model was asked');
    const { run } = await store.getRun(result.runId);
    assert.deepEqual(run.provenance?.recipe?.plugins?.map((p) => p.name), ['kv-store']);
  } finally {
    await server.close();
  }
});
