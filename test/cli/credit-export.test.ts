import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { openStore } from '../../src/store/index.ts';
import type { StoreRecord } from '../../src/store/records.ts';
import { assertUsageFailure, parseJsonLine, runCli, tempDb, tempDir } from './cli-process.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

const TOT = '../shared/data/tot';

describe('stepwise import, credit and export', { concurrency: true, skip: NEEDS_SHARED_DATA }, () => {
  const db = tempDb();
  let bfs: Record<string, any>;
  let cot: Record<string, any>;
  let native: Record<string, any>;
  before(async () => {
    bfs = parseJsonLine(await runCli(['import', 'tot', `${TOT}/game24-tot-bfs-sample.json`, '--json', '--db', db]));
    cot = parseJsonLine(await runCli(['import', 'tot', `${TOT}/game24-cot-sample.json`, '--json', '--db', db]));
    native = parseJsonLine(await runCli(['run', 'game24', '--tasks', 'puzzle:4 4 6 8', '--strategy', 'mcts', '--variant', 'puct', '--json', '--db', db]));
  });

  it('import reports agreement with the logs and records runs of origin import', async () => {
    assert.deepEqual([bfs.agreement, cot.agreement], [{ agree: 25, total: 25 }, { agree: 100, total: 100 }]);
    assert.equal(bfs.success.stepwise, 0.8);
    const text = await runCli(['import', 'tot', `${TOT}/game24-tot-bfs-sample.json`, '--db', db]);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /agreement with the log's r: 25\/25/);
    assert.match(text.stdout, /success \(any-correct\) +80\.0% +80\.0%/);
    const shown = JSON.parse((await runCli(['show', bfs.runId, '--json', '--db', db])).stdout);
    assert.equal(shown.run.origin.kind, 'import');
  });

  it('credit stores values idempotently, show prints them, on imported and native runs alike', async () => {
    const first = parseJsonLine(await runCli(['credit', bfs.runId, '--json', '--db', db]));
    assert.equal(first.tasks.length, 5);
    assert.equal(first.annotations, 441 + 5);
    const again = parseJsonLine(await runCli(['credit', bfs.runId, '--json', '--db', db]));
    assert.deepEqual(again.tasks, first.tasks);
    const shown = await runCli(['show', bfs.runId, '--task', 'tot-900', '--db', db]);
    assert.match(shown.stdout, /✓ Answer: \(4 \* 5\) \+ \(10 - 6\) = 24  \.\d+  ← solution .* mc=1\.00 adv=\+0\.00/);
    const mcts = await runCli(['credit', native.runId, '--db', db]);
    assert.equal(mcts.code, 0);
    assert.match(mcts.stdout, /^puzzle-4-4-6-8 +\d+ +\d+/m);
    const tree = await runCli(['show', native.runId, '--task', 'puzzle-4-4-6-8', '--db', db]);
    assert.match(tree.stdout, /q=\d\.\d\d\/\d+/, 'MCTS edges show their Q');
  });

  it('export writes each format from imported runs, reports sizes, and filters by env', async () => {
    const dir = tempDir();
    for (const format of ['dpo', 'prm', 'sft', 'jsonl']) {
      const file = join(dir, `${format}.jsonl`);
      const report = parseJsonLine(await runCli(['export', bfs.runId, cot.runId, '--format', format, '-o', file, '--json', '--db', db]));
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      assert.equal(report.records, lines.length, format);
      assert.equal(report.bytes, readFileSync(file).length);
      for (const line of lines) JSON.parse(line);
    }
    const sft = readFileSync(join(dir, 'sft.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    // The BFS trees hold 8 correct answers: ToT's 7 correct final outputs, and one it proposed at the last level but did not keep.
    assert.equal(sft.length, 8 + 3, 'every successful BFS trajectory and the 3 correct samples');
    const skipped = parseJsonLine(await runCli(['export', bfs.runId, '--format', 'jsonl', '--env', 'strips', '--json', '--db', db, '-o', join(dir, 'none.jsonl')]));
    assert.equal(skipped.records, 0);
    assert.match(skipped.runs[0].skipped, /env is game24/);
    const notFeedback = await runCli(['export', bfs.runId, '--format', 'feedback', '--json', '--db', db, '-o', join(dir, 'feedback.jsonl')]);
    assert.match(parseJsonLine(notFeedback).runs[0].skipped, /not a feedback session/);
    assert.match(notFeedback.stderr, /every run was skipped/);
    const piped = await runCli(['export', bfs.runId, '--format', 'dpo', '--db', db]);
    assert.equal(piped.code, 0);
    assert.ok(piped.stdout.trim().split('\n').every((l) => Array.isArray(JSON.parse(l).prompt)));
    assert.match(piped.stderr, /dpo: \d+ records/);
  });

  it('export and import refuse bad arguments with a hint', async () => {
    assertUsageFailure(await runCli(['export', bfs.runId, '--format', 'csv', '--db', db]), 'export', [/unknown export format "csv"/, /dpo, prm, sft, jsonl/]);
    assertUsageFailure(await runCli(['export', bfs.runId, '--format', 'prm', '--min-gap', '0.2', '--db', db]), 'export', [/--min-gap does not apply to --format prm/]);
    assertUsageFailure(await runCli(['export', bfs.runId, '--db', db]), 'export', [/--format is required/]);
    assertUsageFailure(await runCli(['import', 'tot', `${TOT}/24.csv`, '--db', db]), 'import', [/is not JSON/]);
    assertUsageFailure(await runCli(['import', 'langgraph', 'x.json', '--db', db]), 'import', [/cannot import "langgraph" logs/]);
    assertUsageFailure(await runCli(['credit', bfs.runId, '--task', 'nope', '--db', db]), 'credit', [/has no task "nope"/, /tot-900/]);
    const dir = tempDir();
    assertUsageFailure(await runCli(['export', bfs.runId, '--format', 'dpo', '-o', join(dir, 'missing', 'pairs.jsonl'), '--db', db]), 'export', [/cannot write .*missing/, /folder that exists/]);
    assertUsageFailure(await runCli(['credit', 'latest', '--db', join(dir, 'typo.db')]), 'credit', [/No store file at .*typo\.db/]);
    assert.equal(existsSync(join(dir, 'typo.db')), false, 'a mistyped --db leaves no empty store behind');
  });

  it('export reads a run named twice once', async () => {
    const twice = parseJsonLine(await runCli(['export', bfs.runId, bfs.runId.slice(0, 8), '--format', 'sft', '--json', '--db', db, '-o', join(tempDir(), 'sft.jsonl')]));
    assert.deepEqual(twice.runs.map((r: { runId: string }) => r.runId), [bfs.runId]);
  });

  it('credit, export and train-value warn that a run without an end is read as it stands', async () => {
    // The native run's records without its end: what a killed run leaves.
    const source = openStore(db, { readonly: true });
    const { run } = await source.getRun(native.runId);
    const tree = await source.getTree(native.runId, 'puzzle-4-4-6-8');
    await source.close();
    const partial = tempDb();
    const store = openStore(partial);
    for (const record of [{ ...run, id: 'unfinished' }, tree.task, ...tree.nodes, ...tree.candidates, ...tree.stats.values()]) store.append({ ...record, runId: 'unfinished' } as StoreRecord);
    await store.close();
    for (const args of [['credit', 'unfinished'], ['export', 'unfinished', '--format', 'jsonl', '-o', join(tempDir(), 'x.jsonl')], ['train-value', 'unfinished', '-o', join(tempDir(), 'v.json')]]) {
      const result = await runCli([...args, '--db', partial]);
      assert.match(result.stderr, /run unfinished has not finished \(it is still running, or was killed\)/, args[0]);
      assert.match(result.stderr, /stepwise resume unfinished/, args[0]);
      assert.doesNotMatch(result.stderr, /^\s+at /m, args[0]);
    }
  });
});
