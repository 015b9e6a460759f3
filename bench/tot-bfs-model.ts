// Benchmark (issue 3): a Tree-of-Thoughts BFS over Game of 24 with a model over HTTP. Are the model's
// slots kept busy (wall time against calls × latency / slots), and is any request sent twice?
// Run: node bench/tot-bfs-model.ts   (or --help)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UsageError } from '../src/core/errors.ts';
import { game24Environment, loadTotCsv } from '../src/envs/game24/index.ts';
import { createModelClient } from '../src/models/client.ts';
import { createHttpFetch } from '../src/models/http-fetch.ts';
import type { ModelClient } from '../src/models/types.ts';
import { llmProposer } from '../src/propose/llm.ts';
import { valueJudge } from '../src/score/llm-judge.ts';
import { runSearch } from '../src/search/run.ts';
import { bfs } from '../src/search/strategies/level.ts';
import { createMemoryStore } from '../src/store/memory.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import type { Store } from '../src/store/store.ts';
import { startModelServer, type ModelServerProcess } from './model-server-process.ts';
import { median, printSummary, printTable } from './harness.ts';

const USAGE = `Usage: node bench/tot-bfs-model.ts [flags]
A Tree-of-Thoughts BFS (LLM proposer in list mode, value judge) over Game of 24 puzzles, against a fake
OpenAI-compatible server in a child process, through the real HTTP + AI SDK path. Reports calls sent
(counted at the server), duplicate request bodies (counted at the server), cache hits, wall time, and
efficiency = (calls sent × latency / slots) / wall (goal ≥ 0.9). A second pass over the same puzzles
with a fresh client on the same store must send no request at all.

  --latency 50            simulated model latency per request, ms
  --slots 32              requests in flight at once (createModelClient concurrency)
  --puzzles 100           puzzles from ToT's 24.csv, starting at --first-row
  --first-row 900         ToT's test set is rows 900-999
  --width 5               BFS nodes kept per level (ToT's b)
  --k 8                   steps asked for per propose prompt
  --samples 3             value judge samples per state
  --task-concurrency 50   puzzles searched side by side, sharing the slots
  --engine-concurrency 512  the engine's own limit on proposer/scorer calls (keep it above --slots)
  --store memory          memory, or sqlite (a temporary file)
  --reps 3                repetitions; the figures are medians
  --csv <path>            ToT's 24.csv; by default ../shared/data/tot/24.csv from the repo root

Example: node bench/tot-bfs-model.ts --latency 50 --slots 32 --puzzles 100 --reps 3`;

interface Flags {
  latency: number;
  slots: number;
  puzzles: number;
  firstRow: number;
  width: number;
  k: number;
  samples: number;
  taskConcurrency: number;
  engineConcurrency: number;
  store: 'memory' | 'sqlite';
  reps: number;
  csv: string;
}

function readFlags(argv: string[]): Flags {
  const number = (name: string, text: string, min: number): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) throw new UsageError(`--${name} was '${text}'; expected a whole number ≥ ${min}.`);
    return value;
  };
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        latency: { type: 'string', default: '50' },
        slots: { type: 'string', default: '32' },
        puzzles: { type: 'string', default: '100' },
        'first-row': { type: 'string', default: '900' },
        width: { type: 'string', default: '5' },
        k: { type: 'string', default: '8' },
        samples: { type: 'string', default: '3' },
        'task-concurrency': { type: 'string', default: '50' },
        'engine-concurrency': { type: 'string', default: '512' },
        store: { type: 'string', default: 'memory' },
        reps: { type: 'string', default: '3' },
        csv: { type: 'string', default: fileURLToPath(new URL('../../shared/data/tot/24.csv', import.meta.url)) },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    if (values.store !== 'memory' && values.store !== 'sqlite') throw new UsageError(`--store was '${values.store}'; expected memory or sqlite.`);
    return {
      latency: number('latency', values.latency, 1),
      slots: number('slots', values.slots, 1),
      puzzles: number('puzzles', values.puzzles, 1),
      firstRow: number('first-row', values['first-row'], 0),
      width: number('width', values.width, 1),
      k: number('k', values.k, 1),
      samples: number('samples', values.samples, 1),
      taskConcurrency: number('task-concurrency', values['task-concurrency'], 1),
      engineConcurrency: number('engine-concurrency', values['engine-concurrency'], 1),
      store: values.store,
      reps: number('reps', values.reps, 1),
      csv: values.csv,
    };
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
}

/** What the engine's side saw: replies sent, served from the cache, and failed. */
interface ClientTally {
  sent: number;
  cacheHits: number;
  failed: number;
}

function countingClient(client: ModelClient, tally: ClientTally): ModelClient {
  return {
    spec: client.spec,
    async generate(request, ctx) {
      try {
        const reply = await client.generate(request, ctx);
        if (reply.cacheHit) tally.cacheHits++;
        else tally.sent++;
        return reply;
      } catch (error) {
        tally.failed++;
        throw error;
      }
    },
  };
}

interface PassFigures {
  sentAtServer: number;
  duplicates: number;
  sentByClient: number;
  cacheHits: number;
  failed: number;
  wallMs: number;
  idealMs: number;
  efficiency: number;
  /** CPU time of this process (engine, model client, HTTP) per request sent. */
  cpuMsPerCall: number;
  serverCpuMsPerCall: number;
  /** Mean time from handing a request to fetch to holding the whole response: latency plus transport and both event loops' lag. */
  roundTripMs: number;
  solved: number;
  expansions: number;
}

async function runPass(label: string, flags: Flags, server: ModelServerProcess, store: Store, tasks: ReturnType<typeof loadTotCsv>): Promise<PassFigures> {
  await server.reset();
  const tally: ClientTally = { sent: 0, cacheHits: 0, failed: 0 };
  const roundTrips = { count: 0, totalMs: 0 };
  const httpFetch = createHttpFetch();
  // The client's own fetch, timed: it shows how much of a slot's time is the server's and how much the engine's.
  const timedFetch: typeof fetch = async (input, init) => {
    const sentAt = performance.now();
    try {
      return await httpFetch(input, init);
    } finally {
      roundTrips.count++;
      roundTrips.totalMs += performance.now() - sentAt;
    }
  };
  const model = createModelClient({ spec: `openai-compatible:${server.url}#fake-gpt`, store, concurrency: flags.slots, fetch: timedFetch });
  const client = countingClient(model, tally);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await runSearch({
    env: game24Environment,
    tasks,
    proposer: llmProposer({ client, mode: 'list', k: flags.k }),
    scorers: [valueJudge({ client, samples: flags.samples })],
    strategy: bfs({ width: flags.width }),
    concurrency: flags.engineConcurrency,
    taskConcurrency: flags.taskConcurrency,
    store,
    onEvent: (event) => {
      if (event.type === 'task_end' && process.stderr.isTTY) process.stderr.write(`\r  ${label}: ${event.done}/${event.total} puzzles`);
    },
  });
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const atServer = await server.stats();
  const idealMs = (atServer.requests * flags.latency) / flags.slots;
  return {
    sentAtServer: atServer.requests,
    duplicates: atServer.duplicates,
    sentByClient: tally.sent,
    cacheHits: tally.cacheHits,
    failed: tally.failed,
    wallMs,
    idealMs,
    efficiency: idealMs / wallMs,
    cpuMsPerCall: (cpu.user + cpu.system) / 1000 / Math.max(1, atServer.requests),
    serverCpuMsPerCall: atServer.cpuMsPerRequest,
    roundTripMs: roundTrips.totalMs / Math.max(1, roundTrips.count),
    solved: result.stats.solved,
    expansions: result.stats.expansions,
  };
}

function openStoreFor(flags: Flags): { store: Store; remove(): void } {
  if (flags.store === 'memory') return { store: createMemoryStore(), remove() {} };
  const folder = mkdtempSync(join(tmpdir(), 'stepwise-bench-'));
  return { store: openSqliteStore(join(folder, 'traces.db')), remove: () => rmSync(folder, { recursive: true, force: true }) };
}

const flags = readFlags(process.argv.slice(2));
const tasks = loadTotCsv(flags.csv, { start: flags.firstRow, end: flags.firstRow + flags.puzzles - 1 });
const server = await startModelServer(flags.latency);
const rows: Record<string, string | number>[] = [];
const firsts: PassFigures[] = [];
const seconds: PassFigures[] = [];
try {
  console.log(
    `ToT BFS (width ${flags.width}, k ${flags.k}, ${flags.samples} value samples) over ${tasks.length} puzzles from rows ${flags.firstRow}-${flags.firstRow + tasks.length - 1}; ` +
      `model ${flags.latency} ms, ${flags.slots} slots, ${flags.taskConcurrency} puzzles side by side, ${flags.store} store`,
  );
  for (let rep = 1; rep <= flags.reps; rep++) {
    const { store, remove } = openStoreFor(flags);
    try {
      const first = await runPass(`rep ${rep} first pass`, flags, server, store, tasks);
      const second = await runPass(`rep ${rep} second pass`, flags, server, store, tasks);
      for (const figures of [first, second]) {
        if (figures.sentByClient !== figures.sentAtServer) {
          process.stderr.write(`  warning: the client counted ${figures.sentByClient} requests sent, the server ${figures.sentAtServer}\n`);
        }
      }
      firsts.push(first);
      seconds.push(second);
      for (const [pass, figures] of [['first', first], ['again, same store', second]] as const) {
        rows.push({
          rep,
          pass,
          'sent (server)': figures.sentAtServer,
          duplicates: figures.duplicates,
          'cache hits': figures.cacheHits,
          failed: figures.failed,
          'wall ms': Math.round(figures.wallMs),
          'ideal ms': Math.round(figures.idealMs),
          efficiency: pass === 'first' ? figures.efficiency.toFixed(3) : '-',
          'cpu ms/call': pass === 'first' ? figures.cpuMsPerCall.toFixed(2) : '-',
          'server cpu ms/call': pass === 'first' ? figures.serverCpuMsPerCall.toFixed(2) : '-',
          'round trip ms': pass === 'first' ? figures.roundTripMs.toFixed(1) : '-',
          solved: figures.solved,
        });
      }
      process.stderr.write(`  rep ${rep}/${flags.reps}: efficiency ${first.efficiency.toFixed(3)}, ${first.sentAtServer} sent, ${first.duplicates} duplicates; second pass sent ${second.sentAtServer}\n`);
    } finally {
      await store.close();
      remove();
    }
  }
} finally {
  await server.stop();
}

printTable('Per pass (the second pass reuses the first pass\'s store with a fresh client)', rows);
const mid = (pick: (figures: PassFigures) => number, passes = firsts) => median(passes.map(pick));
const summary = {
  latencyMs: flags.latency,
  slots: flags.slots,
  puzzles: tasks.length,
  width: flags.width,
  k: flags.k,
  samples: flags.samples,
  taskConcurrency: flags.taskConcurrency,
  store: flags.store,
  reps: flags.reps,
  callsSent: mid((f) => f.sentAtServer),
  duplicateRequests: Math.max(...[...firsts, ...seconds].map((f) => f.duplicates)),
  cacheHits: mid((f) => f.cacheHits),
  failedCalls: Math.max(...[...firsts, ...seconds].map((f) => f.failed)),
  wallMs: Math.round(mid((f) => f.wallMs)),
  idealMs: Math.round(mid((f) => f.idealMs)),
  efficiency: Number(mid((f) => f.efficiency).toFixed(4)),
  efficiencyMin: Number(Math.min(...firsts.map((f) => f.efficiency)).toFixed(4)),
  cpuMsPerCall: Number(mid((f) => f.cpuMsPerCall).toFixed(3)),
  serverCpuMsPerCall: Number(mid((f) => f.serverCpuMsPerCall).toFixed(3)),
  roundTripMs: Number(mid((f) => f.roundTripMs).toFixed(2)),
  solved: mid((f) => f.solved),
  secondPassCallsSent: Math.max(...seconds.map((f) => f.sentAtServer)),
  secondPassCacheHits: mid((f) => f.cacheHits, seconds),
  secondPassWallMs: Math.round(mid((f) => f.wallMs, seconds)),
};
console.log(
  `\nmedian of ${flags.reps}: ${summary.callsSent} calls sent, ${summary.duplicateRequests} duplicate requests (max over reps), ${summary.cacheHits} cache hits, ` +
    `wall ${summary.wallMs} ms vs ideal ${summary.idealMs} ms → efficiency ${summary.efficiency.toFixed(3)} (goal ≥ 0.9); ` +
    `solved ${summary.solved}/${tasks.length}; second pass sent ${summary.secondPassCallsSent} requests (goal 0; ${summary.secondPassCacheHits} cache hits)`,
);
printSummary('tot-bfs-model', summary);
