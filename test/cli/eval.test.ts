import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { openStore } from '../../src/store/index.ts';
import { assertUsageFailure, parseJsonLine, REPO_ROOT, runCli, tempDir } from './cli-process.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

const EXAMPLE = 'examples/suites/planbench-24.yaml';

describe('stepwise eval', () => {
  test('the example suite over PlanBench and Game of 24 writes the report and summary, tags every run, and a rerun redoes nothing', { skip: NEEDS_SHARED_DATA }, async () => {
    const dir = tempDir();
    const db = join(dir, 'traces.db');
    const out = join(dir, 'evals');
    const first = await runCli(['eval', EXAMPLE, '--limit', '2', '--epochs', '2', '--db', db, '--out', out, '--json']);
    const summary = parseJsonLine(first);
    assert.equal(summary.complete, true);
    assert.equal(summary.reused, 0);
    // 6 configurations × 2 epochs × 2 task sets.
    assert.equal(summary.ran, 24);
    assert.deepEqual(summary.configs.map((c: { name: string }) => c.name), ['greedy-10', 'greedy-40', 'beam-10', 'beam-40', 'mcts-10', 'mcts-40']);
    for (const config of summary.configs) assert.equal(config.samples, 8, '2 epochs × (2 + 2 tasks)');
    const html = readFileSync(resolve(REPO_ROOT, summary.report), 'utf8');
    assert.match(html, /^<!doctype html>/);
    const json = JSON.parse(readFileSync(resolve(REPO_ROOT, summary.summary), 'utf8'));
    assert.equal(json.format, 'stepwise.eval-summary/1');
    assert.equal(json.tasks.length, 4);
    assert.equal(json.comparisons.length, 15);

    const store = openStore(db);
    try {
      const runs = await store.listRuns();
      assert.equal(runs.length, 24);
      for (const { run } of runs) {
        assert.equal(run.tags?.eval, summary.evalId);
        assert.equal(run.tags?.suite, 'planbench-24');
        assert.ok(['1', '2'].includes(run.tags?.epoch ?? ''));
      }
    } finally {
      await store.close();
    }

    const again = await runCli(['eval', EXAMPLE, '--limit', '2', '--epochs', '2', '--db', db, '--out', out]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /continuing planbench-24-[0-9a-f]{8}: 24 of 24 runs already complete/);
    assert.match(again.stdout, /^config +strategy +samples +solved/m);
    assert.match(again.stdout, /Report: .*\.html/);

    // The store alone rebuilds the report: the same page but for the time it was generated.
    const listed = parseJsonLine(await runCli(['eval', '--list', '--db', db, '--json']));
    assert.deepEqual(Object.values(listed).map((e: any) => [e.evalId, e.runs, e.completedRuns]), [[summary.evalId, 24, 24]]);
    const rebuilt = parseJsonLine(await runCli(['eval', '--report', summary.evalId, '--db', db, '--out', join(dir, 'again'), '--json']));
    const stamp = /generated [^<]+/;
    assert.equal(readFileSync(rebuilt.report, 'utf8').replace(stamp, ''), readFileSync(resolve(REPO_ROOT, summary.report), 'utf8').replace(stamp, ''));
    assertUsageFailure(await runCli(['eval', '--report', 'nope', '--db', db]), 'eval', [/no runs of eval "nope"/]);
  });

  test('a suite with a bad field fails before running, naming the file and the field', async () => {
    const dir = tempDir();
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, 'name: bad\ntasks:\n  - { name: t, env: game24, tasks: "puzzle:4 4 6 8" }\nconfigs:\n  - { name: c, strategy: bfs, budget: { expansions: zero } }\n');
    const result = await runCli(['eval', path, '--db', join(dir, 'x.db'), '--out', dir]);
    assertUsageFailure(result, 'eval', [/bad\.yaml is not a valid suite/, /configs\.0\.budget\.expansions/]);
    assert.equal(existsSync(join(dir, 'x.db')), false, 'nothing was recorded');
  });

  test('an unknown strategy and a missing suite are usage errors', async () => {
    const dir = tempDir();
    const path = join(dir, 'strategy.yaml');
    writeFileSync(path, 'name: s\ntasks:\n  - { name: t, env: game24, tasks: "puzzle:4 4 6 8" }\nconfigs:\n  - { name: c, strategy: astar }\n');
    assertUsageFailure(await runCli(['eval', path, '--db', join(dir, 'x.db'), '--out', dir]), 'eval', [/configuration "c": unknown strategy "astar"/]);
    assert.equal(existsSync(join(dir, 'x.db')), false, 'no store was created for a suite that cannot run');
    assertUsageFailure(await runCli(['eval', join(dir, 'nope.yaml')]), 'eval', [/cannot read the suite .*nope\.yaml/]);
    assertUsageFailure(await runCli(['eval']), 'eval', [/which suite/]);
  });

  test('a report folder that cannot be made is refused before any run', async () => {
    const dir = tempDir();
    const path = join(dir, 'ok.yaml');
    writeFileSync(path, 'name: ok\ntasks:\n  - { name: t, env: game24, tasks: "puzzle:4 4 6 8" }\nconfigs:\n  - { name: c, strategy: bfs }\n');
    // A file where the folder should be: mkdir fails with ENOTDIR.
    writeFileSync(join(dir, 'file'), '');
    const result = await runCli(['eval', path, '--db', join(dir, 'x.db'), '--out', join(dir, 'file', 'reports')]);
    assertUsageFailure(result, 'eval', [/cannot write reports to .*file\/reports/, /--out/]);
    assert.equal(existsSync(join(dir, 'x.db')), false, 'nothing was run');
  });
});
