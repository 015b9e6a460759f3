import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parseTotLog, type TotBfsEntry } from '../../src/import/tot-log.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { game24StandInScript, learnGame24StandIn } from '../../src/testing/game24-standin.ts';
import { parseJsonLine, runCli, skipWithoutSharedData, tempDb, TOT_CSV } from './cli-process.ts';

const BFS_LOG = '../shared/data/tot/game24-tot-bfs-sample.json';

// The GPT-4 stand-in of the ToT reproduction (bench/tot-gpt4-standin.ts), on a few puzzles through the CLI and HTTP.
describe('the GPT-4 stand-in learned from the ToT BFS log', { skip: skipWithoutSharedData(BFS_LOG) || skipWithoutSharedData(TOT_CSV) }, () => {
  let entries: TotBfsEntry[];
  let server: FakeOpenAIServer;
  before(async () => {
    const log = parseTotLog(JSON.parse(readFileSync(new URL(`../../${BFS_LOG}`, import.meta.url), 'utf8')), BFS_LOG);
    assert.equal(log.kind, 'bfs');
    entries = log.entries as TotBfsEntry[];
    server = await startFakeOpenAIServer({ script: game24StandInScript(learnGame24StandIn(entries), { seed: 0 }) });
  });
  after(() => server.close());

  it('learns every value of the log as three verdicts, and rates that are shares', () => {
    const rates = learnGame24StandIn(entries);
    assert.deepEqual(Object.keys(rates.propose).sort(), ['2', '3', '4']);
    for (const r of Object.values(rates.propose)) {
      for (const share of [r.recallReachable, r.recallUnreachable]) assert.ok(share > 0 && share <= 1, String(share));
      assert.equal(r.invalidPerReply.length, r.replies);
    }
    for (const v of [rates.value.reachable, rates.value.unreachable]) {
      assert.ok(v.samples > 0 && v.samples % 3 === 0);
      assert.equal(v.sure + v.likely + v.impossible, v.samples);
    }
    // GPT-4's judge tells the classes apart: "sure" is far more common where 24 is reachable.
    assert.ok(rates.value.reachable.sure / rates.value.reachable.samples > rates.value.unreachable.sure / rates.value.unreachable.samples);
  });

  it('answers a request the same way every time for a seed, and differently for another seed', () => {
    const rates = learnGame24StandIn(entries);
    const body = { model: 'm', messages: [{ role: 'user', content: 'Input: 1 4 8 8\nPossible next steps:' }] };
    assert.equal(game24StandInScript(rates, { seed: 3 })(body), game24StandInScript(rates, { seed: 3 })(body));
    const replies = new Set(Array.from({ length: 8 }, (_, seed) => game24StandInScript(rates, { seed })(body)));
    assert.ok(replies.size > 1);
  });

  it("runs the README's ToT recipe over puzzles 900-909: GPT-4-like, neither perfect nor broken", async () => {
    const db = tempDb();
    const result = await runCli(['run', 'game24', '--tasks', `tot:${TOT_CSV}:900-909`, '--model', `openai-compatible:${server.url}#gpt-4-standin`, '--strategy', 'bfs', '--mode', 'list', '--scorer', 'value', '--db', db, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const summary = parseJsonLine(result);
    assert.equal(summary.tasks, 10);
    assert.ok(summary.solved >= 6, `solved ${summary.solved} of 10`);
    assert.equal(summary.judgments.unparsed, 0);
    const prompts = server.requests.map((r) => String(r.messages?.at(-1)?.content));
    assert.ok(prompts.some((p) => p.startsWith('Input:')) && prompts.some((p) => !p.startsWith('Input:')), 'both propose and value prompts went over HTTP');
  });
});

// A model that rounds its intermediate results, as chat models do in list mode.
describe('a model that writes rounded decimals', () => {
  let server: FakeOpenAIServer;
  before(async () => {
    const steps: Record<string, string> = {
      '3 3 8 8': '8 / 3 = 2.67 (left: 2.67 3 8)',
      '8/3 3 8': '3 - 2.67 = 0.33 (left: 0.33 8)',
      '1/3 8': '8 / 0.33 = 24 (left: 24)',
    };
    server = await startFakeOpenAIServer({
      script: (body) => {
        const input = /^Input:\s*(.+)$/m.exec(String(body.messages?.at(-1)?.content ?? ''));
        return input ? steps[input[1].trim()] ?? '1 + 1 = 2' : 'sure';
      },
    });
  });
  after(() => server.close());
  const run = (tasks: string, db: string) =>
    runCli(['run', 'game24', '--tasks', tasks, '--model', `openai-compatible:${server.url}#rounder`, '--mode', 'list', '--db', db, '--json']);

  it('is solved exactly through its rounded steps, each marked in show; with ?rounded=refuse it is not', async () => {
    const db = tempDb();
    const solved = parseJsonLine(await run('puzzle:3 3 8 8', db));
    assert.equal(solved.solved, 1);
    const shown = await runCli(['show', 'latest', '--task', 'puzzle-3-3-8-8', '--db', db]);
    assert.match(shown.stdout, /8 \/ 3 = 2\.67 \(left: 2\.67 3 8\)\s.*rounded: 2\.67 read as 8\/3/);
    assert.match(shown.stdout, /3 - 2\.67 = 0\.33 \(left: 0\.33 8\)\s.*rounded: 2\.67 read as 8\/3, 0\.33 read as 1\/3/);
    assert.match(shown.stdout, /✓ 8 \/ 0\.33 = 24 \(left: 24\)/);
    const refused = parseJsonLine(await run('puzzle:3 3 8 8?rounded=refuse', tempDb()));
    assert.equal(refused.solved, 0);
  });
});
