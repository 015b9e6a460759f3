import type { KeyNode, KeyNodeTarget } from './key-node.ts';

/** One step of the evaluated path, as the checks see it. */
export interface StepView {
  /** 1 for the first action. */
  index: number;
  nodeId: string;
  action: string;
  observation: string;
  /** The state after the step, rendered by the environment. */
  state: string;
  /** The state as a multiset of facts: STRIPS facts, the Game of 24 numbers left. */
  facts: string[];
  /** Whether this is the last step of the path (what `answer` targets read). */
  last: boolean;
  /** Web steps: the page's URL after the step (`url` key nodes). */
  url?: string | null;
  /** Web steps: the element the step acted on and the value it left there (`element` key nodes). */
  element?: { path: string; value: string } | null;
}

/** Scores a text against a reference from 0 to 1 (the semantic match; an LLM judge in practice). */
export type SemanticJudge = (input: string, reference: string) => Promise<number>;

/** The text a check reads from a step, or null when the target does not apply to it. */
export function targetText(step: StepView, target: KeyNodeTarget | undefined): string | null {
  switch (target ?? 'action') {
    case 'action':
      return step.action;
    case 'observation':
      return step.observation;
    case 'state':
      return step.state;
    case 'answer':
      return step.last ? step.action : null;
  }
}

/** WebCanvas's exact match: 1 when equal (after lower-casing for its text matches). */
export function exactMatch(input: string, reference: string, ignoreCase = false): number {
  return (ignoreCase ? input.toLowerCase() === reference.toLowerCase() : input === reference) ? 1 : 0;
}

/** WebCanvas's include match: 1 when the reference occurs in the input. */
export function includeMatch(input: string, reference: string, ignoreCase = false): number {
  return (ignoreCase ? input.toLowerCase().includes(reference.toLowerCase()) : input.includes(reference)) ? 1 : 0;
}

export function regexMatch(input: string, pattern: string, flags?: string): number {
  return new RegExp(pattern, flags).test(input) ? 1 : 0;
}

/** Numbers written in text: integers, decimals and fractions like 3/2 (as their value), negative when signed. */
export function numbersIn(text: string): number[] {
  const found: number[] = [];
  // A minus right after a number or a closing bracket is a subtraction (10-6), not a sign.
  for (const match of text.matchAll(/(?:(?<![\d.)\]])-)?\d+(?:\.\d+)?(?:\/\d+(?:\.\d+)?)?/g)) {
    const [top, bottom] = match[0].split('/');
    const value = bottom === undefined ? Number(top) : Number(top) / Number(bottom);
    if (Number.isFinite(value)) found.push(value);
  }
  return found;
}

/** 1 when any of the numbers is within `tolerance` of `value` (absolute). */
export function numericMatch(numbers: readonly number[], value: number, tolerance = 0): number {
  return numbers.some((n) => Math.abs(n - value) <= tolerance + 1e-12) ? 1 : 0;
}

/** Multiset containment: every required fact occurs in `facts` at least as often as required. */
export function factsContain(facts: readonly string[], required: readonly string[]): boolean {
  const counts = new Map<string, number>();
  for (const fact of facts) counts.set(fact, (counts.get(fact) ?? 0) + 1);
  for (const fact of required) {
    const left = counts.get(fact) ?? 0;
    if (left === 0) return false;
    counts.set(fact, left - 1);
  }
  return true;
}

/** Scores one step against one key node, from 0 to 1. */
export async function scoreStep(node: KeyNode, step: StepView, judge?: SemanticJudge): Promise<number> {
  if (node.type === 'url' || node.type === 'element') return scoreWebStep(node, step, judge);
  if (node.type === 'facts') {
    const sets = node.contains ? [node.contains] : node.anyOf!;
    return sets.some((set) => factsContain(step.facts, set)) ? 1 : 0;
  }
  if (node.type === 'numeric' && node.target === 'facts') return numericMatch(step.facts.flatMap(numbersIn), node.value, node.tolerance);
  const text = targetText(step, node.type === 'numeric' ? (node.target as KeyNodeTarget | undefined) : node.target);
  if (text === null) return 0;
  switch (node.type) {
    case 'exact':
      return exactMatch(text, node.value, node.ignoreCase);
    case 'include':
      return includeMatch(text, node.value, node.ignoreCase);
    case 'regex':
      return regexMatch(text, node.pattern, node.flags);
    case 'numeric':
      return numericMatch(numbersIn(text), node.value, node.tolerance);
    case 'semantic': {
      if (!judge) throw new Error('a semantic key node needs a judge model');
      // WebCanvas gives an empty input 0 without asking the judge.
      if (text.trim() === '') return 0;
      return clampScore(await judge(text, node.reference));
    }
  }
}

/** A URL parameter's decoded value (WebCanvas's `key`), or the whole URL decoded; null when the parameter is absent. */
export function urlText(url: string, key?: string): string | null {
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  if (!key) return decode(url);
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1).split('#')[0] : '';
  return new URLSearchParams(query).get(key);
}

/** WebCanvas's URL and element matches: case-sensitive, as its URLEvaluator and ElementEvaluator compare. */
async function scoreWebStep(node: Extract<KeyNode, { type: 'url' | 'element' }>, step: StepView, judge?: SemanticJudge): Promise<number> {
  let input: string | null;
  if (node.type === 'url') input = step.url ? urlText(step.url, node.key) : null;
  else if (!step.element) input = null;
  else if (node.match === 'path') return step.element.path === node.value ? 1 : 0;
  else input = node.path && node.path !== step.element.path ? null : step.element.value;
  if (input === null) return 0;
  if (node.match === 'exact') return exactMatch(input, node.value);
  if (node.match === 'include') return includeMatch(input, node.value);
  if (!judge) throw new Error('a semantic key node needs a judge model');
  return input.trim() === '' ? 0 : clampScore(await judge(input, node.value));
}

/** Clamps to [0, 1] and, like WebCanvas, keeps two decimals for fractional scores. */
export function clampScore(score: number): number {
  if (!Number.isFinite(score)) return 0;
  const clamped = Math.max(0, Math.min(1, score));
  return clamped === 0 || clamped === 1 ? clamped : Math.round(clamped * 100) / 100;
}

/** One key node's result over a path: its best score and the first step that reached it. */
export interface KeyNodeHit {
  id: string;
  label: string;
  score: number;
  met: boolean;
  /** The step (1-based) where the best score was first reached, null if never above 0. */
  step: number | null;
  nodeId: string | null;
}

/**
 * Each key node keeps its best score over the steps, in any order (WebCanvas): a node reached at
 * step 5 counts as much as at step 1. A node stops being checked once it scores 1. Met means a score of 1.
 */
export async function keyNodeHits(nodes: readonly (KeyNode & { id: string; label: string })[], steps: readonly StepView[], judge?: SemanticJudge): Promise<KeyNodeHit[]> {
  const hits: KeyNodeHit[] = [];
  for (const node of nodes) {
    let best = 0;
    let at: StepView | null = null;
    for (const step of steps) {
      const score = await scoreStep(node, step, judge);
      if (score > best) {
        best = score;
        at = step;
      }
      if (best >= 1) break;
    }
    hits.push({ id: node.id, label: node.label, score: best, met: best >= 1, step: at?.index ?? null, nodeId: at?.nodeId ?? null });
  }
  return hits;
}
