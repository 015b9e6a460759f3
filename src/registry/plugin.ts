import { UsageError } from '../core/errors.ts';
import { environments, registerEnvironment } from '../envs/registry.ts';
import { keyNodeMatchers, type KeyNodeMatcherEntry } from '../eval/matchers.ts';
import { exportFormats, registerExportFormat } from '../export/formats.ts';
import type { ExportFormat } from '../export/format.ts';
import { guards, proposers, scorers, type GuardEntry, type ProposerEntry, type ScorerEntry } from '../recipe/components.ts';
import { strategies, type StrategyEntry } from '../search/strategies/index.ts';
import type { EnvironmentPlugin } from './environment-plugin.ts';
import type { PluginRef } from './registry.ts';

/** A plug-in: named components of every kind, registered into the same registries as the built-ins. */
export interface StepwisePlugin {
  /** Recorded with every run that uses one of its components, so replay can say what is missing. */
  name: string;
  version?: string;
  environments?: EnvironmentPlugin[];
  strategies?: StrategyEntry[];
  proposers?: ProposerEntry[];
  scorers?: ScorerEntry[];
  guards?: GuardEntry[];
  exportFormats?: ExportFormat[];
  keyNodeMatchers?: KeyNodeMatcherEntry[];
}

const KINDS = ['environments', 'strategies', 'proposers', 'scorers', 'guards', 'exportFormats', 'keyNodeMatchers'] as const;

/** A plug-in module default-exports `definePlugin({ name, environments, strategies, scorers, … })`. */
export function definePlugin(plugin: StepwisePlugin): StepwisePlugin {
  return plugin;
}

/** The registries plug-ins add to, by kind. */
export const registries = { environments, strategies, proposers, scorers, guards, exportFormats, keyNodeMatchers };

const loaded = new Map<string, PluginRef>();

/** The plug-ins registered in this process, by name. */
export function loadedPlugins(): PluginRef[] {
  return [...loaded.values()];
}

/** Whether `value` has the shape of a plug-in (a name and only the kinds it may hold). */
export function isPlugin(value: unknown): value is StepwisePlugin {
  if (typeof value !== 'object' || value === null || typeof (value as StepwisePlugin).name !== 'string') return false;
  return Object.keys(value).every((key) => key === 'name' || key === 'version' || (KINDS as readonly string[]).includes(key));
}

/** Registers every component of a plug-in; `specifier` is where it was loaded from (recorded in recipes). Registering it twice is a no-op. */
export function registerPlugin(plugin: StepwisePlugin, specifier?: string): PluginRef {
  if (!isPlugin(plugin)) {
    const keys = typeof plugin === 'object' && plugin !== null ? Object.keys(plugin).filter((k) => k !== 'name' && k !== 'version' && !(KINDS as readonly string[]).includes(k)) : [];
    throw new UsageError(`${specifier ?? 'a plug-in'} is not a stepwise plug-in${keys.length > 0 ? `: it has ${keys.join(', ')}` : ' (it needs a name)'}`, {
      hint: `default-export definePlugin({ name, ${KINDS.join(', ')} }) (each optional but the name)`,
    });
  }
  const ref: PluginRef = { name: plugin.name, ...(plugin.version ? { version: plugin.version } : {}), ...(specifier ? { specifier } : {}) };
  const before = loaded.get(plugin.name);
  if (before) {
    if (before.specifier === ref.specifier) return before;
    throw new UsageError(`two plug-ins are named "${plugin.name}": from ${before.specifier ?? 'code'} and from ${specifier ?? 'code'}`, { hint: 'load one of them, or rename one' });
  }
  for (const environment of plugin.environments ?? []) registerEnvironment(environment, ref);
  for (const entry of plugin.strategies ?? []) strategies.register(entry, ref);
  for (const entry of plugin.proposers ?? []) proposers.register(entry, ref);
  for (const entry of plugin.scorers ?? []) scorers.register(entry, ref);
  for (const entry of plugin.guards ?? []) guards.register(entry, ref);
  for (const format of plugin.exportFormats ?? []) registerExportFormat(format, ref);
  for (const entry of plugin.keyNodeMatchers ?? []) keyNodeMatchers.register(entry, ref);
  loaded.set(plugin.name, ref);
  return ref;
}
