import type { Problem, StepCheck, Transition } from '../../core/environment.ts';
import { formatStripsAction } from './action-text.ts';
import type { StripsAction } from './action-text.ts';
import { blocksworldActionText, blocksworldGoalText, blocksworldStateText, isBlocksworldLike } from './blocksworld-language.ts';
import { canonicalFacts, compareText, formatFact, groundLiteralHolds, groundLiteralText, positiveGoalFacts } from './facts.ts';
import { applyEffects, compileMatcher, indexFacts, matchApplicable, successorFacts, unmetPreconditions } from './matcher.ts';
import type { ActionMatcher } from './matcher.ts';
import type { Domain, GroundLiteral, PddlProblem } from './pddl.ts';
import { groundRelaxed } from './relaxed-grounding.ts';
import { createRelaxedPlanHeuristic } from './relaxed-plan-heuristic.ts';
import { createTypedObjects } from './typed-objects.ts';
import type { TypedObjects } from './typed-objects.ts';

/** A STRIPS state: the true facts as canonical strings like `(on a b)`, sorted. Everything else is false. */
export interface StripsState {
  facts: string[];
}

/** A loaded PDDL problem: the Problem contract plus what prompts, tests and generators need. */
export interface StripsProblem extends Problem<StripsState, StripsAction> {
  readonly domain: Domain;
  readonly pddl: PddlProblem;
  readonly objects: TypedObjects;
  readonly goal: readonly GroundLiteral[];
  /** The domain has on/ontable/clear/handempty/holding, so states, goals and actions read in words. */
  readonly isBlocksworld: boolean;
  step(state: StripsState, action: StripsAction): Transition<StripsState>;
  legalActions(state: StripsState): StripsAction[];
  /** Each legal action with the state it leads to, in legalActions order; cheaper than legalActions plus step for search. */
  successors(state: StripsState): { action: StripsAction; state: StripsState }[];
  heuristic(state: StripsState): number;
  /** Whether `action` may run in `state`, without running it. */
  check(state: StripsState, action: StripsAction): StepCheck;
  isGoal(state: StripsState): boolean;
  /** The raw delete-relaxation estimate h_FF: relaxed plan length, Infinity if unreachable even relaxed. */
  relaxedDistance(state: StripsState): number;
  /** The action in words for Blocksworld, else `(name args)`. */
  describeAction(action: StripsAction): string;
}

const matchersByDomain = new WeakMap<Domain, ActionMatcher[]>();

function matchersOf(domain: Domain): ActionMatcher[] {
  let matchers = matchersByDomain.get(domain);
  if (!matchers) {
    matchers = [...domain.actions.values()].map(compileMatcher);
    matchersByDomain.set(domain, matchers);
  }
  return matchers;
}

export function createStripsProblem(domain: Domain, pddl: PddlProblem): StripsProblem {
  const objects = createTypedObjects(domain, pddl);
  const matchers = matchersOf(domain);
  const isBlocksworld = isBlocksworldLike(domain);
  const initialState: StripsState = { facts: canonicalFacts(pddl.init.map((f) => formatFact(f.predicate, f.args))) };
  const goalFacts = positiveGoalFacts(pddl.goal);
  let relaxedHeuristic: ((facts: readonly string[]) => number) | undefined;

  const isGoal = (state: StripsState): boolean => {
    const facts = new Set(state.facts);
    return pddl.goal.every((l) => groundLiteralHolds(l, (f) => facts.has(f)));
  };

  const check = (state: StripsState, action: StripsAction): StepCheck => {
    const text = formatStripsAction(action);
    const schema = domain.actions.get(action.name);
    if (schema === undefined) {
      return { valid: false, reason: `unknown action '${action.name}' in ${text}; the domain's actions are: ${[...domain.actions.keys()].join(', ')}`, detail: { error: 'unknown_action' } };
    }
    if (action.args.length !== schema.parameters.length) {
      const params = schema.parameters.map((p) => p.name).join(' ');
      return { valid: false, reason: `${text} has ${action.args.length} argument(s), but ${schema.name} takes ${schema.parameters.length}: ${params || 'none'}`, detail: { error: 'wrong_arity' } };
    }
    for (let i = 0; i < action.args.length; i++) {
      const arg = action.args[i];
      const param = schema.parameters[i];
      if (!objects.has(arg)) {
        return { valid: false, reason: `unknown object '${arg}' in ${text}; the objects are: ${objects.names.join(', ')}`, detail: { error: 'unknown_object', object: arg } };
      }
      if (!objects.isOfType(arg, param.types)) {
        return { valid: false, reason: `'${arg}' in ${text} has type ${objects.typeOf(arg)}, but ${param.name} of ${schema.name} needs type ${param.types.join(' or ')}`, detail: { error: 'wrong_type', object: arg } };
      }
    }
    const facts = new Set(state.facts);
    const unmet = unmetPreconditions(schema, action.args, (f) => facts.has(f));
    if (unmet.length > 0) return { valid: false, reason: `${text} is not applicable: unmet preconditions ${unmet.join(', ')}`, detail: { unmet } };
    return { valid: true };
  };

  const step = (state: StripsState, action: StripsAction): Transition<StripsState> => {
    const verdict = check(state, action);
    if (!verdict.valid) {
      return { state, observation: `Invalid: ${verdict.reason}.`, reward: 0, done: false, success: isGoal(state), check: verdict };
    }
    const schema = domain.actions.get(action.name)!;
    const { next, added, deleted } = applyEffects(schema, action.args, new Set(state.facts));
    const nextState: StripsState = { facts: canonicalFacts(next) };
    const success = isGoal(nextState);
    const changes = [
      added.length > 0 ? `now true: ${added.sort(compareText).join(', ')}` : '',
      deleted.length > 0 ? `now false: ${deleted.sort(compareText).join(', ')}` : '',
    ].filter((part) => part !== '');
    const observation = `${formatStripsAction(action)}: ${changes.join('; ') || 'no facts changed'}.${success ? ' The goal is reached.' : ''}`;
    return { state: nextState, observation, reward: success ? 1 : 0, done: success, success, check: verdict };
  };

  const legalActions = (state: StripsState): StripsAction[] => {
    const index = indexFacts(state.facts);
    const found: { text: string; action: StripsAction }[] = [];
    for (const matcher of matchers) {
      for (const args of matchApplicable(matcher, index, objects)) {
        const action = { name: matcher.schema.name, args };
        found.push({ text: formatStripsAction(action), action });
      }
    }
    return found.sort((a, b) => compareText(a.text, b.text)).map((f) => f.action);
  };

  const successors = (state: StripsState): { action: StripsAction; state: StripsState }[] => {
    const facts = new Set(state.facts);
    return legalActions(state).map((action) => {
      const schema = domain.actions.get(action.name)!;
      return { action, state: { facts: canonicalFacts(successorFacts(schema, action.args, facts)) } };
    });
  };

  const relaxedDistance = (state: StripsState): number => {
    relaxedHeuristic ??= createRelaxedPlanHeuristic(groundRelaxed(matchers, objects, initialState.facts), goalFacts);
    const h = relaxedHeuristic(state.facts);
    // Only negative goal literals can be unmet when every positive one holds: at least one more step.
    return h === 0 && !isGoal(state) ? 1 : h;
  };

  const render = (state: StripsState): string => {
    const facts = `State: ${state.facts.join(' ') || '(no facts)'}`;
    return isBlocksworld ? `${facts}\nIn words: ${blocksworldStateText(state.facts)}` : facts;
  };

  return {
    domain,
    pddl,
    objects,
    goal: pddl.goal,
    isBlocksworld,
    initialState,
    goalText: isBlocksworld ? blocksworldGoalText(pddl.goal) : pddl.goal.map(groundLiteralText).join(', '),
    step,
    check,
    legalActions,
    successors,
    render,
    stateKey: (state) => stateKeyOf(state),
    isGoal,
    relaxedDistance,
    heuristic: (state) => 1 / (1 + relaxedDistance(state)),
    describeAction: (action) => (isBlocksworld ? blocksworldActionText(action) : formatStripsAction(action)),
  };
}

/** Facts joined in canonical order; states built by hand are sorted first so equal sets give equal keys. */
export function stateKeyOf(state: StripsState): string {
  const { facts } = state;
  for (let i = 1; i < facts.length; i++) {
    if (compareText(facts[i - 1], facts[i]) >= 0) return canonicalFacts(facts).join('');
  }
  return facts.join('');
}
