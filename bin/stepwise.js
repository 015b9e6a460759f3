#!/usr/bin/env node
// Entry point for `npx stepwise`. The sources are TypeScript run through Node's type
// stripping, which needs Node >= 22.18; on an older system Node we re-run ourselves
// with the Node the repo installs as a dev dependency (package `node`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
const supported = major > 22 || (major === 22 && minor >= 18);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (!supported) {
  const bundled = join(root, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(bundled)) {
    console.error(
      `stepwise needs Node.js 22.18 or newer (this is ${process.version}).\n` +
        `Run \`npm install\` in ${root} to fetch the repo's own Node, or install Node 22 LTS.`,
    );
    process.exit(1);
  }
  const result = spawnSync(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}

// node:sqlite still prints an ExperimentalWarning on some 22.x/24.x releases; it is noise for CLI users.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  if (type === 'ExperimentalWarning' && String(warning).includes('SQLite')) return;
  return emitWarning.call(process, warning, ...rest);
};

const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
