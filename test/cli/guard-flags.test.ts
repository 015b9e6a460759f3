import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCommand } from '../../src/cli/run.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { assertUsageFailure, parseJsonLine, runCli, tempDir } from './cli-process.ts';

const TASKS = 'generate:blocksworld?count=1&blocks=3&length=2';

test('run --guard and --policy: a bad guard name, policy file or combination is refused before anything is recorded', async () => {
  const dir = tempDir();
  const db = join(dir, 'runs.db');
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'outside: { write: maybe }\n');
  // One as a user sees it (exit 2, one line, no stack); the rest in this process, where the same command throws the same error.
  assertUsageFailure(await runCli(['run', 'strips', '--tasks', TASKS, '--guard', 'policy,nope', '--db', db]), 'run', [/--guard must be a comma list of policy, flow, judged; got "policy,nope"/]);
  const run = (...flags: string[]) => runCommand.run(['strips', '--tasks', TASKS, ...flags, '--db', db]);
  await assert.rejects(run('--guard', 'policy', '--policy', join(dir, 'missing.yaml')), /cannot read the guard policy .*missing\.yaml: no such file/);
  await assert.rejects(run('--guard', 'flow', '--policy', bad), /the guard policy .*bad\.yaml is not a valid guard policy: outside\.write/);
  await assert.rejects(run('--policy', bad), /--policy applies to guards, but no --guard was given/);
  await assert.rejects(run('--guard', 'flow,flow'), /--guard names flow twice/);
  await assert.rejects(run('--guard', 'judged'), /--guard judged is a model judge, but no model is configured/);
  await assert.rejects(run('--max-worlds', '0'), /--max-worlds must be/);
  assert.equal(existsSync(db), false, 'nothing was recorded');
});

test('run --guard policy,flow --policy records the chain (the policy inline, its workspace absolute) and --max-worlds in the recipe', async () => {
  const dir = tempDir();
  const db = join(dir, 'runs.db');
  const policy = join(dir, 'policy.yaml');
  writeFileSync(policy, 'workspace: ./project\nsensitive: ["**/.env"]\n');
  const result = parseJsonLine(await runCli(['run', 'strips', '--tasks', TASKS, '--guard', 'policy,flow', '--policy', policy, '--max-worlds', '3', '--json', '--db', db]));
  assert.equal(result.solved, 1);
  const store = openSqliteStore(db, { readonly: true });
  try {
    const { run } = await store.getRun(result.runId);
    const recipe = run.provenance!.recipe!;
    const rules = { workspace: join(dir, 'project'), sensitive: ['**/.env'] };
    assert.deepEqual(recipe.guards, [{ name: 'policy', options: { rules } }, { name: 'flow', options: { rules } }]);
    assert.equal(recipe.maxWorlds, 3);
  } finally {
    await store.close();
  }
  // Without --policy, the built-in policy with the working folder as its workspace, so a resume elsewhere means the same.
  const plain = parseJsonLine(await runCli(['run', 'strips', '--tasks', TASKS, '--guard', 'flow', '--json', '--db', db], { cwd: dir }));
  const again = openSqliteStore(db, { readonly: true });
  try {
    assert.deepEqual((await again.getRun(plain.runId)).run.provenance!.recipe!.guards, [{ name: 'flow', options: { workspace: dir } }]);
  } finally {
    await again.close();
  }
});
