// What users get: the package packed by `npm pack`, installed from its tarball into a fresh project, imported
// from JavaScript and from a strict TypeScript project, and its CLI run with the user's Node.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { filesUnder, packAndInstall, REPO_NODE, REPO_ROOT, type InstalledPackage } from '../../scripts/pack-install.ts';

interface Manifest {
  name: string;
  engines: { node: string };
  exports: Record<string, string | { types: string; default: string }>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const TYPES_NODE_VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', '@types', 'node', 'package.json'), 'utf8')) as { version: string }).version;
const workDir = mkdtempSync(join(tmpdir(), 'stepwise-pack-'));
after(() => process.env.KEEP_PACK ? undefined : rmSync(workDir, { recursive: true, force: true }));

/** Runs a command in the installed project; the repo's Node comes first on PATH, as a user's Node 24 would. */
function inProject(installed: InstalledPackage, command: string, args: string[], node = REPO_NODE) {
  const { NODE_TEST_CONTEXT: _, ...inherited } = process.env;
  const env = { ...inherited, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` };
  return spawnSync(command, args, { cwd: installed.project, env, encoding: 'utf8', timeout: 120_000 });
}

/** The subpaths users import, from the installed manifest's `exports` (package.json itself excluded). */
function importPaths(manifest: Manifest): string[] {
  return Object.keys(manifest.exports)
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => (subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`));
}

/** A Node older than the package needs, found on PATH (the machine's own Node, say), or undefined. */
function olderNodeOnPath(minimumMajor: number, minimumMinor: number): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'node');
    if (!dir || !existsSync(candidate)) continue;
    const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout.trim();
    const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
    if (major < minimumMajor || (major === minimumMajor && minor < minimumMinor)) return candidate;
  }
  return undefined;
}

describe('the packed package, installed from its tarball', () => {
  let installed: InstalledPackage;
  let manifest: Manifest;

  before(() => {
    installed = packAndInstall(workDir, [`@types/node@${TYPES_NODE_VERSION}`], (line) => console.log(`# pack-install: ${line}`));
    manifest = JSON.parse(readFileSync(join(installed.packageDir, 'package.json'), 'utf8')) as Manifest;
  });

  test('ships compiled JavaScript with declarations, the built viewer, and no TypeScript source', () => {
    const files = filesUnder(installed.packageDir);
    assert.deepEqual(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')), []);
    assert.ok(files.includes('viewer/dist/index.html'), 'viewer/dist/index.html is in the package');
    assert.ok(files.some((file) => /^dist\/prompts\/builtin\/.+\.prompt$/.test(file)), 'the built-in prompt templates are in dist/');
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      const targets = typeof target === 'string' ? [target] : [target.types, target.default];
      for (const file of targets) assert.ok(existsSync(join(installed.packageDir, file)), `exports["${subpath}"] → ${file} exists`);
    }
  });

  test('every package dist/ imports at run time is a Node built-in or a declared dependency', () => {
    const declared = new Set(Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies, ...manifest.peerDependencies }));
    const builtins = new Set(builtinModules);
    const undeclared = new Set<string>();
    for (const file of filesUnder(join(installed.packageDir, 'dist')).filter((f) => f.endsWith('.js'))) {
      const source = readFileSync(join(installed.packageDir, 'dist', file), 'utf8');
      // Static imports and re-exports, and dynamic import('…') with a literal specifier.
      for (const match of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const specifier = match[1] ?? match[2];
        if (specifier.startsWith('.') || specifier.startsWith('node:') || builtins.has(specifier)) continue;
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
        if (!declared.has(name)) undeclared.add(`${name} (in dist/${file})`);
      }
    }
    assert.deepEqual([...undeclared], []);
  });

  test('an .mjs file imports every entry point and runs a search through the library', () => {
    const paths = importPaths(manifest);
    writeFileSync(
      join(installed.project, 'search.mjs'),
      `${paths.map((path, index) => `import * as entry${index} from '${path}';`).join('\n')}
const { runSearch, stripsEnvironment, generateBlocksworldTasks, enumerateProposer, heuristicScorer, bfs } = entry0;
const { createMemoryStore } = await import('${manifest.name}/testing');
const store = createMemoryStore();
const { stats } = await runSearch({
  env: stripsEnvironment,
  tasks: generateBlocksworldTasks({ count: 3, blocks: 4, length: 4, seed: 1 }),
  proposer: enumerateProposer(),
  scorers: [heuristicScorer()],
  strategy: bfs({ width: Infinity }),
  store,
});
const runs = await store.listRuns({ limit: 5 });
console.log(JSON.stringify({ entries: [${paths.map((_, index) => `Object.keys(entry${index}).length`).join(', ')}], tasks: stats.tasks, solved: stats.solved, runs: runs.length }));
`,
    );
    const result = inProject(installed, REPO_NODE, ['search.mjs']);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout.trim()) as { entries: number[]; tasks: number; solved: number; runs: number };
    assert.equal(report.entries.length, paths.length);
    assert.ok(report.entries.every((count) => count > 0), `every entry point exports something: ${report.entries.join(', ')}`);
    assert.deepEqual({ tasks: report.tasks, solved: report.solved, runs: report.runs }, { tasks: 3, solved: 3, runs: 1 });
  });

  test('a strict TypeScript project type-checks against the declarations (no skipLibCheck, no .ts imports)', () => {
    writeFileSync(
      join(installed.project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2023', noEmit: true, types: ['node'] }, include: ['*.ts'] }, null, 2),
    );
    const paths = importPaths(manifest).slice(1);
    writeFileSync(
      join(installed.project, 'user.ts'),
      `import { runSearch, stripsEnvironment, generateBlocksworldTasks, enumerateProposer, heuristicScorer, mcts, defineScorer, openStore, type Store, type RunResult } from '${manifest.name}';
import { graphEnvironment, graphTask, scriptedProposer, createMemoryStore } from '${manifest.name}/testing';
${paths.map((path, index) => `import * as room${index} from '${path}';`).join('\n')}

const preferShortPlans = defineScorer({ name: 'short', score: (ctx, candidates) => candidates.map(() => 1 / (1 + ctx.depth)) });
const store: Store = openStore(':memory:');
const result: RunResult = await runSearch({
  env: stripsEnvironment,
  tasks: generateBlocksworldTasks({ count: 2, blocks: 4, length: 4, seed: 1 }),
  proposer: enumerateProposer(),
  scorers: [heuristicScorer(), { scorer: preferShortPlans, weight: 0.2 }],
  strategy: mcts({ simulations: 50 }),
  store,
});
const solved: number = result.stats.solved;
// The declarations are real types, not any: a wrong call must be rejected.
// @ts-expect-error runSearch needs an environment, tasks, a proposer and a strategy
await runSearch({ tasks: [] });
console.log(solved, graphEnvironment, graphTask, scriptedProposer, createMemoryStore, ${paths.map((_, index) => `room${index}`).join(', ')});
`,
    );
    const tsc = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(installed.project, 'tsconfig.json')], { encoding: 'utf8' });
    assert.equal(tsc.status, 0, `tsc reported:\n${tsc.stdout}${tsc.stderr}`);
  });

  test('the installed CLI answers --help and runs the demo with a supported Node', () => {
    const help = inProject(installed, 'npx', ['--no-install', 'stepwise', '--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: stepwise <command>/m);
    assert.match(help.stdout, /^ {2}demo +search built-in/m);

    const demo = inProject(installed, 'npx', ['--no-install', 'stepwise', 'demo']);
    assert.equal(demo.status, 0, demo.stderr);
    assert.match(demo.stdout, /blocksworld · bfs \(\w+\) +10 +10 /);
    assert.match(demo.stdout, /Recorded in \.stepwise\/traces\.db/);
    assert.doesNotMatch(demo.stderr, /ExperimentalWarning/);

    const runs = inProject(installed, 'npx', ['--no-install', 'stepwise', 'runs', '--json']);
    assert.equal(runs.status, 0, runs.stderr);
    assert.deepEqual((JSON.parse(runs.stdout) as { run: { env: { name: string } } }[]).map(({ run }) => run.env.name).sort(), ['game24', 'strips', 'strips']);
  });

  test('a Node older than `engines` gets a clear message, not a stack trace', (t) => {
    const [major, minor] = manifest.engines.node.replace(/^>=\s*/, '').split('.').map(Number);
    const older = olderNodeOnPath(major, minor);
    if (!older) {
      t.skip(`no Node older than ${manifest.engines.node} on PATH to try`);
      return;
    }
    const result = spawnSync(older, [installed.bin, '--help'], { cwd: installed.project, encoding: 'utf8' });
    const version = execFileSync(older, ['--version'], { encoding: 'utf8' }).trim();
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, new RegExp(`^stepwise needs Node\\.js ${major}\\.${minor} or newer; this is Node ${version.replace(/\./g, '\\.')}\\.\\n`));
    assert.match(result.stderr, /Install Node 22 LTS or newer/);
  });
});
