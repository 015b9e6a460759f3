import type { Task } from '../../core/environment.ts';
import { TaskError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import type { Rng } from '../../core/rng.ts';
import { BLOCKSWORLD_DOMAIN, blocksworldProblemText } from './blocksworld-domain.ts';
import { canonicalFacts, compareText } from './facts.ts';
import type { PddlProblem } from './pddl.ts';
import { parseDomainCached } from './strips-spec.ts';
import type { StripsSpec } from './strips-spec.ts';
import { createStripsProblem, stateKeyOf } from './strips-problem.ts';
import type { StripsProblem, StripsState } from './strips-problem.ts';

export interface BlocksworldRequest {
  count: number;
  blocks: number;
  /** The exact optimal plan length every instance must have. */
  length: number;
  seed: number;
}

const BLOCK_NAMES = 'abcdefghijklmnopqrstuvwxyz'.split('');
const INITIAL_STATES_PER_TASK = 40;
const MAX_SEARCH_STATES = 200_000;
/** States searched over all tries before giving up, so an unlucky request fails in seconds rather than hanging. */
const MAX_TOTAL_STATES = 1_500_000;

/**
 * Random Blocksworld instances whose optimal plan length is exactly `length`: a random
 * initial tower layout, a breadth-first search from it to depth `length`, and a goal made of
 * the `on` facts of a state at that depth that no shallower state satisfies.
 */
export function generateBlocksworldTasks(request: BlocksworldRequest): Task<StripsSpec>[] {
  const { count, blocks, length, seed } = request;
  checkRequest(request);
  const source = `generate:blocksworld?count=${count}&blocks=${blocks}&length=${length}&seed=${seed}`;
  const names = BLOCK_NAMES.slice(0, blocks);
  const domain = parseDomainCached(BLOCKSWORLD_DOMAIN, 'the built-in Blocksworld domain');
  const rng = createRng(seed);
  const seen = new Set<string>();
  const tasks: Task<StripsSpec>[] = [];
  const work = { states: 0 };
  let tries = 0;
  while (tasks.length < count) {
    if (++tries > INITIAL_STATES_PER_TASK * count || work.states > MAX_TOTAL_STATES) {
      throw new TaskError(
        `Could not generate ${count} distinct Blocksworld instances with ${blocks} blocks and optimal plan length ${length} (found ${tasks.length} after searching from ${tries - 1} random initial states).`,
        { hint: `Ask for a shorter length (at most about ${2 * blocks} is easy for ${blocks} blocks), more blocks, or fewer tasks.` },
      );
    }
    const init = randomTowers(names, rng);
    const pddl: PddlProblem = { name: 'search', domainName: domain.name, objects: new Map(names.map((n) => [n, 'object'])), init: init.map(toAtom), goal: [] };
    const goal = pickGoalAtDepth(createStripsProblem(domain, pddl), length, rng, work);
    if (goal === undefined) continue;
    const key = `${init.join('')}|${goal.join('')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const id = `bw-${blocks}-${length}-${tasks.length + 1}`;
    tasks.push({
      id,
      env: 'strips',
      source,
      spec: { domain: BLOCKSWORLD_DOMAIN, problem: blocksworldProblemText(id, names, init, goal) },
      meta: { optimalLength: length, blocks },
    });
  }
  return tasks;
}

function checkRequest({ count, blocks, length, seed }: BlocksworldRequest): void {
  const whole = (value: number, min: number): boolean => Number.isInteger(value) && value >= min;
  if (!whole(count, 0)) throw new TaskError(`Blocksworld count must be a whole number ≥ 0, got ${count}.`);
  if (!whole(blocks, 2) || blocks > BLOCK_NAMES.length) throw new TaskError(`Blocksworld needs between 2 and ${BLOCK_NAMES.length} blocks, got ${blocks}.`);
  if (!Number.isFinite(seed)) throw new TaskError(`Blocksworld seed must be a number, got ${seed}.`);
  if (!whole(length, 2) || length % 2 !== 0) {
    throw new TaskError(`Blocksworld optimal plan length must be an even number ≥ 2, got ${length}.`, {
      hint: 'Every plan from a hand-empty state to a goal of on-facts picks up and sets down blocks in pairs; use 2, 4, 6, …',
    });
  }
  // Unstacking every block onto the table and building the goal towers takes at most 4 moves per non-bottom block.
  const longest = 4 * (blocks - 1);
  if (length > longest) {
    throw new TaskError(`No Blocksworld instance with ${blocks} blocks has an optimal plan of length ${length}; the longest possible is at most ${longest}.`, {
      hint: `Use more blocks (at least ${Math.ceil(length / 4) + 1}) or a length of at most ${longest}.`,
    });
  }
}

/** Blocks placed one by one in random order, each on the table or on top of a random existing tower. */
function randomTowers(names: readonly string[], rng: Rng): string[] {
  const tops: string[] = [];
  const facts = ['(handempty)'];
  for (const block of rng.shuffle(names.slice())) {
    const choice = rng.int(tops.length + 1);
    if (choice === tops.length) {
      facts.push(`(ontable ${block})`);
      tops.push(block);
    } else {
      facts.push(`(on ${block} ${tops[choice]})`);
      tops[choice] = block;
    }
  }
  for (const top of tops) facts.push(`(clear ${top})`);
  return canonicalFacts(facts);
}

function toAtom(fact: string): { predicate: string; args: string[] } {
  const [predicate, ...args] = fact.slice(1, -1).split(' ');
  return { predicate, args };
}

/**
 * Searches breadth-first to `depth` and returns the sorted `on` facts of a random state at
 * exactly that depth whose `on` facts no shallower state has, or undefined if there is none.
 */
function pickGoalAtDepth(problem: StripsProblem, depth: number, rng: Rng, work: { states: number }): string[] | undefined {
  const seen = new Set([stateKeyOf(problem.initialState)]);
  const shallower: Set<string>[] = [];
  let layer: StripsState[] = [problem.initialState];
  for (let d = 0; d < depth; d++) {
    const next: StripsState[] = [];
    for (const state of layer) {
      shallower.push(new Set(state.facts.filter(isOnFact)));
      for (const { state: successor } of problem.successors(state)) {
        const key = stateKeyOf(successor);
        if (seen.has(key)) continue;
        seen.add(key);
        next.push(successor);
      }
    }
    if (seen.size > MAX_SEARCH_STATES) {
      throw new TaskError(`Blocksworld with ${problem.objects.names.length} blocks and plan length ${depth} needs a search over more than ${MAX_SEARCH_STATES} states.`, { hint: 'Use fewer blocks or a shorter length.' });
    }
    layer = next;
  }
  work.states += seen.size;
  for (const state of rng.shuffle(layer.slice())) {
    const goal = state.facts.filter(isOnFact);
    if (goal.length === 0) continue;
    if (!shallower.some((facts) => goal.every((f) => facts.has(f)))) return goal.sort(compareText);
  }
  return undefined;
}

function isOnFact(fact: string): boolean {
  return fact.startsWith('(on ');
}
