import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { game24ModelScript } from '../../src/testing/game24-model.ts';
import { parseJsonLine, runCli, skipWithoutSharedData, tempDb, TOT_CSV } from './cli-process.ts';

// A server that lists every legal step and judges every state exactly: the README's ToT recipe must then solve every puzzle.
describe('the Tree of Thoughts recipe with a perfect model', { skip: skipWithoutSharedData(TOT_CSV) }, () => {
  let server: FakeOpenAIServer;
  before(async () => {
    server = await startFakeOpenAIServer({ script: game24ModelScript({ listed: Infinity, winningFirst: false }) });
  });
  after(() => server.close());
  const recipe = () => ['--model', `openai-compatible:${server.url}#perfect`, '--strategy', 'bfs', '--mode', 'list', '--scorer', 'value'];

  it('keeps every listed step (--k all means all) and solves puzzles 900-904', async () => {
    const db = tempDb();
    const all = parseJsonLine(await runCli(['run', 'game24', '--tasks', `tot:${TOT_CSV}:900-904`, ...recipe(), '--db', db, '--json']));
    assert.equal(all.solved, 5);
    assert.equal(all.proposalCap, null);
    const prompts = server.requests.map((r) => String(r.messages?.at(-1)?.content)).filter((text) => text.startsWith('Input:'));
    assert.ok(prompts.length > 0 && prompts.every((text) => /Possible next steps:$/.test(text)), 'no "up to k" in the propose prompt');
  });

  it('a cap asked for is said in the run summary and in show', async () => {
    const db = tempDb();
    const capped = await runCli(['run', 'game24', '--tasks', `tot:${TOT_CSV}:900-901`, ...recipe(), '--k', '3', '--db', db]);
    assert.equal(capped.code, 0, capped.stderr);
    assert.match(capped.stdout, /proposals: at most 3 candidate\(s\) kept per expansion \(--k 3\)/);
    const shown = await runCli(['show', 'latest', '--db', db]);
    assert.match(shown.stdout, /proposals: at most 3 candidate\(s\) kept per expansion/);
    const task = await runCli(['show', 'latest', '--task', 'tot-900', '--db', db]);
    assert.match(task.stdout, /^proposals: at most 3/m);
  });
});
