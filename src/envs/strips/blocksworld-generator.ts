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
        { hint: couldNotGenerateHint(blocks, length, tasks.length) },
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

/** What to change when too few instances were found: never a length or count the request already meets. */
function couldNotGenerateHint(blocks: number, length: number, found: number): string {
  const fixes = [
    found > 0 ? `at most ${found} task(s) (there may be no more distinct ones)` : '',
    length > 2 * blocks ? `a length of at most ${2 * blocks} (easy for ${blocks} blocks)` : '',
    blocks < BLOCK_NAMES.length ? 'more blocks (more distinct instances)' : '',
    'another seed',
  ].filter((fix) => fix !== '');
  return `Try ${fixes.join('; ')}.`;
}

function checkRequest({ count, blocks, length, seed }: BlocksworldRequest): void {
  const whole = (value: number, min: number): boolean => Number.isInteger(value) && value >= min;
  // At least one: a run refuses a task spec that names no tasks.
  if (!whole(count, 1)) throw new TaskError(`Blocksworld count must be a whole number ≥ 1, got ${count}.`);
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
    // More blocks are suggested only when a count the generator allows reaches that length.
    const needed = Math.ceil(length / 4) + 1;
    throw new TaskError(`No Blocksworld instance with ${blocks} blocks has an optimal plan of length ${length}; the longest possible is at most ${longest}.`, {
      hint: needed <= BLOCK_NAMES.length
        ? `Use a length of at most ${longest}; length ${length} needs at least ${needed} blocks, and with many blocks the generator's search (up to ${MAX_SEARCH_STATES.toLocaleString('en-US')} states) reaches only shorter plans.`
        : `Use a length of at most ${longest}; no count of blocks the generator allows (2 to ${BLOCK_NAMES.length}) reaches ${length}.`,
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
      // Depth d was searched within the limit: the longest even length within reach for these blocks is known exactly.
      const reach = d - (d % 2);
      const blocks = problem.objects.names.length;
      throw new TaskError(`Blocksworld with ${blocks} blocks and plan length ${depth} needs a search over more than ${MAX_SEARCH_STATES.toLocaleString('en-US')} states (it passed that at depth ${d + 1}).`, {
        hint: reach >= 2
          ? `With ${blocks} blocks, use a length of at most ${reach}.`
          : `With ${blocks} blocks not even length 2 is within the search's reach from this layout; use fewer blocks.`,
      });
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
