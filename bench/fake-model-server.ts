// A fake OpenAI-compatible model for benchmarks, in its own process so its CPU is not the engine's:
// it answers ToT's Game of 24 propose and value prompts the way a plausible model would.
// Run: node bench/fake-model-server.ts --latency 50   (prints its base URL; Ctrl-C prints its counts)
import { parseArgs } from 'node:util';
import { formatGame24Action, game24LegalActions, solve, type Game24Action } from '../src/envs/game24/index.ts';
import { tryParseRational } from '../src/envs/game24/rational.ts';
import { startFakeOpenAIServer, type FakeChatRequest, type FakeReply } from '../src/testing/fake-openai-server.ts';

const USAGE = `Usage: node bench/fake-model-server.ts [--latency 50]
Starts a fake OpenAI-compatible server on 127.0.0.1 that answers Game of 24 prompts (ToT's propose and
value formats) like a plausible model, after --latency ms. Prints "listening <base URL>" on stdout.
When started with an IPC channel (child_process.fork), it answers {type:'stats'} and {type:'reset'}.
Example: node bench/fake-model-server.ts --latency 50`;

/** What the server has seen since the last reset; a duplicate is a body identical to an earlier one. */
export interface FakeModelStats {
  requests: number;
  distinct: number;
  duplicates: number;
  proposePrompts: number;
  valuePrompts: number;
  unrecognised: number;
  maxInFlight: number;
  /** CPU time of the server process per request, to check the server is not the bottleneck. */
  cpuMsPerRequest: number;
}

/** FNV-1a of `text`, continuing from `hash`. */
function fnv(text: string, hash = 0x811c9dc5): number {
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** A number in [0, 1) drawn from the request's body hash and a salt, so a reply is a pure function of its request. */
function draw(bodyHash: number, salt: string): number {
  return fnv(salt, bodyHash) / 2 ** 32;
}

// The exact solver is the costly part of an answer, and the same few hundred states come up again and again.
const solvedBy = new Map<string, string | null>();
function solveOnce(numbers: readonly string[]): string | null {
  const key = numbers.join(' ');
  let expression = solvedBy.get(key);
  if (expression === undefined) solvedBy.set(key, (expression = solve(numbers)));
  return expression;
}

function lastUserText(body: FakeChatRequest): string {
  const user = (body.messages ?? []).filter((m) => m.role === 'user').at(-1);
  if (!user) return '';
  if (typeof user.content === 'string') return user.content;
  if (Array.isArray(user.content)) return user.content.map((part: { text?: string }) => part.text ?? '').join('');
  return '';
}

/** The numbers of a prompt line such as `4 5 6 10` or `1/2 -3 8`, or null when the line is something else. */
function numbersIn(text: string): string[] | null {
  const words = text.trim().split(/\s+/);
  return words.length > 0 && words.every((word) => tryParseRational(word) !== null) ? words : null;
}

/**
 * ToT's propose format, one step a line. Like a model that is good but not perfect: steps that keep 24
 * reachable are more likely to be listed, the order and selection vary with the prompt, and now and then
 * a line has an arithmetic slip (the engine must record it as an invalid candidate).
 */
function proposeReply(numbers: string[], k: number, bodyHash: number): string {
  const ranked = game24LegalActions({ numbers })
    .map((action) => {
      const keeps24 = solveOnce(action.claimed?.left ?? []) !== null;
      return { action, rank: draw(bodyHash, formatGame24Action(action)) - (keeps24 ? 0.35 : 0) };
    })
    .sort((x, y) => x.rank - y.rank)
    .slice(0, k);
  const lines = ranked.map(({ action }) => formatGame24Action(action));
  if (lines.length > 1 && draw(bodyHash, 'slip') < 0.05) lines[lines.length - 1] = withWrongResult(ranked[ranked.length - 1].action);
  return lines.join('\n');
}

function withWrongResult(action: Game24Action): string {
  const claimed = action.claimed ?? { result: '0' };
  return formatGame24Action({ ...action, claimed: { ...claimed, result: `${claimed.result}1` } });
}

/** ToT's value format: a line of working, then sure/likely/impossible; mostly right, sometimes hedging. */
function valueReply(numbers: string[], bodyHash: number): string {
  const hedge = draw(bodyHash, 'hedge');
  const expression = solveOnce(numbers);
  if (expression !== null) return hedge < 0.1 ? `${expression} might work\nlikely` : `${expression} = 24\nsure`;
  return hedge < 0.05 ? 'the numbers are in a reasonable range\nlikely' : 'nothing reaches 24\nimpossible';
}

const stats: FakeModelStats = { requests: 0, distinct: 0, duplicates: 0, proposePrompts: 0, valuePrompts: 0, unrecognised: 0, maxInFlight: 0, cpuMsPerRequest: 0 };
let cpuSince = process.cpuUsage();
let seenBodies = new Set<string>();

function reply(body: FakeChatRequest): FakeReply {
  const text = answer(body);
  // About four characters a token; the fake server's default counts words, which costs more than the answer.
  const promptChars = (body.messages ?? []).reduce((sum, m) => sum + String(m.content).length, 0);
  return { type: 'text', text, usage: { promptTokens: Math.ceil(promptChars / 4), completionTokens: Math.ceil(text.length / 4) } };
}

function answer(body: FakeChatRequest): string {
  // The body as sent (key order included): the client writes the same request the same way.
  const bodyKey = JSON.stringify(body);
  stats.requests++;
  if (seenBodies.has(bodyKey)) stats.duplicates++;
  else {
    seenBodies.add(bodyKey);
    stats.distinct++;
  }
  const text = lastUserText(body);
  const input = /^Input:\s*(.+)$/m.exec(text);
  const proposeNumbers = input ? numbersIn(input[1]) : null;
  if (proposeNumbers) {
    stats.proposePrompts++;
    const k = Number(/up to (\d+)/.exec(text)?.[1] ?? 8);
    return proposeReply(proposeNumbers, k, fnv(bodyKey));
  }
  const valueNumbers = numbersIn(text);
  if (valueNumbers) {
    stats.valuePrompts++;
    return valueReply(valueNumbers, fnv(bodyKey));
  }
  stats.unrecognised++;
  return "I don't know.";
}

function readLatency(): number {
  try {
    const { values } = parseArgs({ options: { latency: { type: 'string', default: '50' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const latency = Number(values.latency);
    if (!Number.isFinite(latency) || latency < 0) throw new Error(`--latency was '${values.latency}'; expected milliseconds ≥ 0, e.g. --latency 50.`);
    return latency;
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
}

const latencyMs = readLatency();

const server = await startFakeOpenAIServer({ script: reply, latencyMs, models: ['fake-gpt'] });
const counts = (): FakeModelStats => {
  const cpu = process.cpuUsage(cpuSince);
  return { ...stats, maxInFlight: server.maxInFlight, cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, stats.requests) };
};
process.on('message', (message: { type?: string }) => {
  if (message.type === 'stats') process.send?.({ type: 'stats', stats: counts() });
  if (message.type === 'reset') {
    Object.assign(stats, { requests: 0, distinct: 0, duplicates: 0, proposePrompts: 0, valuePrompts: 0, unrecognised: 0 });
    seenBodies = new Set();
    cpuSince = process.cpuUsage();
    // The server's own record of bodies would grow without bound over repeated passes.
    server.requests.length = 0;
    server.requestHeaders.length = 0;
    process.send?.({ type: 'reset' });
  }
});
const stop = async () => {
  // A parent on the IPC channel asks for the counts itself; a person at a terminal gets them here.
  if (!process.send) process.stderr.write(`fake model server: ${JSON.stringify(counts())}\n`);
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('disconnect', stop);
console.log(`listening ${server.url}`);
