import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { CONFIG_FILES } from '../registry/config-files.ts';

/** `--plugin <file|package>` (repeatable, anywhere on the command line): the specifiers, and the arguments without them. */
export function takePluginFlags(argv: readonly string[]): { specifiers: string[]; rest: string[] } {
  const specifiers: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--plugin') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError('--plugin needs a file or package', { hint: 'e.g. --plugin ./kv-plugin.ts or --plugin stepwise-plugin-kv' });
      specifiers.push(value);
      i++;
    } else if (arg.startsWith('--plugin=')) specifiers.push(arg.slice('--plugin='.length));
    else rest.push(arg);
  }
  return { specifiers, rest };
}

/**
 * Loads the working directory's `stepwise.config.{ts,js,mjs}` and every `--plugin`, before the command runs,
 * so their environments, strategies and scorers are named like the built-ins. Returns the other arguments.
 */
export async function loadCliPlugins(argv: readonly string[], cwd = process.cwd()): Promise<string[]> {
  const { specifiers, rest } = takePluginFlags(argv);
  const hasConfig = CONFIG_FILES.some((name) => existsSync(join(cwd, name)));
  if (specifiers.length === 0 && !hasConfig) return rest;
  // Loaded only when needed: the registries pull in every built-in component.
  const { loadConfigFile, loadPluginModule } = await import('../registry/load.ts');
  await loadConfigFile(cwd);
  for (const specifier of specifiers) await loadPluginModule(specifier, { cwd });
  return rest;
}
