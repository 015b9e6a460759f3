import { z } from 'zod';
import { UsageError } from '../core/errors.ts';

/** Where an entry came from: the built-ins, or a plug-in (recorded in a run's recipe so replay can load it again). */
export interface PluginRef {
  name: string;
  version?: string;
  /** What `--plugin` was given, resolved: an absolute file path or a package name. */
  specifier?: string;
}

/** One named component: what it is, the options it takes (a zod schema), and how to build it. */
export interface RegistryEntry<T, C = void, O = any> {
  name: string;
  describe: string;
  /** Validates and fills in the options; `create` receives its output. */
  options: z.ZodType<O>;
  create(options: O, context: C): T;
}

/** A registered entry, with the plug-in that brought it (absent for built-ins). */
export type Registered<E> = E & { readonly plugin?: PluginRef };

/** A table of named components of one kind; the built-ins and plug-ins register into the same one. */
export interface Registry<T, C = void, E extends RegistryEntry<T, C> = RegistryEntry<T, C>> {
  /** What the entries are, in messages: `strategy`, `environment`, `scorer` … */
  readonly kind: string;
  register(entry: E, plugin?: PluginRef): void;
  has(name: string): boolean;
  /** The entry, or a UsageError naming the kind and the names there are. */
  get(name: string): Registered<E>;
  find(name: string): Registered<E> | undefined;
  names(): string[];
  entries(): Registered<E>[];
  /** Validates `rawOptions` with the entry's schema (throwing OptionError) and builds the component. */
  create(name: string, rawOptions: Record<string, unknown> | undefined, context: C): T;
  /** The options as the entry's schema reads them, without building anything. */
  parseOptions(name: string, rawOptions: Record<string, unknown> | undefined): unknown;
}

/**
 * An option a component was given is wrong. The message names the component and the option, never a CLI flag;
 * `component`, `option` and `problem` let the CLI say it in flags (`--width must be …`).
 */
export class OptionError extends UsageError {
  readonly component: string;
  readonly componentKind: string;
  /** The option's name, or null when the options as a whole are wrong. */
  readonly option: string | null;
  /** What is wrong, e.g. `must be a whole number >= 1, got "abc"` or `is not an option of mcts`. */
  readonly problem: string;
  /** The options the component takes. */
  readonly known: string[];
  constructor(details: { kind: string; component: string; option: string | null; problem: string; known: string[] }) {
    const subject = details.option === null ? `the options of ${details.kind} ${details.component}` : `option "${details.option}" of ${details.kind} ${details.component}`;
    super(`${subject} ${details.problem}`, {
      hint: details.known.length > 0 ? `${details.component} takes ${details.known.join(', ')}` : `${details.component} takes no options`,
    });
    this.componentKind = details.kind;
    this.component = details.component;
    this.option = details.option;
    this.problem = details.problem;
    this.known = details.known;
  }
}

/** The option names of a schema that is a zod object (possibly wrapped in a default or a pipe), else none. */
export function optionNames(schema: z.ZodType): string[] {
  const def = (schema as { def?: { type?: string; shape?: object; innerType?: z.ZodType; in?: z.ZodType } }).def;
  if (!def) return [];
  if (def.type === 'object' && def.shape) return Object.keys(def.shape);
  if (def.innerType) return optionNames(def.innerType);
  if (def.in) return optionNames(def.in);
  return [];
}

/** Options without the keys whose value is undefined (flags not given). */
function given(options: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([, value]) => value !== undefined));
}

export function createRegistry<T, C = void, E extends RegistryEntry<T, C> = RegistryEntry<T, C>>(kind: string): Registry<T, C, E> {
  const table = new Map<string, Registered<E>>();
  const registry: Registry<T, C, E> = {
    kind,
    register(entry, plugin) {
      const before = table.get(entry.name);
      if (before) {
        const from = (ref?: PluginRef) => (ref ? `plug-in ${ref.name}` : 'stepwise itself');
        // Loading the same plug-in twice (a config file and --plugin) is harmless; two plug-ins claiming one name is not.
        if (before.plugin?.name === plugin?.name && before.plugin?.specifier === plugin?.specifier) return;
        throw new UsageError(`two ${kind}s are named "${entry.name}": one from ${from(before.plugin)}, one from ${from(plugin)}`, {
          hint: `rename the ${kind} in one of the plug-ins, or load only one of them`,
        });
      }
      table.set(entry.name, plugin ? { ...entry, plugin } : entry);
    },
    has: (name) => table.has(name),
    find: (name) => table.get(name),
    get(name) {
      const entry = table.get(name);
      if (!entry) throw new UsageError(`unknown ${kind} "${name}"`, { hint: `choose one of: ${[...table.keys()].join(', ')}${table.size > 0 ? '' : '(none registered)'}; a plug-in adds more (--plugin <file|package>)` });
      return entry;
    },
    names: () => [...table.keys()],
    entries: () => [...table.values()],
    parseOptions(name, rawOptions) {
      const entry = registry.get(name);
      const raw = given(rawOptions);
      const parsed = entry.options.safeParse(raw);
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0];
      const known = optionNames(entry.options);
      if (issue.code === 'unrecognized_keys') {
        throw new OptionError({ kind, component: name, option: issue.keys[0], problem: `is not an option of ${name}`, known });
      }
      const option = issue.path.length > 0 ? issue.path.join('.') : null;
      const value = option !== null ? raw[String(issue.path[0])] : undefined;
      const got = value === undefined ? '' : `, got ${JSON.stringify(value)}`;
      throw new OptionError({ kind, component: name, option, problem: `${issue.message}${got}`, known });
    },
    create(name, rawOptions, context) {
      const options = registry.parseOptions(name, rawOptions);
      return registry.get(name).create(options, context);
    },
  };
  return registry;
}

/** A registry entry, typed: `defineEntry({ name, describe, options: z.object({…}), create })`. */
export function defineEntry<T, C, O>(entry: RegistryEntry<T, C, O>): RegistryEntry<T, C, O> {
  return entry;
}

/** The schema of a component that takes no options. */
export const NO_OPTIONS = z.object({}).strict();
