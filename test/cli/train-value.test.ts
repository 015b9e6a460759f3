import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertUsageFailure, parseJsonLine, runCli, tempDb, tempDir } from './cli-process.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

describe('stepwise train-value and --scorer learned', () => {
  it('trains on a recorded run, writes a versioned file, and guides an MCTS run with it', async () => {
    const db = tempDb();
    const model = join(tempDir(), 'value.json');
    const run = parseJsonLine(await runCli(['run', 'strips', '--tasks', 'generate:blocksworld?count=8&blocks=4&length=4&seed=3', '--strategy', 'bfs', '--width', 'all', '--max-depth', '4', '--json', '--db', db]));
    const report = parseJsonLine(await runCli(['train-value', run.runId, '-o', model, '--hash-bits', '8', '--json', '--db', db]));
    assert.equal(report.env, 'strips');
    assert.ok(report.examples > 100);
    assert.equal(report.heldOut.tasks, 2);
    assert.ok(report.heldOut.mae < report.heldOut.baselineMae);
    const file = JSON.parse(readFileSync(model, 'utf8'));
    assert.equal(file.$schemaVersion, 1);
    assert.deepEqual(file.training.runs, [run.runId]);
    const text = await runCli(['train-value', run.runId, '-o', model, '--db', db]);
    assert.match(text.stdout, /^held out +\d+ +2 +0\.\d{3}/m);

    const guided = parseJsonLine(await runCli(['run', 'strips', '--tasks', 'generate:blocksworld?count=2&blocks=4&length=6&seed=50', '--strategy', 'mcts', '--variant', 'puct', '--scorer', `learned:${model}`, '--json', '--db', db]));
    assert.equal(guided.solved, 2);
    const shown = JSON.parse((await runCli(['show', guided.runId, '--json', '--db', db])).stdout);
    assert.equal(shown.run.scorers[0].name, 'learned');
    assert.equal(shown.run.strategy.config.prior, 'value', 'a learned scorer makes MCTS use value priors');
  });

  it('refuses a bad model file, a model of another environment, and missing arguments', { skip: NEEDS_SHARED_DATA }, async () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"kind":"nope"}');
    assertUsageFailure(await runCli(['run', 'strips', '--tasks', 'generate:blocksworld?count=1&blocks=4&length=4', '--scorer', `learned:${bad}`, '--db', ':memory:']), 'run', [/is not a stepwise value model/, /train-value/]);
    assertUsageFailure(await runCli(['run', 'strips', '--tasks', 'generate:blocksworld?count=1&blocks=4&length=4', '--scorer', 'learned:', '--db', ':memory:']), 'run', [/--scorer must be a comma list/]);
    const strips = join(dir, 'strips.json');
    const db = tempDb();
    const run = parseJsonLine(await runCli(['run', 'strips', '--tasks', 'generate:blocksworld?count=3&blocks=4&length=2', '--strategy', 'bfs', '--width', 'all', '--json', '--db', db]));
    assert.equal((await runCli(['train-value', run.runId, '-o', strips, '--db', db])).code, 0);
    assertUsageFailure(await runCli(['run', 'game24', '--tasks', 'puzzle:4 4 6 8', '--scorer', `learned:${strips}`, '--db', ':memory:']), 'run', [/learned scorer was trained on strips runs and cannot score game24 steps/]);
    assertUsageFailure(await runCli(['train-value', run.runId, '--db', db]), 'train-value', [/-o <value.json> is required/]);
    assertUsageFailure(await runCli(['train-value', run.runId, '-o', join(dir, 'missing', 'v.json'), '--db', db]), 'train-value', [/cannot write .*: the folder .*missing does not exist/]);
    // A sampling log whose one sample is empty: a tree with no step at all.
    const log = join(dir, 'empty-sample.json');
    writeFileSync(log, JSON.stringify([{ idx: 900, ys: [''], infos: [{ r: 0 }] }]));
    const imported = parseJsonLine(await runCli(['import', 'tot', log, '--csv', '../shared/data/tot/24.csv', '--json', '--db', db]));
    const empty = await runCli(['train-value', imported.runId, '-o', join(dir, 'none.json'), '--db', db]);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /^stepwise train-value: the runs hold no step with a Monte Carlo value/m);
    assert.match(empty.stderr, /hint: train on runs whose trees hold valid steps/);
    assert.doesNotMatch(empty.stderr, /--unfinished failure/, 'failure is already the default');
  });
});
