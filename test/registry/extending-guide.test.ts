import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, runCli } from '../cli/cli-process.ts';
import { shellWords, userFolder } from './plugin-folder.ts';

const GUIDE = readFileSync(join(REPO_ROOT, 'docs', 'extending.md'), 'utf8');
const EXAMPLE_DIR = join(REPO_ROOT, 'examples', 'plugins', 'kv-store');
/** ```<lang> file=<name> blocks: the guide's files. */
const FILES = Object.fromEntries([...GUIDE.matchAll(/```\w+ file=(\S+)\n([\s\S]*?)```/g)].map((m) => [m[1], m[2]]));
/** ```sh run blocks: the commands the guide tells a user to type, in order. */
const COMMANDS = [...GUIDE.matchAll(/```sh run\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n').filter((line) => line.startsWith('stepwise ')));

describe('docs/extending.md', () => {
  it('holds the example plug-in files exactly (the repository type-checks them in examples/plugins/kv-store)', () => {
    assert.deepEqual(Object.keys(FILES).sort(), readdirSync(EXAMPLE_DIR).sort());
    for (const [name, text] of Object.entries(FILES)) assert.equal(text, readFileSync(join(EXAMPLE_DIR, name), 'utf8'), `${name} differs from the guide`);
  });

  it("runs every command of the guide in a user's folder outside the repository, and the guide's own test", async () => {
    const dir = userFolder(FILES);
    assert.ok(COMMANDS.length >= 5, 'the guide shows its commands');
    const outputs: string[] = [];
    for (const command of COMMANDS) {
      const result = await runCli(shellWords(command).slice(1), { cwd: dir });
      assert.equal(result.code, 0, `${command}\n${result.stderr}`);
      outputs.push(result.stdout);
    }
    // Both runs of the plug-in's environment (its strategy and scorer, then bfs) solve every task.
    for (const output of outputs.slice(0, 2)) assert.match(output, /\s3\s+3\s+0\s+0\s+0\s/);
    assert.match(outputs.join('\n'), /identical: run \w+ replayed offline step for step/);
    assert.ok(readFileSync(join(dir, 'kv-sft.jsonl'), 'utf8').includes('Make the store hold exactly'), 'the export rebuilt the prompts of the plug-in environment');
    assert.ok(readdirSync(join(dir, 'evals')).some((name) => name.endsWith('.html')), 'the eval wrote its report');
    const test = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'node'), ['--test', 'kv.test.ts'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_TEST_CONTEXT: undefined } });
    assert.equal(test.status, 0, `${test.stdout}\n${test.stderr}`);
    assert.ok(existsSync(join(dir, '.stepwise', 'traces.db')));
  });
});
