import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, parseJsonLine, runCli } from '../cli/cli-process.ts';
import { runAndKillAfterProgress } from '../replay/kill-cli.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { userFolder } from './plugin-folder.ts';

/** A plug-in in plain JavaScript that imports nothing of stepwise: an environment and a key-node type. */
const COUNTER_PLUGIN = `import { z } from 'zod';

const counter = {
  name: 'counter',
  version: '1',
  actionSchema: z.object({ add: z.number().int().min(1).max(2) }).strict(),
  formatAction: (action) => '+' + action.add,
  parseAction(text) {
    const match = /^\\s*\\+?\\s*([12])\\s*$/.exec(text);
    if (!match) throw new Error('"' + text + '" is not +1 or +2');
    return { add: Number(match[1]) };
  },
  load(task) {
    const target = task.spec.target;
    return {
      initialState: { n: 0 },
      goalText: 'count to ' + target,
      step(state, action) {
        const n = state.n + action.add;
        if (n > target) return { state, observation: 'too far', reward: 0, done: false, success: false, check: { valid: false, reason: n + ' is past ' + target } };
        return { state: { n }, observation: 'n=' + n, reward: n === target ? 1 : 0, done: n === target, success: n === target, check: { valid: true } };
      },
      legalActions: (state) => [1, 2].filter((add) => state.n + add <= target).map((add) => ({ add })),
      render: (state) => 'n=' + state.n,
      stateKey: (state) => String(state.n),
      heuristic: (state) => state.n / target,
    };
  },
};

export default {
  name: 'counter',
  version: '0.2.0',
  environments: [{
    env: counter,
    describe: 'count up to a target by +1 and +2',
    taskSpecs: ['count:4,6'],
    loadTasks: (spec) => spec.replace(/^count:/, '').split(',').map((t) => ({ id: 'count-' + t, env: 'counter', source: spec, spec: { target: Number(t) } })),
  }],
  keyNodeMatchers: [{
    name: 'reaches',
    describe: 'the counter shows a value',
    options: z.object({ type: z.literal('reaches'), value: z.number().int() }).strict(),
    create: (node) => ({ score: (step) => (step.state === 'n=' + node.value ? 1 : 0) }),
  }],
};
`;

const COUNTER_SUITE = `name: counting
tasks:
  - name: counts
    env: counter
    tasks: count:4,6
    keyNodes:
      byTask:
        count-4: [{ type: reaches, value: 4 }]
        count-6: [{ type: reaches, value: 6 }]
configs:
  - { name: bfs, strategy: bfs }
  - { name: dfs, strategy: dfs }
`;

describe('a plug-in written outside the repository, from the CLI', () => {
  it('.mjs: runs with two strategies, is evaluated by a suite with its key-node type, exported and replayed; without it, replay names it', async () => {
    const dir = userFolder({ 'counter.mjs': COUNTER_PLUGIN, 'suite.yaml': COUNTER_SUITE });
    const cli = (args: string[]) => runCli(args, { cwd: dir });
    for (const strategy of ['bfs', 'dfs']) {
      const run = parseJsonLine(await cli(['run', 'counter', '--plugin', './counter.mjs', '--tasks', 'count:4,6,9', '--strategy', strategy, '--json']));
      assert.deepEqual([run.env, run.strategy, run.solved, run.tasks], ['counter', strategy, 3, 3]);
    }
    const evaluation = parseJsonLine(await cli(['eval', 'suite.yaml', '--plugin', './counter.mjs', '--json', '--out', 'evals']));
    assert.deepEqual(evaluation.configs.map((c: { name: string; keySuccess: number }) => [c.name, c.keySuccess]), [['bfs', 1], ['dfs', 1]]);

    const exported = await cli(['export', 'latest', '--format', 'jsonl', '--json', '-o', 'tree.jsonl']);
    assert.equal(exported.code, 0, exported.stderr);
    const replayed = await cli(['replay', 'latest']);
    assert.equal(replayed.code, 0, replayed.stderr);
    assert.match(replayed.stdout, /identical/);

    renameSync(join(dir, 'counter.mjs'), join(dir, 'counter-moved.mjs'));
    const missing = await cli(['replay', 'latest']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /needs plug-in "counter" 0\.2\.0 \(loaded from .*counter\.mjs\), which cannot be loaded: no plug-in file/);
    assert.match(missing.stderr, /hint: pass --plugin <file\|package>/);
    const given = await cli(['replay', 'latest', '--plugin', './counter-moved.mjs']);
    assert.equal(given.code, 0, given.stderr);
  });

  it('.ts: a run killed with SIGKILL resumes (loading the plug-in from its recipe) to the run an uninterrupted one gives, and forks', async () => {
    const dir = userFolder({}, join(REPO_ROOT, 'examples', 'plugins', 'kv-store'));
    const db = join(dir, 'kill.db');
    const args = ['run', 'kv', '--plugin', './kv-plugin.ts', '--tasks', 'generate:kv?count=40&keys=3&seed=2', '--strategy', 'bfs', '--width', 'all', '--db', db];
    const outcome = await runAndKillAfterProgress(args, db, 100, 60_000, dir);
    assert.ok(outcome.killed, `the run was killed mid-way (stderr: ${outcome.stderr})`);
    const resumed = await runCli(['resume', 'latest', '--db', db], { cwd: join(dir, 'node_modules') });
    assert.equal(resumed.code, 0, resumed.stderr);
    // Replay rebuilds the whole run from its recipe and seed and compares every node and candidate.
    const replayed = await runCli(['replay', 'latest', '--db', db], { cwd: dir });
    assert.equal(replayed.code, 0, replayed.stderr);
    assert.match(replayed.stdout, /identical: .*40 task\(s\)/);

    const store = openSqliteStore(db, { readonly: true });
    const { run } = await store.getRun('latest');
    const [task] = await store.getTasks(run.id);
    const node = (await store.getTree(run.id, task.taskId)).nodes.find((n) => n.depth === 1 && n.check.valid && !n.terminal)!;
    await store.close();
    const forked = parseJsonLine(await runCli(['fork', node.id, '--strategy', 'best-first', '--db', db, '--json'], { cwd: dir }));
    assert.equal(forked.solved, 1);
  });
});
