import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { game24ModelScript } from '../../src/testing/game24-model.ts';
import { runCli, tempDb } from './cli-process.ts';

// A judge that never gives a verdict: its replies must be no score, never the 0 that reads as "impossible".
describe('value judgments that do not parse', () => {
  let server: FakeOpenAIServer;
  before(async () => {
    const proposer = game24ModelScript({ listed: Infinity });
    server = await startFakeOpenAIServer({
      script: (body, index) => {
        const last = String(body.messages?.at(-1)?.content ?? '');
        return /^Input:/m.test(last) ? proposer(body, index) : 'Let me think about whether these numbers work. Hard to say!';
      },
    });
  });
  after(() => server.close());

  it('are recorded with the reply and the reason, left out of the value, counted, shown and warned about', async () => {
    const db = tempDb();
    const model = `openai-compatible:${server.url}#mumbler`;
    const result = await runCli(['run', 'game24', '--tasks', 'puzzle:4 5 6 10', '--model', model, '--strategy', 'bfs', '--mode', 'list', '--scorer', 'value', '--max-expansions', '1', '--db', db]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /judgments: \d+ judge replies could not be read; \d+ of \d+ scored candidates got no score/);
    assert.match(result.stderr, /warning: most candidates \(\d+ of \d+\) got no score because the judge's replies could not be read/);

    const store = openSqliteStore(db, { readonly: true });
    const [summary] = await store.listRuns();
    const tree = await store.getTree(summary.run.id, 'puzzle-4-5-6-10');
    await store.close();
    const unread = tree.candidates.filter((c) => c.scores.some((s) => s.value === null));
    assert.ok(unread.length > 0);
    for (const candidate of unread) {
      assert.equal(candidate.value, null, 'no score, not 0');
      const [score] = candidate.scores;
      assert.deepEqual([score.judgments, score.unparsed], [3, 3]);
      assert.match(score.detail ?? '', /not read \(no sure\/likely\/impossible verdict\).*First reply: "Let me think/);
    }
    assert.ok(tree.modelCalls.some((call) => call.text?.startsWith('Let me think')), 'the raw replies are in the model calls');

    const shown = await runCli(['show', summary.run.id, '--task', 'puzzle-4-5-6-10', '--db', db, '--max-nodes', '400']);
    assert.match(shown.stdout, /^judgments: \d+ judge replies could not be read/m);
    assert.match(shown.stdout, /unscored by llm-value:\S+: 3 of 3 replies unread/);
    assert.doesNotMatch(shown.stdout, /✗ [^\n]*not executed/, '✗ is for invalid steps only');
    const overview = await runCli(['show', summary.run.id, '--db', db]);
    assert.match(overview.stdout, /judgments: \d+ judge replies could not be read/);
  });
});
