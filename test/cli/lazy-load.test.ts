// Start-up stays instant only while a command loads nothing it does not use (bench/startup.ts measures the time;
// this checks the cause, which does not vary with the machine's load).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { REPO_ROOT, tempDb, tempDir } from './cli-process.ts';

const NODE = join(REPO_ROOT, 'node_modules', '.bin', 'node');
const BIN = join(REPO_ROOT, 'bin', 'stepwise.js');

/** The repo files and packages a CLI call loads, from a module hook that reports every resolved URL. */
function modulesLoadedBy(args: string[]): { files: string[]; packages: string[] } {
  const dir = tempDir();
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(hooks, `export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  process.stderr.write('LOADED ' + resolved.url + '\\n');
  return resolved;
}\n`);
  const register = join(dir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const result = spawnSync(NODE, ['--import', register, BIN, ...args], { cwd: REPO_ROOT, env, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const urls = [...result.stderr.matchAll(/^LOADED (file:\S+)$/gm)].map((match) => match[1]);
  const root = pathToFileURL(REPO_ROOT).href;
  const files = urls.filter((url) => url.startsWith(root) && !url.includes('/node_modules/')).map((url) => url.slice(root.length));
  const packages = urls.filter((url) => url.includes('/node_modules/')).map((url) => url.split('/node_modules/').at(-1)!.split('/').slice(0, 2).join('/'));
  return { files: [...new Set(files)], packages: [...new Set(packages)] };
}

describe('CLI start-up loads only what the command uses', { concurrency: true }, () => {
  it('--help loads the command table and nothing else: no command module, no package', () => {
    const { files, packages } = modulesLoadedBy(['--help']);
    assert.deepEqual(files.filter((file) => file.startsWith('src/')).sort(), ['src/cli/main.ts', 'src/core/errors.ts', 'src/core/version.ts']);
    assert.deepEqual(packages, []);
  });

  it('runs loads the store and its own module: no search, models, eval or viewer, and no package (the AI SDK, zod)', async () => {
    const db = tempDb();
    await openSqliteStore(db).close();
    const { files, packages } = modulesLoadedBy(['runs', '--db', db]);
    assert.ok(files.includes('src/cli/runs.ts'));
    assert.deepEqual(files.filter((file) => /^src\/(search|models|eval|view|envs|propose|score|feedback|people)\//.test(file)), []);
    assert.deepEqual(packages, []);
  });
});
