import { NO_OPTIONS, createRegistry, type PluginRef, type Registered } from '../registry/registry.ts';
import type { EnvironmentContext, EnvironmentRegistryEntry, EnvironmentPlugin } from '../registry/environment-plugin.ts';
import type { Environment, Task } from '../core/environment.ts';
import { registerPromptFolder } from '../prompts/families.ts';
import { game24Plugin } from './game24/plugin.ts';
import { loadMcpTasks, mcpEnvironment } from './mcp/index.ts';
import { BROWSER_TASK_SPECS, browserEnvironmentDefault, loadBrowserTasks } from './browser/index.ts';
import { loadWorkspaceTasks, workspaceEnvironment, workspaceKeyNodes, type WorkspaceSpec } from './workspace/index.ts';
import { reportPlugin } from './report/plugin.ts';
import { stripsPlugin } from './strips/plugin.ts';

export { readTextInput } from './task-spec.ts';
export type { EnvironmentEntry, EnvironmentRegistryEntry, EnvironmentPlugin, TaskLoadOptions } from '../registry/environment-plugin.ts';

/** The built-in environments, each one plug-in object in its own folder: adding one is its folder and one line here. */
export const ENVIRONMENTS: Record<string, EnvironmentPlugin> = {
  strips: stripsPlugin,
  game24: game24Plugin,
  report: reportPlugin,
  mcp: {
    env: mcpEnvironment,
    describe: 'the tools of any MCP server as typed actions (a server per world; use --model … --mode tools)',
    taskSpecs: ['examples/mcp/notes.yaml', 'examples/mcp/memory.yaml'],
    loadTasks: (spec) => loadMcpTasks(spec),
    // One tool call per line: `<tool> {json arguments}`.
    parseSolution: (text) => ({ steps: text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean), answer: null }),
  },
  workspace: {
    env: workspaceEnvironment,
    describe: 'files and commands: a task folder and a goal check; tool calls read, write, edit, list, search and run commands (bubblewrap, no network)',
    taskSpecs: ['builtin', 'builtin:fix-failing-test,find-value', 'path/to/task-folder,path/to/another', 'agenthazard:../shared/data/agenthazard/dataset-dev.json:0-9'],
    loadTasks: (spec) => loadWorkspaceTasks(spec),
    deriveKeyNodes: (task) => workspaceKeyNodes(task as Task<WorkspaceSpec>),
    parseSolution: (text) => ({ steps: text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean), answer: null }),
  },
  browser: {
    env: browserEnvironmentDefault,
    describe: 'web tasks in Chromium (MiniWoB++ page protocol; GUI and tool actions; WebCanvas key nodes)',
    taskSpecs: BROWSER_TASK_SPECS,
    loadTasks: (spec) => loadBrowserTasks(spec),
    parseSolution: (text) => ({ steps: text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean), answer: null }),
  },
};

/** The environments by name: the built-ins, and those plug-ins register. */
export const environments = createRegistry<Environment<any, any, any>, EnvironmentContext, EnvironmentRegistryEntry>('environment');

/** Fills in what the registry needs (name, options, create) and registers the plug-in's prompt folders. */
export function registerEnvironment(plugin: EnvironmentPlugin, from?: PluginRef, name = plugin.name ?? plugin.env.name): void {
  const entry: EnvironmentRegistryEntry = {
    ...plugin,
    name,
    options: plugin.options ?? NO_OPTIONS,
    create: plugin.create ?? ((_options: unknown, context: EnvironmentContext) => (context.client && plugin.withModel ? plugin.withModel(context.client) : plugin.env)),
  };
  environments.register(entry, from);
  for (const [family, folder] of Object.entries(plugin.promptFolders ?? {})) registerPromptFolder(family, folder);
}

for (const [name, plugin] of Object.entries(ENVIRONMENTS)) registerEnvironment(plugin, undefined, name);

/** The registered environment of that name; a UsageError lists the names there are. */
export function getEnvironment(name: string): Registered<EnvironmentRegistryEntry> {
  return environments.get(name);
}
