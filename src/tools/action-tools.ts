import { z } from 'zod';
import type { Environment, Problem } from '../core/environment.ts';
import type { ToolCallAction, ToolSpec } from '../core/world.ts';

/**
 * How an environment's actions are offered as tools, and how a tool call maps back to an action.
 * A tool-using problem (`problem.tools()`) offers its own tools and its actions are `ToolCallAction`s;
 * a plain environment gets one tool per action kind from its zod `actionSchema`.
 */
export interface ActionTools<A = unknown> {
  readonly specs: readonly ToolSpec[];
  /** The action a call of `name` with `args` stands for; null when no offered tool has that name. */
  actionOf(name: string, args: Record<string, unknown>): A | null;
  /** The call an action was (for the history of earlier steps): tool name and arguments. */
  callOf(action: A): { name: string; args: Record<string, unknown> };
}

type JsonSchema = Record<string, unknown>;

/** Tool names providers accept: letters, digits, `_` and `-`, at most 64. */
export function toolName(text: string): string {
  return text.replace(/[^a-zA-Z0-9_-]+/g, '_').slice(0, 64) || 'action';
}

/** The tools of a loaded task: the problem's own when it has them, else derived from the action schema. */
export async function actionToolsFor<S, A>(env: Environment<S, A>, problem: Problem<S, A>): Promise<ActionTools<A>> {
  if (problem.tools) return toolCallTools((await problem.tools()) as ToolSpec[]) as unknown as ActionTools<A>;
  return schemaTools(env);
}

/** The problem's own tools: a call is the action. */
export function toolCallTools(specs: readonly ToolSpec[]): ActionTools<ToolCallAction> {
  const names = new Set(specs.map((spec) => spec.name));
  return {
    specs,
    actionOf: (name, args) => (names.has(name) ? { tool: name, args } : null),
    callOf: (action) => ({ name: action.tool, args: action.args }),
  };
}

const schemaToolsCache = new WeakMap<Environment<any, any>, ActionTools<any>>();

/**
 * One tool per action kind of a zod action schema (zod v4's JSON Schema export): a union discriminated by a
 * string constant (`{ type: 'add_section', … } | …`) gives one tool per member, named by the constant and
 * taking the other fields; an object schema gives one tool `<env>_action` taking its fields; anything else
 * one tool taking `{ action }`.
 */
export function schemaTools<S, A>(env: Environment<S, A>): ActionTools<A> {
  const cached = schemaToolsCache.get(env);
  if (cached) return cached as ActionTools<A>;
  const { $schema: _dialect, ...schema } = z.toJSONSchema(env.actionSchema, { unrepresentable: 'any' }) as JsonSchema;
  const built = discriminatedTools<A>(schema) ?? objectTool<A>(env.name, schema) ?? wrappedTool<A>(env.name, schema);
  schemaToolsCache.set(env, built);
  return built;
}

function discriminatedTools<A>(schema: JsonSchema): ActionTools<A> | null {
  const members = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (!Array.isArray(members) || members.length === 0) return null;
  const key = discriminatorKey(members);
  if (key === null) return null;
  const byName = new Map<string, string>();
  const specs = members.map((member): ToolSpec => {
    const properties = { ...(member.properties as Record<string, JsonSchema>) };
    const value = properties[key].const as string;
    delete properties[key];
    const name = toolName(value);
    byName.set(name, value);
    const required = ((member.required as string[] | undefined) ?? []).filter((field) => field !== key);
    return {
      name,
      description: typeof member.description === 'string' ? member.description : `${key} ${value}`,
      parameters: { ...member, properties, required },
    };
  });
  return {
    specs,
    actionOf: (name, args) => (byName.has(name) ? ({ ...args, [key]: byName.get(name) } as A) : null),
    callOf: (action) => {
      const { [key]: value, ...args } = action as Record<string, unknown>;
      return { name: toolName(String(value)), args };
    },
  };
}

/** The property every member of a union fixes to a distinct string constant, if there is one. */
function discriminatorKey(members: readonly JsonSchema[]): string | null {
  const first = members[0].properties as Record<string, JsonSchema> | undefined;
  if (!first) return null;
  for (const key of Object.keys(first)) {
    const values = members.map((member) => (member.properties as Record<string, JsonSchema> | undefined)?.[key]?.const);
    if (values.every((value) => typeof value === 'string') && new Set(values).size === values.length) return key;
  }
  return null;
}

function objectTool<A>(envName: string, schema: JsonSchema): ActionTools<A> | null {
  if (schema.type !== 'object') return null;
  const name = toolName(`${envName}_action`);
  return {
    specs: [{ name, description: `Take one ${envName} action.`, parameters: schema }],
    actionOf: (called, args) => (called === name ? (args as A) : null),
    callOf: (action) => ({ name, args: action as Record<string, unknown> }),
  };
}

function wrappedTool<A>(envName: string, schema: JsonSchema): ActionTools<A> {
  const name = toolName(`${envName}_action`);
  return {
    specs: [{ name, description: `Take one ${envName} action.`, parameters: { type: 'object', properties: { action: schema }, required: ['action'] } }],
    actionOf: (called, args) => (called === name ? (args.action as A) : null),
    callOf: (action) => ({ name, args: { action } }),
  };
}
