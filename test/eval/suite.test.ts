import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { UsageError } from '../../src/core/errors.ts';
import { defaultEvalId, epochSeed, loadSuite, parseSuite } from '../../src/eval/suite.ts';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-suite-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const minimal = { name: 's', tasks: [{ name: 't', env: 'game24', tasks: 'puzzle:4 4 6 8' }], configs: [{ name: 'c', strategy: 'bfs' }] };

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof UsageError, String(error));
    return error.message;
  }
  assert.fail('expected a UsageError');
}

describe('suite validation', () => {
  test('defaults fill in epochs, seed, reducers, and derived key nodes', () => {
    const suite = parseSuite(minimal);
    assert.equal(suite.epochs, 1);
    assert.equal(suite.seed, 0);
    assert.deepEqual(suite.reducers, ['mean', 'max', 'majority']);
    assert.deepEqual(suite.tasks[0].keyNodes, { derive: true, all: [], byTask: {} });
  });

  test('every bad field is named by its path', () => {
    const message = usageMessage(() =>
      parseSuite({
        ...minimal,
        epochs: 0,
        tasks: [{ name: 't', env: 'game24', tasks: 'puzzle:4 4 6 8', keyNodes: { all: [{ type: 'regex', pattern: '(' }, { type: 'facts' }] } }],
        configs: [{ name: 'c', strategy: 'bfs', budget: { expansions: -1, timeLimit: 'soon' } }, { name: 'c', strategy: 'mcts', colour: 'red' }],
      }, 'my.yaml'),
    );
    assert.match(message, /^my\.yaml is not a valid suite:/);
    assert.match(message, /epochs: /);
    assert.match(message, /tasks\.0\.keyNodes\.all\.0\.pattern: not a valid regular expression/);
    assert.match(message, /tasks\.0\.keyNodes\.all\.1: give exactly one of contains or anyOf/);
    assert.match(message, /configs\.0\.budget\.expansions: /);
    assert.match(message, /configs\.0\.budget\.timeLimit: expected a duration like 30s/);
    assert.match(message, /configs\.1: Unrecognized key: "colour"|configs\.1.*colour/);
    // Cross-field checks run once every field is valid.
    assert.match(usageMessage(() => parseSuite({ ...minimal, configs: [{ name: 'c', strategy: 'bfs' }, { name: 'c', strategy: 'dfs' }] })), /configs\.1\.name: duplicate name "c"/);
  });

  test('pass@k needs k epochs; WebCanvas entries are checked too', () => {
    assert.match(usageMessage(() => parseSuite({ ...minimal, reducers: ['pass@3'], epochs: 2 })), /reducers: pass@3 needs at least 3 epochs/);
    assert.match(usageMessage(() => parseSuite({ ...minimal, reducers: ['median'] })), /reducers\.0: a reducer is mean, max, majority or pass@k/);
    const webCanvas = { ...minimal, tasks: [{ ...minimal.tasks[0], keyNodes: { all: [{ match_function_name: 'final_answer_exact_match' }] } }] };
    assert.match(usageMessage(() => parseSuite(webCanvas)), /tasks\.0\.keyNodes\.all\.0\.content: /);
  });
});

describe('loading suites', () => {
  test('YAML, with a message naming the file for bad YAML', async () => {
    const path = join(dir, 'suite.yaml');
    writeFileSync(path, 'name: y\nepochs: 3\ntasks:\n  - { name: t, env: strips, tasks: "generate:blocksworld?count=2" }\nconfigs:\n  - { name: c, strategy: greedy, budget: { timeLimit: 2s } }\n');
    const suite = await loadSuite(path);
    assert.equal(suite.epochs, 3);
    assert.equal(suite.configs[0].budget.timeLimit, 2000);
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'name: [unclosed\n');
    await assert.rejects(loadSuite(broken), /broken\.yaml is not valid YAML/);
    await assert.rejects(loadSuite(join(dir, 'missing.yaml')), /cannot read the suite .*missing\.yaml: no such file/);
  });

  test('a TypeScript module whose default export is the suite', async () => {
    const path = join(dir, 'suite.ts');
    writeFileSync(path, `const epochs: number = 2;\nexport default { name: 'ts-suite', epochs, tasks: [{ name: 't', env: 'game24', tasks: 'puzzle:4 4 6 8' }], configs: [{ name: 'c', strategy: 'dfs' }] };\n`);
    const suite = await loadSuite(path);
    assert.equal(suite.name, 'ts-suite');
    assert.equal(suite.epochs, 2);
  });

  test('the default eval id changes when the suite does; epoch seeds are fixed and distinct', () => {
    const a = defaultEvalId(parseSuite(minimal));
    assert.equal(defaultEvalId(parseSuite(minimal)), a);
    assert.notEqual(defaultEvalId(parseSuite({ ...minimal, epochs: 2 })), a);
    assert.match(a, /^s-[0-9a-f]{8}$/);
    const seeds = [1, 2, 3, 4].map((e) => epochSeed(7, e));
    assert.equal(new Set(seeds).size, 4);
    assert.deepEqual([1, 2, 3, 4].map((e) => epochSeed(7, e)), seeds);
  });

  test('a value model retrained at the same path makes a new default eval id (its runs are not reused)', () => {
    const model = join(dir, 'value.json');
    const suite = parseSuite({ ...minimal, configs: [{ name: 'c', strategy: 'mcts', scorers: [`learned:${model}`] }] });
    writeFileSync(model, '{"weights": 1}');
    const first = defaultEvalId(suite);
    assert.equal(defaultEvalId(suite), first);
    writeFileSync(model, '{"weights": 2}');
    assert.notEqual(defaultEvalId(suite), first);
    assert.equal(defaultEvalId(parseSuite(minimal)), defaultEvalId(parseSuite(minimal)), 'suites without a value model keep their ids');
  });
});
