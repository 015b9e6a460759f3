// Compiles src/ into dist/ (JavaScript + declarations) and copies the files src/ reads at run time
// (prompt templates and any other non-TypeScript file). `npm run build`, and so `npm install` and
// `npm pack` through `prepare`, run it. Usage: node scripts/build-dist.ts
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

// Stale output from a deleted source would otherwise ship in the package.
rmSync(dist, { recursive: true, force: true });

const tsc = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('build: tsc -p tsconfig.build.json failed (see above)');
  process.exit(tsc.status ?? 1);
}

let copied = 0;
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  const from = join(entry.parentPath, entry.name);
  // Notes for developers (a room's README.md) stay behind; task folders ship whole, their Markdown included.
  const note = entry.name.endsWith('.md') && !relative(src, from).split(/[\\/]/).includes('tasks');
  if (!entry.isFile() || entry.name.endsWith('.ts') || note) continue;
  cpSync(from, join(dist, relative(src, from)));
  copied++;
}
console.log(`build: dist/ compiled from src/ with declarations, ${copied} asset file(s) copied`);
