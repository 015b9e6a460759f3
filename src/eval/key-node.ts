import { z } from 'zod';
import { UsageError } from '../core/errors.ts';

/**
 * What a text check reads from each step of the evaluated path: the action taken, the
 * environment's observation, the rendered state, or (`answer`) only the last step's action.
 */
export const TARGETS = ['action', 'observation', 'state', 'answer'] as const;
export type KeyNodeTarget = (typeof TARGETS)[number];

const target = z.enum(TARGETS).optional();
const common = { id: z.string().min(1).optional(), label: z.string().optional() };

/** One key node: a declarative check on the intermediate states and actions of a run. */
export const keyNodeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('exact'), value: z.string(), target, ignoreCase: z.boolean().optional(), ...common }).strict(),
  z.object({ type: z.literal('include'), value: z.string(), target, ignoreCase: z.boolean().optional(), ...common }).strict(),
  z
    .object({ type: z.literal('regex'), pattern: z.string(), flags: z.string().regex(/^[imsu]*$/, 'flags may use i, m, s, u').optional(), target, ...common })
    .strict()
    .refine((node) => isValidRegex(node.pattern, node.flags), { message: 'not a valid regular expression', path: ['pattern'] }),
  z.object({ type: z.literal('numeric'), value: z.number(), tolerance: z.number().nonnegative().optional(), target: z.enum([...TARGETS, 'facts']).optional(), ...common }).strict(),
  z
    .object({ type: z.literal('facts'), contains: z.array(z.string()).optional(), anyOf: z.array(z.array(z.string())).min(1).optional(), ...common })
    .strict()
    .refine((node) => (node.contains === undefined) !== (node.anyOf === undefined), { message: 'give exactly one of contains or anyOf' }),
  z.object({ type: z.literal('semantic'), reference: z.string().min(1), target, ...common }).strict(),
  // Web pages (WebCanvas): the page's URL, or one of its query parameters (`key`), after each step.
  z.object({ type: z.literal('url'), match: z.enum(['exact', 'include', 'semantic']), value: z.string(), key: z.string().min(1).optional(), ...common }).strict(),
  // Web pages (WebCanvas): the element a step acted on: its path (a CSS selector), or the value it left there (at `path` when given).
  z.object({ type: z.literal('element'), match: z.enum(['path', 'exact', 'include', 'semantic']), value: z.string(), path: z.string().min(1).optional(), ...common }).strict(),
]);

export type KeyNode = z.infer<typeof keyNodeSchema>;

/** A key node with its id and label filled in, as evaluated and stored. */
export type ResolvedKeyNode = KeyNode & { id: string; label: string };

function isValidRegex(pattern: string, flags?: string): boolean {
  try {
    new RegExp(pattern, flags);
    return true;
  } catch {
    return false;
  }
}

/** WebCanvas's key-node form: `{ match_function_name, content: { reference_answer, … } }`. */
export const webCanvasEvaluationSchema = z.object({
  match_function_name: z.string(),
  method: z.string().optional(),
  content: z.object({ reference_answer: z.union([z.string(), z.number()]), key: z.unknown().optional(), netloc: z.unknown().optional(), path: z.unknown().optional() }).passthrough(),
}).passthrough();
export type WebCanvasEvaluation = z.infer<typeof webCanvasEvaluationSchema>;

/**
 * WebCanvas's (and Mind2Web-Live's) match functions as key nodes. Final answers and cached data compare
 * lower-cased text, as WebCanvas does: `final_answer_*` reads the last step's action, `cache_data_*` any
 * step's. URL matches read the page's URL after each step (`content.key`: one query parameter, decoded);
 * element matches read the element a step acted on (`content.path` narrows a value match to one element).
 * URL and element nodes need a web environment's steps (the `browser` environment records them).
 */
export function keyNodeFromWebCanvas(evaluation: WebCanvasEvaluation, index = 0): KeyNode {
  const name = evaluation.match_function_name;
  const reference = String(evaluation.content.reference_answer);
  const label = `${name}: ${reference}`;
  const id = `wc${index + 1}`;
  const kind = /^(final_answer|cache_data|url|element_value|element_path)_(exact|exactly|included|semantic)_match$/.exec(name);
  if (!kind || (kind[1] === 'element_path' && !kind[2].startsWith('exact'))) {
    throw new UsageError(`unknown WebCanvas match function "${name}"`, {
      hint: 'use final_answer_*, cache_data_*, url_* or element_value_* with exactly/included/semantic, element_path_exactly_match, or a native key node (exact, include, regex, numeric, facts, semantic, url, element)',
    });
  }
  const match = kind[2] === 'included' ? 'include' : kind[2] === 'semantic' ? 'semantic' : 'exact';
  if (kind[1] === 'url') {
    const key = typeof evaluation.content.key === 'string' && evaluation.content.key !== '' ? evaluation.content.key : undefined;
    return { type: 'url', match, value: reference, ...(key ? { key } : {}), id, label };
  }
  if (kind[1] === 'element_path') return { type: 'element', match: 'path', value: reference, id, label };
  if (kind[1] === 'element_value') {
    const path = typeof evaluation.content.path === 'string' && evaluation.content.path !== '' ? evaluation.content.path : undefined;
    return { type: 'element', match, value: reference, ...(path ? { path } : {}), id, label };
  }
  const where: KeyNodeTarget = kind[1] === 'final_answer' ? 'answer' : 'action';
  if (match === 'semantic') return { type: 'semantic', reference, target: where, id, label };
  return { type: match, value: reference, target: where, ignoreCase: true, id, label };
}

/** A key node written in the suite: native, or in WebCanvas's form. */
export type SuiteKeyNode = KeyNode | WebCanvasEvaluation;
// Picks the schema by shape, so an error names the bad field rather than "no union member matched".
export const suiteKeyNodeSchema: z.ZodType<SuiteKeyNode> = z.unknown().transform((value, ctx) => {
  const webCanvas = typeof value === 'object' && value !== null && 'match_function_name' in value;
  const parsed = (webCanvas ? webCanvasEvaluationSchema : keyNodeSchema).safeParse(value);
  if (parsed.success) return parsed.data as SuiteKeyNode;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path as (string | number)[] });
  return z.NEVER;
}) as unknown as z.ZodType<SuiteKeyNode>;

/** Converts WebCanvas entries, and gives every node an id (`k1`, `k2`, …) and a label. */
export function resolveKeyNodes(nodes: readonly SuiteKeyNode[]): ResolvedKeyNode[] {
  const resolved = nodes.map((node, i) => ('match_function_name' in node ? keyNodeFromWebCanvas(node as WebCanvasEvaluation, i) : (node as KeyNode)));
  return resolved.map((node, i) => ({ ...node, id: node.id ?? `k${i + 1}`, label: node.label ?? describeKeyNode(node) }));
}

export function describeKeyNode(node: KeyNode): string {
  switch (node.type) {
    case 'exact':
      return `${node.target ?? 'action'} = ${node.value}`;
    case 'include':
      return `${node.target ?? 'action'} contains ${node.value}`;
    case 'regex':
      return `${node.target ?? 'action'} ~ /${node.pattern}/${node.flags ?? ''}`;
    case 'numeric':
      return `${node.target ?? 'action'} has ${node.value} ± ${node.tolerance ?? 0}`;
    case 'facts':
      return node.contains ? `state has ${node.contains.join(' ')}` : `state has one of ${node.anyOf!.map((set) => `{${set.join(' ')}}`).join(' ')}`;
    case 'semantic':
      return `${node.target ?? 'action'} means "${node.reference}"`;
    case 'url':
      return `${node.key ? `URL parameter ${node.key}` : 'URL'} ${node.match === 'exact' ? '=' : node.match === 'include' ? 'contains' : 'means'} ${node.value}`;
    case 'element':
      return node.match === 'path'
        ? `acts on ${node.value}`
        : `${node.path ? `value of ${node.path}` : 'an element value'} ${node.match === 'exact' ? '=' : node.match === 'include' ? 'contains' : 'means'} ${node.value}`;
  }
}
