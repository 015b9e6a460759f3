import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { collectProvenance } from '../../src/replay/provenance.ts';
import { enumerateProposer } from '../../src/propose/enumerate.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { game24ModelScript } from '../../src/testing/game24-model.ts';
import { parseJsonLine, REPO_ROOT, runCli, tempDb, tempDir } from '../cli/cli-process.ts';
import { STEPWISE_VERSION } from '../../src/core/version.ts';

describe('run provenance', () => {
  let server: FakeOpenAIServer;
  before(async () => {
    server = await startFakeOpenAIServer({ script: game24ModelScript() });
  });
  after(() => server.close());

  test('every run records versions, settings, prompts with hashes, models, the machine and the git commit; show --provenance prints them', async () => {
    const db = tempDb();
    const model = `openai-compatible:${server.url}#fake-gpt`;
    const args = ['run', 'game24', '--tasks', 'puzzle:4 4 6 8', '--model', model, '--mode', 'list', '--scorer', 'value', '--temperature', '0.3', '--seed', '7', '--db', db, '--json'];
    const { runId } = parseJsonLine(await runCli(args));
    const store = openSqliteStore(db, { readonly: true });
    const { run } = await store.getRun(runId);
    await store.close();
    const p = run.provenance!;
    assert.equal(run.stepwiseVersion, STEPWISE_VERSION);
    assert.deepEqual(run.env, { name: 'game24', version: '2' });
    assert.equal(run.seed, 7);
    assert.equal(p.node, process.version);
    assert.equal(p.platform, process.platform);
    assert.equal(p.gitCommit, execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim());
    assert.equal(typeof p.gitDirty, 'boolean');
    assert.deepEqual(p.argv, args);
    assert.ok(p.prompts.length >= 2 && p.prompts.every((t) => /^[0-9a-f]{64}$/.test(t.sha256)), JSON.stringify(p.prompts));
    assert.ok(p.prompts.some((t) => t.name.includes('propose')) && p.prompts.some((t) => t.name.includes('value')));
    assert.deepEqual(p.models.map((m) => m.spec), [model, model]);
    assert.equal(p.models[0].params.temperature, 0.3);
    assert.deepEqual(p.recipe?.model, { spec: model, mode: 'list', temperature: 0.3 });
    assert.equal(p.recipe?.strategy, 'greedy');

    const shown = await runCli(['show', runId, '--provenance', '--db', db]);
    assert.equal(shown.code, 0, shown.stderr);
    for (const line of [/^stepwise\s+\d+\.\d+\.\d+/m, /^environment\s+game24 v2/m, /^seed\s+7/m, new RegExp(`^git\\s+${p.gitCommit}`, 'm'), /^node\s+v\d+/m, /^\s+\S*propose\S*\s+sha256 [0-9a-f]{64}/m, /^models\s+openai-compatible:/m]) {
      assert.match(shown.stdout, line);
    }
    assert.deepEqual(parseJsonLine(await runCli(['show', runId, '--provenance', '--json', '--db', db])).provenance, p);
  });

  test('outside a git work tree the commit and dirty flag are null, and the run goes on', () => {
    const p = collectProvenance({ proposer: enumerateProposer(), scorers: [], cwd: tempDir(), argv: [] });
    assert.equal(p.gitCommit, null);
    assert.equal(p.gitDirty, null);
    assert.deepEqual(p.prompts, []);
    assert.deepEqual(p.models, []);
  });
});
