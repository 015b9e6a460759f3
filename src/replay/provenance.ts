import { execFileSync } from 'node:child_process';
import type { Proposer, Scorer } from '../core/step.ts';
import type { RunProvenance, RunRecipe } from '../store/records.ts';

/** What a run is made with, beyond its recipe: the machine, the code (git), and the prompts and models its components use. */
export function collectProvenance(options: {
  recipe?: RunRecipe;
  proposer: Proposer<any, any>;
  scorers: readonly Scorer<any, any>[];
  argv?: string[];
  cwd?: string;
}): RunProvenance {
  const cwd = options.cwd ?? process.cwd();
  const git = readGit(cwd);
  const configs = [options.proposer.config, ...options.scorers.map((s) => s.config)].filter((c): c is Record<string, unknown> => !!c);
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    gitCommit: git.commit,
    gitDirty: git.dirty,
    cwd,
    prompts: promptsOf(configs),
    models: modelsOf(configs),
    argv: options.argv ?? process.argv.slice(2),
    ...(options.recipe ? { recipe: options.recipe } : {}),
  };
}

/** Template names with their sha256, from component configs (`template`+`templateHash`, or `templates` by name for built-ins). */
function promptsOf(configs: Record<string, unknown>[]): RunProvenance['prompts'] {
  const found = new Map<string, string>();
  for (const config of configs) {
    if (typeof config.template === 'string' && typeof config.templateHash === 'string') found.set(config.template, config.templateHash);
    if (config.templates && typeof config.templates === 'object') {
      for (const [name, hash] of Object.entries(config.templates as Record<string, unknown>)) if (typeof hash === 'string') found.set(name, hash);
    }
  }
  return [...found].map(([name, sha256]) => ({ name, sha256 }));
}

/** One entry per model-backed component: its spec and the sampling parameters it recorded. */
function modelsOf(configs: Record<string, unknown>[]): RunProvenance['models'] {
  return configs
    .filter((config) => typeof config.model === 'string')
    .map(({ model, template: _t, templateHash: _h, templates: _ts, ...params }) => ({ spec: model as string, params }));
}

/** HEAD and whether the work tree has changes, from one short `git` call; nulls outside git or without git. */
function readGit(cwd: string): { commit: string | null; dirty: boolean | null } {
  try {
    // `status --porcelain=v2 --branch` prints the commit (`# branch.oid`) and the changes in one process.
    const out = execFileSync('git', ['status', '--porcelain=v2', '--branch', '--untracked-files=no'], {
      cwd,
      timeout: 2000,
      stdio: ['ignore', 'pipe', 'ignore'],
      encoding: 'utf8',
    });
    const oid = /^# branch\.oid (\S+)$/m.exec(out)?.[1];
    const commit = oid && oid !== '(initial)' ? oid : null;
    return { commit, dirty: out.split('\n').some((line) => line !== '' && !line.startsWith('#')) };
  } catch {
    return { commit: null, dirty: null };
  }
}
