import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { assertUsageFailure, parseJsonLine, PLANBENCH, runCli, tempDb } from './cli-process.ts';
import { NEEDS_SHARED_DATA } from '../shared-data.ts';

/** The shortest prefix of `id` that no other id starts with, plus one character. */
function uniquePrefix(id: string, others: string[]): string {
  for (let n = 2; n <= id.length; n++) if (!others.some((o) => o.startsWith(id.slice(0, n)))) return id.slice(0, Math.min(n + 1, id.length));
  return id;
}

describe('stepwise runs and show', { concurrency: true, skip: NEEDS_SHARED_DATA }, () => {
  const db = tempDb();
  let strips: Record<string, any>;
  let game24: Record<string, any>;
  before(async () => {
    strips = parseJsonLine(await runCli(['run', 'strips', '--tasks', `${PLANBENCH}/instances`, '--json', '--db', db]));
    game24 = parseJsonLine(await runCli(['run', 'game24', '--tasks', 'puzzle:4 4 6 8', '--strategy', 'dfs', '--json', '--db', db]));
  });

  it('runs lists both runs newest first; --json parses with the same ids', async () => {
    const text = await runCli(['runs', '--db', db]);
    assert.equal(text.code, 0);
    const rows = text.stdout.split('\n').filter((line) => line.startsWith(`${game24.runId} `) || line.startsWith(`${strips.runId} `));
    assert.deepEqual(rows.map((r) => r.split(/\s+/)[0]), [game24.runId, strips.runId]);
    assert.match(rows[1], /strips +bfs +42 +42 +0 +0 +0 .* completed$/);
    const json = await runCli(['runs', '--json', '--db', db]);
    const runs = JSON.parse(json.stdout);
    assert.deepEqual(runs.map((r: { run: { id: string } }) => r.run.id), [game24.runId, strips.runId]);
    assert.equal(runs[1].results.length, 42);
    const limited = JSON.parse((await runCli(['runs', '--json', '--limit', '1', '--db', db])).stdout);
    assert.equal(limited.length, 1);
  });

  it('show <prefix> resolves the run and lists its tasks with a pointer to one tree', async () => {
    const prefix = uniquePrefix(strips.runId, [game24.runId]);
    const { code, stdout } = await runCli(['show', prefix, '--db', db]);
    assert.equal(code, 0);
    assert.match(stdout, new RegExp(`^run ${strips.runId} · strips`));
    assert.equal(stdout.match(/^instance-\d+ +solved +\d+/gm)?.length, 42);
    assert.match(stdout, new RegExp(`Next: stepwise show ${strips.runId} --task instance-1 --db ${db}$`, 'm'));
  });

  it('show latest --task prints the tree with the chosen path marked and the solution', async () => {
    const json = await runCli(['show', strips.runId, '--task', 'instance-1', '--json', '--db', db]);
    const tree = JSON.parse(json.stdout);
    const plan: string[] = tree.result.plan;
    assert.ok(plan.length > 0);

    const { code, stdout } = await runCli(['show', 'latest', '--task', 'puzzle-4-4-6-8', '--db', db]);
    assert.equal(code, 0);
    assert.match(stdout, /^outcome: solved in 3 steps/m);
    const strip = await runCli(['show', strips.runId, '--task', 'instance-1', '--max-nodes', '1000', '--db', db]);
    assert.match(strip.stdout, new RegExp(`^solution: ${plan.map((s, i) => `${i + 1}\\. ${s.replace(/[()]/g, '\\$&')}`).join('  ')}$`, 'm'));
    // The chosen path: `*` from the root, one level deeper each line, ending at the solution node.
    const lines = strip.stdout.split('\n');
    const path = lines.filter((line) => /^ *\* /.test(line) || line.includes('← solution'));
    assert.deepEqual(
      path.map((line) => line.trim().split('  ')[0]),
      ['* (start)', ...plan.slice(0, -1).map((s) => `* ${s}`), `✓ ${plan.at(-1)}`],
    );
    assert.deepEqual(path.map((line) => line.search(/\S/)), path.map((_, depth) => depth * 2));
    assert.ok(lines.indexOf(path[0]) < lines.indexOf(path[1]) && lines.indexOf(path.at(-2)!) + 1 === lines.indexOf(path.at(-1)!), 'each path node is its parent\'s first child');
    assert.equal(lines.filter((line) => line.includes('← solution')).length, 1);
  });

  it('show --task --json has the stored tree: task, result and every node', async () => {
    const result = await runCli(['show', 'latest', '--task', 'puzzle-4-4-6-8', '--json', '--db', db]);
    const tree = parseJsonLine(result);
    assert.equal(tree.task.taskId, 'puzzle-4-4-6-8');
    assert.equal(tree.nodes.length, game24.nodes);
    assert.equal(tree.result.nodes, game24.nodes);
    assert.equal(tree.nodes.filter((n: { parentId: string | null }) => n.parentId === null).length, 1);
    assert.ok(tree.nodes.some((n: { id: string; success: boolean }) => n.id === tree.result.solutionNodeId && n.success));
    const run = parseJsonLine(await runCli(['show', game24.runId, '--json', '--db', db]));
    assert.equal(run.run.id, game24.runId);
    assert.equal(run.taskRecords.length, 1);
  });

  it('an unknown run exits 2 and lists the recorded runs', async () => {
    assertUsageFailure(await runCli(['show', 'rzzzz', '--db', db]), 'show', [/No run .* has an id starting with "rzzzz"/, new RegExp(strips.runId), new RegExp(game24.runId)]);
  });

  it('an unknown task exits 2 and lists the run\'s tasks', async () => {
    assertUsageFailure(await runCli(['show', strips.runId, '--task', 'instance-999', '--db', db]), 'show', [/No task instance-999/, /instance-1, instance-2/]);
  });

  it('a store that does not exist exits 2 and says so', async () => {
    assertUsageFailure(await runCli(['show', 'latest', '--db', tempDb()]), 'show', [/No store file at/]);
    assertUsageFailure(await runCli(['runs', '--db', tempDb()]), 'runs', [/No store file at/]);
  });
});

describe('stepwise demo', () => {
  it('searches offline, prints the summary and a "Next:" whose commands work, and records 3 runs', async () => {
    const db = tempDb();
    const demo = await runCli(['demo', '--db', db]);
    assert.equal(demo.code, 0, demo.stderr);
    assert.doesNotMatch(demo.stderr, /Warning/);
    assert.match(demo.stdout, /^run +tasks +solved +unsolvable +budget +failed +mean plan +expansions +wall$/m);
    for (const label of ['blocksworld · bfs', 'blocksworld · mcts', 'game of 24 · dfs']) assert.match(demo.stdout, new RegExp(`^${label} \\(r[0-9a-z]+\\) +\\d+`, 'm'));
    assert.match(demo.stdout, new RegExp(`Recorded in ${db}\\. Next:`));
    const runs = await runCli(['runs', '--json', '--db', db]);
    assert.equal(JSON.parse(runs.stdout).length, 3);
    const show = /npx stepwise (show .*)$/m.exec(demo.stdout);
    assert.ok(show, demo.stdout);
    const shown = await runCli(show[1].split(' '));
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^outcome: /m);
  });
});
