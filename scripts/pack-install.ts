// Packs the package as `npm pack` would publish it and installs the tarball into a fresh project, so the
// pack-and-install test and bench/startup.ts exercise exactly what users get. The pack runs in a staged copy
// of the repository (its `prepare` builds dist/ and the viewer there), so the working tree is never rebuilt
// under tests that read it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
/** The repo's own Node (package `node`, Node 24): the system's may be older than the package needs. */
export const REPO_NODE = join(REPO_ROOT, 'node_modules', 'node', 'bin', 'node');

// Never copied into the staged package: installs, build output, records, and rooms that are not shipped.
const NOT_STAGED = new Set(['node_modules', '.git', 'dist', '.stepwise', 'test', 'bench', 'tmp', 'test-output']);

export interface InstalledPackage {
  /** The tarball `npm pack` wrote. */
  tarball: string;
  /** The project the tarball was installed into (it has node_modules/<name>). */
  project: string;
  /** The installed package's folder. */
  packageDir: string;
  name: string;
  /** The installed CLI's entry file (what node_modules/.bin/stepwise runs). */
  bin: string;
}

/** Runs a command and returns its stdout; on failure the error carries the command's stderr. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/** npm with the repo's Node first on PATH, as `npm run` would have it, and without the test runner's marker. */
function npmEnv(): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _, ...inherited } = process.env;
  return { ...inherited, PATH: `${join(REPO_ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` };
}

/**
 * Packs the repository into `workDir` and installs the tarball (plus `extraPackages`, e.g. `@types/node`)
 * into `workDir/project`. Dependencies come from npm's cache when it holds them (`--prefer-offline`).
 */
export function packAndInstall(workDir: string, extraPackages: string[] = [], log: (line: string) => void = () => {}): InstalledPackage {
  const stage = join(workDir, 'stage');
  cpSync(REPO_ROOT, stage, {
    recursive: true,
    filter: (source) => {
      const path = relative(REPO_ROOT, source);
      if (path === '') return true;
      const [top] = path.split(sep);
      return !NOT_STAGED.has(top) && path !== join('viewer', 'dist') && !/\.db(-wal|-shm)?$/.test(path);
    },
  });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(stage, 'node_modules'), 'dir');
  log('packing (npm pack builds dist/ and the viewer through `prepare`)');
  run('npm', ['pack', '--pack-destination', workDir], stage, npmEnv());
  const [tarballName] = readdirSync(workDir).filter((file) => file.endsWith('.tgz'));
  if (!tarballName) throw new Error(`npm pack wrote no tarball into ${workDir}`);
  const tarball = join(workDir, tarballName);
  const { name } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string };

  const project = join(workDir, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'stepwise-user-project', private: true, type: 'module' }, null, 2));
  log('installing the tarball into a fresh project');
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball, ...extraPackages], project, npmEnv());

  const packageDir = join(project, 'node_modules', ...name.split('/'));
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  return { tarball, project, packageDir, name, bin: join(packageDir, Object.values(manifest.bin)[0]) };
}

/** Every file under `dir`, relative to it. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}
