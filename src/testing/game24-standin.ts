import { formatGame24Action, type Game24Action } from '../envs/game24/action.ts';
import { sortedNumberTexts } from '../envs/game24/multiset.ts';
import { parseRational } from '../envs/game24/rational.ts';
import { isSolvable } from '../envs/game24/solver.ts';
import { applyGame24Step, game24LegalActions, game24StateKey, type Game24State } from '../envs/game24/step.ts';
import { judgeLine, outputLines } from '../import/game24-replay.ts';
import type { TotBfsEntry } from '../import/tot-log.ts';
import type { FakeChatRequest, FakeReply } from './fake-openai-server.ts';

/** How GPT-4 proposed next steps from states with `n` numbers, counted in a ToT BFS log. */
export interface ProposalRates {
  /** Propose replies (distinct parent states) counted. */
  replies: number;
  /** Of the distinct legal next states from which 24 is still reachable, the share GPT-4 listed a step to. */
  recallReachable: number;
  /** The same for legal next states from which 24 is out of reach. */
  recallUnreachable: number;
  /** Invalid lines per reply (wrong arithmetic, a number not left, a wrong left list), one entry per reply. */
  invalidPerReply: number[];
}

/** How often one value-judge sample said sure / likely / impossible, for states of one true class. */
export interface VerdictRates {
  samples: number;
  sure: number;
  likely: number;
  impossible: number;
}

/** GPT-4's behaviour on ToT's Game of 24, as rates learned from a BFS log; see learnGame24StandIn. */
export interface Game24StandInRates {
  puzzles: number;
  /** By the count of numbers in the state proposed from (4, 3, 2). */
  propose: Record<number, ProposalRates>;
  /** Judgments of states with 3 or 2 numbers, by whether 24 is reachable from the state (the exact solver's word). */
  value: { reachable: VerdictRates; unreachable: VerdictRates };
}

/** ToT's value weights, by which its log sums 3 samples: 20 per sure, 1 per likely, 0.001 per impossible. */
function verdictsOf(value: number): { sure: number; likely: number; impossible: number } | null {
  const sure = Math.floor(value / 20 + 1e-9);
  const likely = Math.floor(value - sure * 20 + 1e-9);
  const impossible = Math.round((value - sure * 20 - likely) * 1000);
  return sure + likely + impossible === 3 ? { sure, likely, impossible } : null;
}

function startOf(entry: TotBfsEntry): Game24State {
  return { numbers: sortedNumberTexts(entry.steps[0].x.trim().split(/\s+/).map(parseRational)) };
}

/** The state `lines` reach from `start`, or null when one of them is not a valid step. */
function replayLines(puzzle: number[], start: Game24State, lines: readonly string[]): Game24State | null {
  let state = start;
  for (const line of lines) {
    const judged = judgeLine(puzzle, state, line);
    if (!judged.check.valid || judged.isAnswer) return null;
    state = judged.state;
  }
  return state;
}

/**
 * Learns the stand-in's rates from ToT's BFS log (its `steps[].new_ys` and `values`): for every state GPT-4 proposed
 * from (the distinct prefixes of `new_ys`, when valid), which of its legal next states it listed a step to, split by
 * whether 24 stays reachable, and how many of its lines were invalid; for every valued proposal that reaches a valid
 * state with 3 or 2 numbers, the three verdicts its value encodes, by whether 24 is reachable from that state.
 */
export function learnGame24StandIn(entries: readonly TotBfsEntry[]): Game24StandInRates {
  const propose: Record<number, ProposalRates & { listedR: number; allR: number; listedU: number; allU: number }> = {};
  const value = { reachable: { samples: 0, sure: 0, likely: 0, impossible: 0 }, unreachable: { samples: 0, sure: 0, likely: 0, impossible: 0 } };
  const judged = new Set<string>();
  for (const entry of entries) {
    const start = startOf(entry);
    const puzzle = start.numbers.map(Number);
    for (const step of entry.steps) {
      const groups = new Map<string, string[]>();
      step.new_ys.forEach((y, i) => {
        const lines = outputLines(y);
        const last = lines.at(-1);
        if (last === undefined || /^answer\s*:/i.test(last)) return;
        const prefix = lines.slice(0, -1).join('\n');
        groups.set(prefix, [...(groups.get(prefix) ?? []), last]);
        // ToT values each new state once per level; a state reached twice is counted once.
        const after = replayLines(puzzle, start, lines);
        const verdicts = verdictsOf(step.values[i]);
        if (after === null || verdicts === null || after.numbers.length < 2) return;
        const key = `${entry.idx}:${step.step}:${game24StateKey(after)}`;
        if (judged.has(key)) return;
        judged.add(key);
        const rates = isSolvable(after.numbers) ? value.reachable : value.unreachable;
        rates.samples += 3;
        rates.sure += verdicts.sure;
        rates.likely += verdicts.likely;
        rates.impossible += verdicts.impossible;
      });
      for (const [prefix, proposals] of groups) {
        const parent = replayLines(puzzle, start, prefix === '' ? [] : prefix.split('\n'));
        if (parent === null || parent.numbers.length < 2) continue;
        const legal = new Map<string, boolean>();
        for (const action of game24LegalActions(parent)) {
          const next = applyGame24Step(parent, action).state;
          legal.set(game24StateKey(next), isSolvable(next.numbers));
        }
        const listed = new Set<string>();
        let invalid = 0;
        for (const line of proposals) {
          const result = judgeLine(puzzle, parent, line);
          if (result.check.valid && !result.isAnswer) listed.add(result.stateKey);
          else invalid++;
        }
        const n = parent.numbers.length;
        const rates = (propose[n] ??= { replies: 0, recallReachable: 0, recallUnreachable: 0, invalidPerReply: [], listedR: 0, allR: 0, listedU: 0, allU: 0 });
        rates.replies++;
        rates.invalidPerReply.push(invalid);
        for (const [key, reachable] of legal) {
          if (reachable) {
            rates.allR++;
            if (listed.has(key)) rates.listedR++;
          } else {
            rates.allU++;
            if (listed.has(key)) rates.listedU++;
          }
        }
      }
    }
  }
  const out: Record<number, ProposalRates> = {};
  for (const [n, r] of Object.entries(propose)) {
    out[Number(n)] = { replies: r.replies, recallReachable: r.allR ? r.listedR / r.allR : 0, recallUnreachable: r.allU ? r.listedU / r.allU : 0, invalidPerReply: r.invalidPerReply };
  }
  return { puzzles: entries.length, propose: out, value };
}

/** FNV-1a, continuing from `hash`. */
function fnv(text: string, hash = 0x811c9dc5): number {
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** A small seeded generator (mulberry32): numbers in [0, 1). */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function lastUserText(body: FakeChatRequest): string {
  const user = (body.messages ?? []).filter((m) => m.role === 'user').at(-1);
  if (!user) return '';
  if (typeof user.content === 'string') return user.content;
  if (Array.isArray(user.content)) return user.content.map((part: { text?: string }) => part.text ?? '').join('');
  return '';
}

/** `10 - 4 = 7 (left: 5 6 7)`: a legal step with its result off by one, as GPT-4's slips are. */
function slipOf(action: Game24Action): string {
  const result = parseRational(action.claimed!.result);
  const wrong = `${result.num + result.den}${result.den === 1n ? '' : `/${result.den}`}`;
  const left = [...action.claimed!.left!];
  left[left.indexOf(action.claimed!.result)] = wrong;
  return formatGame24Action({ ...action, claimed: { result: wrong, left } });
}

/**
 * A fake OpenAI-compatible "GPT-4" for stepwise's Game of 24 prompts (list-mode propose, ToT value), answering with
 * the rates learned from a ToT log: each legal next state is listed with the learned recall for its class (24
 * reachable or not), in a random order, with as many slipped lines as a reply drawn from the log had invalid ones;
 * each value sample says sure / likely / impossible with the learned frequencies for the state's true class. Every
 * reply is a pure function of `seed` and the request body (the judge's samples differ by their seed field).
 */
export function game24StandInScript(rates: Game24StandInRates, options: { seed?: number } = {}): (body: FakeChatRequest) => FakeReply {
  const seed = options.seed ?? 0;
  return (body) => {
    const random = generator(fnv(JSON.stringify(body), fnv(String(seed))));
    const text = lastUserText(body);
    const input = /^Input:\s*(.+)$/m.exec(text);
    if (input) {
      const numbers = sortedNumberTexts(input[1].trim().split(/\s+/).map(parseRational));
      const learned = rates.propose[numbers.length] ?? rates.propose[Math.min(...Object.keys(rates.propose).map(Number))];
      const byState = new Map<string, Game24Action>();
      for (const action of game24LegalActions({ numbers })) {
        const key = action.claimed!.left!.join(' ');
        if (!byState.has(key)) byState.set(key, action);
      }
      const chosen = [...byState.values()].filter((action) => random() < (isSolvable(action.claimed!.left!) ? learned.recallReachable : learned.recallUnreachable));
      const slips = learned.invalidPerReply[Math.floor(random() * learned.invalidPerReply.length)] ?? 0;
      const all = [...byState.values()];
      const lines = chosen.map(formatGame24Action);
      for (let i = 0; i < slips && all.length > 0; i++) lines.push(slipOf(all[Math.floor(random() * all.length)]));
      for (let i = lines.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [lines[i], lines[j]] = [lines[j], lines[i]];
      }
      return lines.join('\n');
    }
    const numbers = text.trim().split('\n').at(-1)?.trim().split(/\s+/) ?? [];
    const verdicts = isSolvable(numbers) ? rates.value.reachable : rates.value.unreachable;
    const draw = random() * verdicts.samples;
    const verdict = draw < verdicts.sure ? 'sure' : draw < verdicts.sure + verdicts.likely ? 'likely' : 'impossible';
    return `${numbers.join(' ')}: judged from the recorded rates\n${verdict}`;
  };
}
