import type { Environment, Problem, StepCheck } from '../core/environment.ts';
import { hashString } from '../core/rng.ts';
import { positiveGoalFacts } from '../envs/strips/facts.ts';
import type { GroundLiteral } from '../envs/strips/pddl.ts';

/** A sparse feature vector: hashed or dense slot index → value. */
export type FeatureVector = Map<number, number>;

/** Bumped whenever the features change, so a model file trained on other features is refused. */
export const FEATURES_VERSION = 1;

/** Dense features first, hashed ones after them. */
export const DENSE_FEATURE_NAMES = ['bias', 'heuristic', 'heuristicGain', 'success', 'invalid', 'depth', 'goalShare', 'goalGain', 'goalAdded', 'goalRemoved'] as const;
export const DENSE_FEATURES = DENSE_FEATURE_NAMES.length;

/** Which features a model uses: the hashed slots, and whether the environment's heuristic is among them. */
export interface FeatureSettings {
  hashBits: number;
  /** Off to learn from goal facts and action tokens alone (an ablation: how much does the heuristic carry?). */
  heuristic: boolean;
}

/** One step to featurize: the state it starts from, its action, and where it leads. */
export interface StepInput<S = unknown, A = unknown> {
  env: Environment<S, A>;
  problem: Problem<S, A>;
  state: S;
  action: A;
  next: S;
  check: StepCheck;
  success: boolean;
  depth: number;
}

/**
 * Features of a step, shared by training and the learned scorer: the environment's heuristic before and after,
 * for STRIPS the goal facts it makes and breaks, and hashed tokens of the action in words (its verb, and the verb
 * joined with how it changes the goal), so what is learned on some tasks carries over to tasks with other goals.
 */
export function stepFeatures<S, A>(input: StepInput<S, A>, settings: FeatureSettings): FeatureVector {
  const { hashBits } = settings;
  const features: FeatureVector = new Map();
  const dense = (name: (typeof DENSE_FEATURE_NAMES)[number], value: number) => {
    if (value !== 0 && Number.isFinite(value)) features.set(DENSE_FEATURE_NAMES.indexOf(name), value);
  };
  const size = 1 << hashBits;
  const hashed = (token: string, value = 1) => {
    const index = DENSE_FEATURES + (hashString(token) % size);
    features.set(index, (features.get(index) ?? 0) + value);
  };
  dense('bias', 1);
  dense('success', input.success ? 1 : 0);
  dense('invalid', input.check.valid ? 0 : 1);
  dense('depth', input.depth / 20);
  const heuristic = input.problem.heuristic;
  if (heuristic && settings.heuristic) {
    const after = input.check.valid ? heuristic.call(input.problem, input.next) : 0;
    dense('heuristic', after);
    dense('heuristicGain', after - heuristic.call(input.problem, input.state));
  }
  const verb = actionVerb(input.env, input.action);
  hashed(`verb:${verb}`);
  const goal = goalFacts(input.problem);
  if (goal) {
    const before = new Set(factsOf(input.state));
    const after = new Set(factsOf(input.next));
    const held = (facts: Set<string>) => goal.filter((fact) => facts.has(fact)).length;
    const added = goal.filter((fact) => after.has(fact) && !before.has(fact));
    const removed = goal.filter((fact) => before.has(fact) && !after.has(fact));
    dense('goalShare', held(after) / Math.max(goal.length, 1));
    dense('goalGain', (held(after) - held(before)) / Math.max(goal.length, 1));
    dense('goalAdded', added.length);
    dense('goalRemoved', removed.length);
    hashed(`verb:${verb}|added:${Math.min(added.length, 2)}|removed:${Math.min(removed.length, 2)}`);
    for (const fact of added) hashed(`added:${predicateOf(fact)}`);
    for (const fact of removed) hashed(`removed:${predicateOf(fact)}`);
    // Goal facts still missing, by predicate: how much is left to do, in the state's own words.
    for (const fact of goal) if (!after.has(fact)) hashed(`missing:${predicateOf(fact)}`, 1 / goal.length);
  }
  return features;
}

function actionVerb<A>(env: Environment<unknown, A>, action: A): string {
  const text = env.formatAction(action).replace(/^\(/, '');
  return /^\S+ ([-+*/]) /.test(text) ? text.split(' ')[1] : text.split(/[\s)]/)[0];
}

/** The positive goal atoms of a STRIPS problem, as fact strings; null for environments without one. */
function goalFacts(problem: Problem<unknown, unknown>): string[] | null {
  const goal = (problem as { goal?: readonly GroundLiteral[] }).goal;
  if (!Array.isArray(goal)) return null;
  return positiveGoalFacts(goal);
}

function factsOf(state: unknown): string[] {
  const facts = (state as { facts?: unknown })?.facts;
  return Array.isArray(facts) ? (facts as string[]) : [];
}

function predicateOf(fact: string): string {
  return fact.replace(/^\(/, '').split(/[\s)]/)[0];
}
