import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../core/errors.ts';
import type { RecipePlugin } from '../store/records.ts';
import { isPlugin, loadedPlugins, registerPlugin, type StepwisePlugin } from './plugin.ts';
import type { PluginRef } from './registry.ts';

import { CONFIG_FILES } from './config-files.ts';

export { CONFIG_FILES };

/** What a config file (or a module listing several plug-ins) default-exports. */
export interface StepwiseConfig {
  /** Plug-ins: module specifiers (a file relative to the config, or a package name) or plug-in objects. */
  plugins: (string | StepwisePlugin)[];
}

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts']);

function isFileSpecifier(specifier: string): boolean {
  return specifier.startsWith('.') || isAbsolute(specifier) || /\.(?:[cm]?[jt]s)$/.test(specifier);
}

/** Node ≥ 22.18 (and 23.6) strips types from .ts files by itself; older versions report `process.features.typescript` as absent. */
function canStripTypes(): boolean {
  return Boolean((process.features as { typescript?: unknown }).typescript);
}

function typescriptRefusal(specifier: string, path: string): UsageError {
  if (path.split(sep).includes('node_modules')) {
    return new UsageError(`the plug-in ${specifier} is a TypeScript file inside node_modules, which Node does not strip types from`, { hint: 'publish the plug-in package compiled to JavaScript (.js/.mjs), or load its .ts source from outside node_modules' });
  }
  return new UsageError(`the plug-in ${specifier} is TypeScript, and Node ${process.version} cannot run .ts files without a build step`, {
    hint: 'use Node >= 22.18, which strips types by itself, or compile the plug-in to .js/.mjs (e.g. with tsc) and load that',
  });
}

/** The file a specifier names: a path relative to `cwd`, or a package resolved from `cwd`'s node_modules. */
function resolvePluginPath(specifier: string, cwd: string): { path: string; recorded: string } {
  if (isFileSpecifier(specifier)) {
    const path = resolve(cwd, specifier);
    if (!existsSync(path)) throw new UsageError(`no plug-in file at ${specifier}${path === specifier ? '' : ` (looked at ${path})`}`, { hint: 'pass the path of a .ts, .js or .mjs module that default-exports definePlugin({ … }), or a package name' });
    return { path, recorded: path };
  }
  try {
    return { path: createRequire(join(cwd, 'package.json')).resolve(specifier), recorded: specifier };
  } catch {
    throw new UsageError(`cannot find the plug-in package "${specifier}" from ${cwd}`, { hint: `install it (npm install ${specifier}), or pass a file path (./${specifier}.ts)` });
  }
}

/**
 * Loads a plug-in module and registers what it default-exports: one plug-in, or a config `{ plugins: […] }`
 * whose entries are specifiers (relative to it) or plug-in objects. Returns the plug-ins registered.
 */
export async function loadPluginModule(specifier: string, options: { cwd?: string } = {}): Promise<PluginRef[]> {
  const { path, recorded } = resolvePluginPath(specifier, options.cwd ?? process.cwd());
  if (TYPESCRIPT.has(extname(path)) && (!canStripTypes() || path.split(sep).includes('node_modules'))) throw typescriptRefusal(specifier, path);
  let module: { default?: unknown };
  try {
    module = await import(pathToFileURL(path).href);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_UNKNOWN_FILE_EXTENSION' && TYPESCRIPT.has(extname(path))) throw typescriptRefusal(specifier, path);
    throw new UsageError(`cannot load the plug-in ${specifier}: ${(error as Error).message.split('\n')[0]}`, { hint: 'run it with node to see the whole error; a plug-in module default-exports definePlugin({ … })', cause: error });
  }
  const exported = module.default;
  if (exported === undefined) throw new UsageError(`${specifier} has no default export`, { hint: 'write `export default definePlugin({ name: …, environments: […] })`' });
  if (isConfig(exported)) {
    const refs: PluginRef[] = [];
    for (const item of exported.plugins) {
      if (typeof item === 'string') refs.push(...(await loadPluginModule(item, { cwd: dirname(path) })));
      else refs.push(registerPlugin(item, recorded));
    }
    return refs;
  }
  return [registerPlugin(exported as StepwisePlugin, recorded)];
}

function isConfig(value: unknown): value is StepwiseConfig {
  return typeof value === 'object' && value !== null && Array.isArray((value as StepwiseConfig).plugins) && !isPlugin(value);
}

/** Loads `stepwise.config.{ts,js,mjs}` from `cwd` when there is one; returns its path and the plug-ins it registered. */
export async function loadConfigFile(cwd = process.cwd()): Promise<{ path: string; plugins: PluginRef[] } | null> {
  const file = CONFIG_FILES.map((name) => join(cwd, name)).find((path) => existsSync(path));
  if (!file) return null;
  return { path: file, plugins: await loadPluginModule(file, { cwd }) };
}

/**
 * Makes sure the plug-ins a recorded recipe names are registered, loading each from where the run loaded it.
 * Throws a UsageError naming the plug-in that cannot be loaded.
 */
export async function ensurePlugins(needed: readonly RecipePlugin[] | undefined, what: string): Promise<void> {
  for (const plugin of needed ?? []) {
    if (loadedPlugins().some((ref) => ref.name === plugin.name)) continue;
    const label = `plug-in "${plugin.name}"${plugin.version ? ` ${plugin.version}` : ''}`;
    const hint = `pass --plugin <file|package> with ${label}, or list it in stepwise.config.ts`;
    if (!plugin.specifier) throw new UsageError(`${what} needs ${label}, which is not loaded`, { hint });
    try {
      await loadPluginModule(plugin.specifier);
    } catch (error) {
      throw new UsageError(`${what} needs ${label} (loaded from ${plugin.specifier}), which cannot be loaded: ${(error as Error).message}`, { hint, cause: error });
    }
    if (!loadedPlugins().some((ref) => ref.name === plugin.name)) {
      throw new UsageError(`${what} needs ${label}, but ${plugin.specifier} holds ${loadedPlugins().map((ref) => ref.name).join(', ') || 'no plug-in'} now`, { hint });
    }
  }
}
