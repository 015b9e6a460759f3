import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runEval } from '../../src/eval/runner.ts';
import { parseSuite } from '../../src/eval/suite.ts';
import { summarizeEval } from '../../src/eval/summary.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { game24ModelScript } from '../../src/testing/game24-model.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

describe('an eval of model-backed configurations', () => {
  let server: FakeOpenAIServer;
  before(async () => {
    server = await startFakeOpenAIServer({ script: game24ModelScript() });
  });
  after(() => server.close());

  test('tokens of calls actually sent are the cost per key node; a rerun served from the cache costs nothing', { skip: NEEDS_SHARED_DATA }, async () => {
    const model = { spec: `openai-compatible:${server.url}#fake-gpt`, mode: 'list' as const };
    const suiteInput = {
      name: 'tot',
      tasks: [{ name: 'g24', env: 'game24', tasks: 'tot:../shared/data/tot/24.csv:900-902' }],
      configs: [
        { name: 'tot-bfs', strategy: 'bfs', options: { width: 2 }, model, scorers: ['value' as const] },
        { name: 'react', strategy: 'greedy', model },
      ],
    };
    const store = createMemoryStore();
    const suite = parseSuite(suiteInput);
    const first = summarizeEval(suite, 'tot-1', (await runEval({ suite, evalId: 'tot-1', store })).samples);
    const [bfs] = first.configs;
    assert.equal(bfs.model, model.spec);
    assert.ok(bfs.meanTokens > 0, 'the fake server reports usage');
    const tokens = bfs.meanTokens * bfs.samples;
    const keyPoints = first.configs[0].keyNodes.completionRate * bfs.samples * 3;
    assert.ok(bfs.keyNodes.tokensPerKeyNode! > 0);
    assert.ok(Math.abs(bfs.keyNodes.tokensPerKeyNode! - tokens / keyPoints) < 1e-6, 'tokens / key-node points met (3 derived nodes per puzzle)');

    const sent = server.requests.length;
    const second = summarizeEval(suite, 'tot-2', (await runEval({ suite, evalId: 'tot-2', store })).samples);
    assert.equal(server.requests.length, sent, 'every request was answered from the store');
    assert.equal(second.configs[0].meanTokens, 0);
    assert.equal(second.configs[0].solved.estimate, bfs.solved.estimate);
  });
});
