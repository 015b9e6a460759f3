import type { z } from 'zod';
import { createRegistry, type RegistryEntry } from '../registry/registry.ts';
import { keyNodeSchema, type KeyNode } from './key-node.ts';
import type { SemanticJudge, StepView } from './match.ts';

/** Scores one step of an evaluated path against one key node, from 0 to 1. */
export interface KeyNodeMatcher {
  score(step: StepView, judge?: SemanticJudge): number | Promise<number>;
}

/**
 * A key-node type (`type:` in a suite): its options are the node's fields (a zod schema over the whole node),
 * and `create` turns a node into its matcher.
 */
export type KeyNodeMatcherEntry = RegistryEntry<KeyNodeMatcher, void>;

/** The key-node types by name: the built-ins (exact, include, regex, numeric, facts, semantic, url, element), and those plug-ins register. */
export const keyNodeMatchers = createRegistry<KeyNodeMatcher, void>('key-node type');

const BUILTIN_DESCRIPTIONS: Record<KeyNode['type'], string> = {
  exact: 'the target text equals a value',
  include: 'the target text contains a value',
  regex: 'the target text matches a regular expression',
  numeric: 'a number in the target is within a tolerance of a value',
  facts: 'the state holds a set of facts (or one of several sets)',
  semantic: 'a judge model scores the target text against a reference',
  url: "WebCanvas: the page's URL (or one of its parameters) equals, contains or means a value",
  element: 'WebCanvas: an element acted on (its path), or its value, equals, contains or means a value',
};

/** Registers the built-in types, each scored by `score` (match.ts), with its member of keyNodeSchema as the options. */
export function registerBuiltinMatchers(score: (node: KeyNode, step: StepView, judge?: SemanticJudge) => Promise<number>): void {
  for (const member of keyNodeSchema.options) {
    const type = (member.shape.type as z.ZodLiteral<KeyNode['type']>).value;
    if (keyNodeMatchers.has(type)) continue;
    keyNodeMatchers.register({
      name: type,
      describe: BUILTIN_DESCRIPTIONS[type],
      options: member,
      create: (node: KeyNode) => ({ score: (step, judge) => score(node, step, judge) }),
    });
  }
}

/** Whether a type is one stepwise itself defines (its schema is part of keyNodeSchema). */
export function isBuiltinKeyNodeType(type: string): boolean {
  return type in BUILTIN_DESCRIPTIONS;
}
