import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { REPO_ROOT } from '../cli/cli-process.ts';

/**
 * A folder outside the repository, as a user's project would be, where `stepwise` and `zod` resolve: `stepwise`
 * is a package whose `src` links to this checkout (so the CLI and the plug-in share one module graph), `zod` links
 * to the repository's. Removed when the test file ends.
 */
export function userFolder(files: Record<string, string> = {}, copyFrom?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-user-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const pkg = join(dir, 'node_modules', 'stepwise-agents');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'stepwise-agents', type: 'module', exports: { '.': './src/index.ts', './testing': './src/testing/index.ts' } }));
  symlinkSync(join(REPO_ROOT, 'src'), join(pkg, 'src'), 'dir');
  symlinkSync(join(REPO_ROOT, 'node_modules', 'zod'), join(dir, 'node_modules', 'zod'), 'dir');
  if (copyFrom) cpSync(copyFrom, dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Splits a command line as a shell would for the simple cases a guide holds: words and "double-quoted" words. */
export function shellWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}
