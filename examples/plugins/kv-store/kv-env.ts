import { z } from 'zod';
import { ActionParseError, TaskError, UsageError, defineEnvironment, defineEnvironmentPlugin, type Problem, type Task, type ToolSpec } from 'stepwise-agents';

/** The store's contents: plain JSON, so every state can be recorded, compared and replayed. */
export interface KvState {
  entries: Record<string, string>;
}

/** A task: turn the `start` contents into the `target` contents. */
export interface KvSpec {
  start: Record<string, string>;
  target: Record<string, string>;
}

/** Actions are tool calls (`ToolCallAction`): the tool's name and its JSON arguments. */
const kvActionSchema = z.discriminatedUnion('tool', [
  z.object({ tool: z.literal('set'), args: z.object({ key: z.string().min(1), value: z.string().min(1) }).strict() }).strict(),
  z.object({ tool: z.literal('delete'), args: z.object({ key: z.string().min(1) }).strict() }).strict(),
]);
export type KvAction = z.infer<typeof kvActionSchema>;

/** What a tool-calling model is offered. */
const KV_TOOLS: ToolSpec[] = [
  { name: 'set', description: 'Store a value under a key', parameters: { type: 'object', properties: { key: { type: 'string' }, value: { type: 'string' } }, required: ['key', 'value'] } },
  { name: 'delete', description: 'Remove a key', parameters: { type: 'object', properties: { key: { type: 'string' } }, required: ['key'] } },
];

const VALUES = ['a', 'b', 'c'];
const show = (entries: Record<string, string>) => Object.keys(entries).sort().map((key) => `${key}=${entries[key]}`).join(', ') || '(empty)';

/** Keys whose value differs from the target (missing, extra or wrong). */
function wrongKeys(entries: Record<string, string>, target: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(entries), ...Object.keys(target)]);
  return [...keys].filter((key) => entries[key] !== target[key]);
}

export const kvEnvironment = defineEnvironment<KvState, KvAction, KvSpec>({
  name: 'kv',
  version: '1',
  actionSchema: kvActionSchema,
  formatAction: (action) => (action.tool === 'set' ? `set ${action.args.key}=${action.args.value}` : `delete ${action.args.key}`),
  parseAction(text) {
    const set = /^\s*set\s+(\w+)\s*=\s*(\w+)\s*$/.exec(text);
    if (set) return { tool: 'set', args: { key: set[1], value: set[2] } };
    const del = /^\s*delete\s+(\w+)\s*$/.exec(text);
    if (del) return { tool: 'delete', args: { key: del[1] } };
    throw new ActionParseError(`"${text}" is not a kv action`, { hint: 'write `set <key>=<value>` or `delete <key>`' });
  },
  load(task: Task<KvSpec>): Problem<KvState, KvAction> {
    const { start, target } = task.spec;
    if (!start || !target) throw new TaskError(`kv task ${task.id} needs a start and a target`);
    const total = Math.max(1, new Set([...Object.keys(start), ...Object.keys(target)]).size);
    return {
      initialState: { entries: { ...start } },
      goalText: `Make the store hold exactly: ${show(target)}.`,
      step(state, action) {
        if (action.tool === 'delete' && !(action.args.key in state.entries)) {
          return { state, observation: `there is no key ${action.args.key}`, reward: 0, done: false, success: false, check: { valid: false, reason: `no key ${action.args.key} to delete` } };
        }
        const entries = { ...state.entries };
        if (action.tool === 'set') entries[action.args.key] = action.args.value;
        else delete entries[action.args.key];
        const success = wrongKeys(entries, target).length === 0;
        return { state: { entries }, observation: `store: ${show(entries)}`, reward: success ? 1 : 0, done: success, success, check: { valid: true } };
      },
      legalActions(state) {
        const keys = [...new Set([...Object.keys(state.entries), ...Object.keys(target)])].sort();
        const sets = keys.flatMap((key) => VALUES.filter((value) => state.entries[key] !== value).map((value): KvAction => ({ tool: 'set', args: { key, value } })));
        const deletes = keys.filter((key) => key in state.entries).map((key): KvAction => ({ tool: 'delete', args: { key } }));
        return [...sets, ...deletes];
      },
      render: (state) => show(state.entries),
      stateKey: (state) => show(state.entries),
      heuristic: (state) => 1 - wrongKeys(state.entries, target).length / total,
      tools: () => KV_TOOLS,
    };
  },
});

/** `generate:kv?count=3&keys=3&seed=1`: seeded random starts and targets over keys k1…kn and values a, b, c. */
function generateKvTasks(spec: string): Task<KvSpec>[] {
  const match = /^generate:kv(?:\?(.*))?$/.exec(spec);
  if (!match) throw new UsageError(`kv does not understand the task spec "${spec}"`, { hint: 'use generate:kv?count=3&keys=3&seed=1' });
  const params = new URLSearchParams(match[1] ?? '');
  const count = Number(params.get('count') ?? 3);
  const keys = Number(params.get('keys') ?? 3);
  let seed = Number(params.get('seed') ?? 1);
  if (![count, keys, seed].every(Number.isInteger)) throw new UsageError(`kv generator parameters are whole numbers, got "${spec}"`);
  // A small linear congruential generator: the same seed gives the same tasks on every machine.
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const contents = () => {
    const entries: Record<string, string> = {};
    for (let i = 1; i <= keys; i++) if (next() < 0.75) entries[`k${i}`] = VALUES[Math.floor(next() * VALUES.length)];
    return entries;
  };
  return Array.from({ length: count }, (_, i) => ({ id: `kv-${i + 1}`, env: 'kv', source: spec, spec: { start: contents(), target: contents() } }));
}

/** The environment as a plug-in: its task specs and how to load them. */
export const kvPlugin = defineEnvironmentPlugin<KvState, KvAction, KvSpec>({
  env: kvEnvironment,
  describe: 'a key-value store reached by set/delete tool calls (the docs/extending.md example)',
  taskSpecs: ['generate:kv?count=3&keys=3&seed=1'],
  loadTasks: (spec) => generateKvTasks(spec),
});
