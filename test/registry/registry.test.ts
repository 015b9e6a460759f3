import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { z } from 'zod';
import { UsageError } from '../../src/core/errors.ts';
import { inFlagTerms, parseScorerList } from '../../src/cli/component-flags.ts';
import { takePluginFlags } from '../../src/cli/plugins.ts';
import { environments } from '../../src/envs/registry.ts';
import { loadPluginModule } from '../../src/registry/load.ts';
import { definePlugin, registerPlugin } from '../../src/registry/plugin.ts';
import { createRegistry, OptionError, optionNames } from '../../src/registry/registry.ts';
import { numberOption } from '../../src/registry/options.ts';
import { scorers } from '../../src/recipe/components.ts';
import { createStrategy, strategies } from '../../src/search/strategies/index.ts';
import { graphEnvironment } from '../../src/testing/graph-env.ts';

const root = mkdtempSync(join(tmpdir(), 'stepwise-registry-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('registry', () => {
  it('validates options with the entry schema; errors name the component and the option, never a flag', () => {
    assert.throws(() => createStrategy('bfs', { width: 'abc' }), (error: unknown) => {
      assert.ok(error instanceof OptionError);
      assert.equal(error.message, 'option "width" of strategy bfs must be a whole number >= 1 or "all", got "abc"');
      assert.equal(error.option, 'width');
      assert.doesNotMatch(error.message, /--/);
      return true;
    });
    assert.throws(() => createStrategy('mcts', { width: 3 }), /option "width" of strategy mcts is not an option of mcts/);
    assert.throws(() => createStrategy('astar'), /unknown strategy "astar"[\s\S]*/);
  });

  it('reads the same option from a flag (text) and from a suite or recipe (JSON)', () => {
    assert.deepEqual(createStrategy('bfs', { width: '3', k: 'all' }).config, createStrategy('bfs', { width: 3, k: 'all' }).config);
    assert.deepEqual(strategies.parseOptions('mcts', { 'rollout-depth': '0', variant: 'puct' }), { 'rollout-depth': 0, variant: 'puct' });
    assert.deepEqual(optionNames(strategies.get('dfs').options), ['threshold', 'k']);
  });

  it('the CLI says option errors of strategies in flags, and leaves other errors as they are', () => {
    const error = (() => {
      try {
        createStrategy('mcts', { width: 3 });
      } catch (caught) {
        return caught as OptionError;
      }
      throw new Error('expected an error');
    })();
    const shown = inFlagTerms(error);
    assert.equal(shown.message, '--width does not apply to --strategy mcts');
    assert.match(shown.hint ?? '', /--simulations/);
    const other = new UsageError('something else');
    assert.equal(inFlagTerms(other), other);
  });

  it('refuses a second entry of the same name from another source, naming both', () => {
    const registry = createRegistry<number, void>('widget');
    registry.register({ name: 'a', describe: '', options: z.object({}), create: () => 1 });
    assert.throws(() => registry.register({ name: 'a', describe: '', options: z.object({}), create: () => 2 }, { name: 'p' }), /two widgets are named "a": one from stepwise itself, one from plug-in p/);
  });

  it('registers a plug-in into the registries the built-ins use, and records where each entry came from', () => {
    const plugin = definePlugin({
      name: 'graph-tools',
      version: '2.0.0',
      environments: [{ env: graphEnvironment, describe: 'a test graph', taskSpecs: ['-'], loadTasks: () => [] }],
      scorers: [{ name: 'constant', describe: 'always one value', options: z.object({ value: numberOption({ min: 0 }).default(0.5) }).strict(), create: ({ value }) => ({ name: 'constant', score: (_ctx, candidates) => candidates.map(() => value) }) }],
    });
    const ref = registerPlugin(plugin, '/somewhere/graph-tools.ts');
    assert.deepEqual(ref, { name: 'graph-tools', version: '2.0.0', specifier: '/somewhere/graph-tools.ts' });
    assert.equal(environments.get('graph').plugin?.name, 'graph-tools');
    assert.equal(environments.get('strips').plugin, undefined);
    assert.deepEqual(parseScorerList('heuristic,constant'), ['heuristic', 'constant']);
    assert.throws(() => scorers.create('constant', { value: -1 }, { client: null, model: null }), /option "value" of scorer constant must be a number >= 0, got -1/);
    assert.equal(registerPlugin(plugin, '/somewhere/graph-tools.ts'), ref, 'loading the same plug-in twice is harmless');
    assert.throws(() => registerPlugin({ ...plugin }, '/elsewhere/graph-tools.ts'), /two plug-ins are named "graph-tools"/);
    assert.throws(() => registerPlugin({ name: 'x', enviroments: [] } as never), /is not a stepwise plug-in: it has enviroments/);
  });

  it('loads a module and a config listing modules; says what is wrong with one that is not a plug-in', async () => {
    const dir = join(root, 'config');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'one.mjs'), "export default { name: 'one', scorers: [] };\n");
    writeFileSync(join(dir, 'stepwise.config.mjs'), "export default { plugins: ['./one.mjs', { name: 'inline' }] };\n");
    writeFileSync(join(dir, 'nothing.mjs'), 'export const x = 1;\n');
    const refs = await loadPluginModule('stepwise.config.mjs', { cwd: dir });
    assert.deepEqual(refs.map((r) => [r.name, r.specifier]), [['one', join(dir, 'one.mjs')], ['inline', join(dir, 'stepwise.config.mjs')]]);
    await assert.rejects(loadPluginModule('./nothing.mjs', { cwd: dir }), /nothing\.mjs has no default export/);
    await assert.rejects(loadPluginModule('./absent.ts', { cwd: dir }), /no plug-in file at \.\/absent\.ts/);
    await assert.rejects(loadPluginModule('no-such-stepwise-plugin', { cwd: dir }), /cannot find the plug-in package "no-such-stepwise-plugin"/);
  });

  it('refuses a .ts plug-in inside node_modules, which Node does not strip types from', async () => {
    const dir = join(root, 'node_modules', 'ts-plugin');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.ts'), "export default { name: 'ts' };\n");
    await assert.rejects(loadPluginModule(join(dir, 'index.ts')), /TypeScript file inside node_modules[\s\S]*/);
  });

  it('takes --plugin flags from anywhere on the command line', () => {
    assert.deepEqual(takePluginFlags(['run', 'kv', '--plugin', 'a.ts', '--tasks', 'x', '--plugin=b.mjs']), { specifiers: ['a.ts', 'b.mjs'], rest: ['run', 'kv', '--tasks', 'x'] });
    assert.throws(() => takePluginFlags(['--plugin']), /--plugin needs a file or package/);
  });
});
