import { ActionParseError } from '../../core/errors.ts';
import type { Domain, GroundLiteral } from './pddl.ts';
import { parseFact } from './facts.ts';
import type { StripsAction } from './action-text.ts';

/** PlanBench's colour for each block letter, as in RAP's prompts. */
export const BLOCK_COLOURS: Readonly<Record<string, string>> = {
  a: 'red', b: 'blue', c: 'orange', d: 'yellow', e: 'white', f: 'magenta',
  g: 'black', h: 'cyan', i: 'green', j: 'violet', k: 'silver', l: 'gold',
};

/** `red block` for a..l; `block m` for any other object name. */
export function blockLabel(name: string): string {
  const colour = BLOCK_COLOURS[name];
  return colour === undefined ? `block ${name}` : `${colour} block`;
}

/** Whether the domain has Blocksworld's five predicates, so its states read naturally in words. */
export function isBlocksworldLike(domain: Domain): boolean {
  const arity = (name: string): number | undefined => domain.predicates.get(name)?.parameters.length;
  return arity('on') === 2 && arity('ontable') === 1 && arity('clear') === 1 && arity('handempty') === 0 && arity('holding') === 1;
}

/** One Blocksworld fact in PlanBench's words, e.g. `the red block is on top of the blue block`. */
export function blocksworldFactText(predicate: string, args: readonly string[]): string {
  const [x, y] = args.map(blockLabel);
  switch (predicate) {
    case 'clear': return `the ${x} is clear`;
    case 'ontable': return `the ${x} is on the table`;
    case 'handempty': return 'the hand is empty';
    // PlanBench writes "holding red block" without "the"; kept so prompts match RAP's few-shot examples.
    case 'holding': return `the hand is currently holding ${x}`;
    case 'on': return `the ${x} is on top of the ${y}`;
    default: return args.length === 0 ? `(${predicate})` : `(${predicate} ${args.join(' ')})`;
  }
}

/** `x, y and z`, as PlanBench joins facts. */
export function joinClauses(clauses: readonly string[]): string {
  if (clauses.length <= 1) return clauses[0] ?? '';
  return `${clauses.slice(0, -1).join(', ')} and ${clauses.at(-1)}`;
}

/** A Blocksworld state in PlanBench's words; facts are taken in canonical (predicate, then argument) order. */
export function blocksworldStateText(facts: readonly string[]): string {
  return joinClauses(facts.map((f) => {
    const { predicate, args } = parseFact(f);
    return blocksworldFactText(predicate, args);
  }));
}

/** A Blocksworld goal in PlanBench's words, in the order the problem file lists it. */
export function blocksworldGoalText(goal: readonly GroundLiteral[]): string {
  return joinClauses(goal.map((l) => {
    const text = l.kind === 'equal' ? `${blockLabel(l.args[0])} is ${blockLabel(l.args[1])}` : blocksworldFactText(l.predicate, l.args);
    return l.positive ? text : `it is not the case that ${text}`;
  }));
}

const ACTION_WORDS: Record<string, (x: string, y: string) => string> = {
  'pick-up': (x) => `pick up the ${x}`,
  'put-down': (x) => `put down the ${x}`,
  stack: (x, y) => `stack the ${x} on top of the ${y}`,
  unstack: (x, y) => `unstack the ${x} from on top of the ${y}`,
};

/** `unstack the red block from on top of the blue block`; other actions fall back to `(name args)`. */
export function blocksworldActionText(action: StripsAction): string {
  const words = ACTION_WORDS[action.name];
  const [x, y] = action.args.map(blockLabel);
  const arity = action.name === 'stack' || action.name === 'unstack' ? 2 : 1;
  if (words === undefined || action.args.length !== arity) return `(${[action.name, ...action.args].join(' ')})`;
  return words(x, y);
}

const ACTION_PATTERNS: { name: string; pattern: RegExp }[] = [
  { name: 'pick-up', pattern: /^pick up (.+)$/ },
  { name: 'put-down', pattern: /^put down (.+)$/ },
  { name: 'unstack', pattern: /^unstack (.+?) from (?:on top of |on )?(.+)$/ },
  { name: 'stack', pattern: /^stack (.+?) on (?:top of )?(.+)$/ },
];

/** Text that looks like a Blocksworld action in words rather than PDDL. */
export function looksLikeBlocksworldWords(text: string): boolean {
  return /^\s*(pick up|put down|unstack|stack)\s+the\s/i.test(text);
}

/**
 * Reads `pick up the red block` (and the other three forms) back into an action. `objects`
 * names the blocks that may appear; by default the twelve PlanBench colours.
 */
export function parseBlocksworldActionText(text: string, objects: readonly string[] = Object.keys(BLOCK_COLOURS)): StripsAction {
  const normal = text.trim().toLowerCase().replace(/[.!]+$/, '').replace(/\s+/g, ' ');
  const byLabel = new Map<string, string>();
  for (const name of objects) {
    for (const label of [blockLabel(name), `block ${name}`, `${name} block`, BLOCK_COLOURS[name]]) {
      if (label !== undefined && !byLabel.has(label)) byLabel.set(label, name);
    }
  }
  const resolve = (phrase: string): string => {
    const label = phrase.replace(/^the /, '');
    // `block m` names any object directly; the step then says whether it exists.
    const name = byLabel.get(label) ?? /^block ([a-z0-9_][a-z0-9_.\-]*)$/.exec(label)?.[1];
    if (name === undefined) {
      const known = objects.map((o) => `the ${blockLabel(o)}`).join(', ');
      throw new ActionParseError(`Unknown block "${phrase}" in "${text}"; expected one of: ${known}.`);
    }
    return name;
  };
  for (const { name, pattern } of ACTION_PATTERNS) {
    const match = pattern.exec(normal);
    if (match) return { name, args: match.slice(1).map(resolve) };
  }
  throw new ActionParseError(
    `Cannot read "${text}" as a Blocksworld action.`,
    { hint: 'Expected one of: "pick up the red block", "put down the red block", "stack the red block on top of the blue block", "unstack the red block from on top of the blue block".' },
  );
}
