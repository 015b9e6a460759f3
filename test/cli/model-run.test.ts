import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { game24ModelScript } from '../../src/testing/game24-model.ts';
import { parseJsonLine, runCli, tempDb, TOT_CSV } from './cli-process.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

// The real CLI in a child process, talking HTTP to a fake OpenAI-compatible server in this process.
describe('stepwise run with a model', () => {
  let server: FakeOpenAIServer;
  before(async () => {
    server = await startFakeOpenAIServer({ script: game24ModelScript({ illegalEvery: 4 }) });
  });
  after(() => server.close());

  const modelArgs = () => ['--model', `openai-compatible:${server.url}#fake-gpt`, '--strategy', 'bfs', '--mode', 'list', '--scorer', 'value'];

  it('runs ToT BFS end to end, records every call, cache hit and invalid candidate, and reruns from the cache', { skip: NEEDS_SHARED_DATA }, async () => {
    const db = tempDb();
    const args = ['run', 'game24', '--tasks', `tot:${TOT_CSV}:900-909`, ...modelArgs(), '--db', db, '--json'];
    const first = parseJsonLine(await runCli(args));
    assert.equal(first.tasks, 10);
    assert.equal(first.model, `openai-compatible:${server.url}#fake-gpt`);
    assert.ok((first.solved as number) >= 5, `solved ${first.solved}`);
    const sentFirst = server.requests.length;
    const bodies = server.requests.map((r) => JSON.stringify(r));
    assert.equal(new Set(bodies).size, bodies.length, 'no request was sent twice');

    const second = parseJsonLine(await runCli(args));
    assert.equal(server.requests.length, sentFirst, 'the rerun sent nothing: every call came from the store');
    assert.equal(second.solved, first.solved);

    const store = openSqliteStore(db, { readonly: true });
    try {
      const runs = await store.listRuns();
      const [rerun, original] = runs.map((r) => r.run.id);
      let sent = 0;
      let hits = 0;
      let invalid = 0;
      for (const taskId of ['tot-900', 'tot-903', 'tot-909']) {
        const tree = await store.getTree(original, taskId);
        sent += tree.modelCalls.filter((c) => !c.cacheHit).length;
        invalid += tree.candidates.filter((c) => c.invalidReason).length;
        const replay = await store.getTree(rerun, taskId);
        assert.ok(replay.modelCalls.length > 0 && replay.modelCalls.every((c) => c.cacheHit && c.cachedFrom), 'rerun calls are cache hits');
        hits += replay.modelCalls.length;
      }
      assert.ok(sent > 0 && hits >= sent);
      assert.ok(invalid > 0, 'the scripted illegal step was recorded as an invalid candidate');
      const run = (await store.getRun(original)).run;
      assert.match(run.proposer.name, /^llm:openai-compatible:/);
      assert.match(String(run.proposer.config?.templateHash ?? run.proposer.config?.template), /./);
    } finally {
      await store.close();
    }

    const shown = await runCli(['show', String(first.runId), '--task', 'tot-900', '--db', db]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /model calls: \d+ sent, \d+ cache hits/);
    assert.match(shown.stdout, /calls=\d+/);
    const calls = await runCli(['show', String(second.runId), '--task', 'tot-900', '--calls', '--db', db]);
    assert.match(calls.stdout, /hit r\w+\.\d+#\d+/);
    const overview = await runCli(['show', String(first.runId), '--db', db]);
    assert.match(overview.stdout, /calls sent\s+cache hits\s+tokens/);
  });

  it('stops with a clear message when the model name is wrong, and records the run as failed', async () => {
    const wrong = await startFakeOpenAIServer({ script: () => ({ type: 'error', status: 404, message: 'The model `gpt-9` does not exist', code: 'model_not_found' }) });
    try {
      const db = tempDb();
      const result = await runCli(['run', 'game24', '--tasks', 'puzzle:4 4 6 8', '--model', `openai-compatible:${wrong.url}#gpt-9`, '--mode', 'list', '--db', db]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /gpt-9/);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(wrong.requests.length, 1, 'failed fast: no retries of a 404');
      const store = openSqliteStore(db, { readonly: true });
      const [summary] = await store.listRuns();
      await store.close();
      assert.match(summary.end?.status ?? '', /^failed: /);
    } finally {
      await wrong.close();
    }
  });

  it('names the missing key before sending anything', async () => {
    const result = await runCli(['run', 'game24', '--tasks', 'puzzle:4 4 6 8', '--model', 'openai:gpt-4o-mini', '--db', ':memory:'], {
      env: { OPENAI_API_KEY: '', STEPWISE_MODEL: undefined },
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /OPENAI_API_KEY/);
  });

  it('takes the model from STEPWISE_MODEL, and says so when there is none', async () => {
    const viaEnv = await runCli(['run', 'game24', '--tasks', 'puzzle:4 4 6 8', '--mode', 'list', '--db', ':memory:', '--json'], {
      env: { STEPWISE_MODEL: `openai-compatible:${server.url}#fake-gpt` },
    });
    assert.equal(parseJsonLine(viaEnv).model, `openai-compatible:${server.url}#fake-gpt`);
    assert.equal(parseJsonLine(viaEnv).strategy, 'greedy', 'a model makes greedy (ReAct) the default');
    const none = await runCli(['run', 'game24', '--tasks', 'puzzle:4 4 6 8', '--db', ':memory:'], { env: { STEPWISE_MODEL: undefined } });
    assert.equal(none.code, 0);
    assert.match(none.stderr, /no model configured .*legal-action enumerator/);
  });

  it('stops a task at the model-call budget and says which budget', async () => {
    const honest = await startFakeOpenAIServer({ script: game24ModelScript() });
    try {
      const db = tempDb();
      const model = `openai-compatible:${honest.url}#fake-gpt`;
      const args = ['run', 'game24', '--tasks', 'puzzle:4 9 10 13', '--model', model, '--strategy', 'bfs', '--mode', 'list', '--scorer', 'value', '--db', db, '--json'];
      const limited = parseJsonLine(await runCli([...args, '--max-model-calls', '2']));
      assert.equal(limited.budgetExhausted, 1);
      assert.equal(limited.solved, 0);
      const shown = await runCli(['show', String(limited.runId), '--task', 'puzzle-4-9-10-13', '--db', db]);
      assert.match(shown.stdout, /outcome: budget_exhausted \(modelCalls\)/);
      assert.equal(parseJsonLine(await runCli(args)).solved, 1, 'the same search with no call budget solves it');
    } finally {
      await honest.close();
    }
  });

  it('refuses a model judge without a model', async () => {
    const result = await runCli(['run', 'game24', '--tasks', 'puzzle:4 4 6 8', '--scorer', 'value', '--db', ':memory:'], { env: { STEPWISE_MODEL: undefined } });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--scorer value is a model judge, but no model is configured/);
  });
});
