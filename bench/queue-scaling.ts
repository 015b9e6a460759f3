// Distributed rollouts: the same run of many searches over 1, 2, 4 and 8 `stepwise worker` processes on this
// machine, each model call answered after a simulated latency by a fake model in its own process.
// Run: node bench/queue-scaling.ts [--tasks 120] [--workers 1,2,4,8] [--latency 20] [--reps 1] [--store sqlite|postgres]   (needs Redis)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { runRecipeOnQueue } from '../src/queue/queued-run.ts';
import { QUEUE_KEY_PREFIX, type QueueAddress } from '../src/queue/address.ts';
import { getEnvironment } from '../src/envs/registry.ts';
import { openStore } from '../src/store/index.ts';
import type { RunRecipe } from '../src/store/records.ts';
import { median, printSummary, printTable, scratchPostgresDatabase, timeAsync } from './harness.ts';
import { startModelServer } from './model-server-process.ts';

const USAGE = `Usage: node bench/queue-scaling.ts [--tasks 120] [--workers 1,2,4,8] [--latency 20] [--reps 1] [--store sqlite|postgres] [--redis redis://127.0.0.1:6379]
Runs one Game of 24 run of --tasks greedy searches (a model proposes each step; one call in flight per worker)
on a BullMQ queue, searched by 1, 2, 4, 8 worker processes sharing one store (a SQLite file, or with
--store postgres a scratch database on STEPWISE_BENCH_POSTGRES, default postgres://postgres@127.0.0.1:5432/postgres),
against a fake model
answering after --latency ms. Reports wall time, speed-up over one worker, efficiency against the ideal
(requests × latency / workers) and how busy the cores were: by the workers and the run's own process, and by
the fake model server (which a real deployment runs elsewhere), and on the whole machine (Redis and Postgres too).
Example: node bench/queue-scaling.ts --tasks 120 --workers 1,2,4,8 --store postgres`;

const { values } = parseArgs({
  options: { tasks: { type: 'string', default: '120' }, workers: { type: 'string', default: '1,2,4,8' }, latency: { type: 'string', default: '20' }, reps: { type: 'string', default: '1' }, store: { type: 'string', default: 'sqlite' }, redis: { type: 'string', default: 'redis://127.0.0.1:6379' }, help: { type: 'boolean' } },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const taskCount = Number(values.tasks);
const workerCounts = values.workers!.split(',').map(Number);
const latencyMs = Number(values.latency);
const reps = Number(values.reps);
if (![taskCount, latencyMs, reps, ...workerCounts].every((n) => Number.isInteger(n) && n > 0)) {
  console.error(`bench/queue-scaling: --tasks, --workers, --latency and --reps take whole numbers > 0\n\n${USAGE}`);
  process.exit(2);
}
if (values.store !== 'sqlite' && values.store !== 'postgres') {
  console.error(`bench/queue-scaling: --store is sqlite or postgres, not "${values.store}"\n\n${USAGE}`);
  process.exit(2);
}

const ROOT = new URL('..', import.meta.url).pathname;
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const BIN = join(ROOT, 'bin', 'stepwise.js');

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Busy and total CPU time of the whole machine so far (every process: Redis, Postgres, other users), from /proc/stat. */
function machineCpu(): { busy: number; total: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const ticks = fields.map(Number);
  const idle = ticks[3] + ticks[4];
  const total = ticks.slice(0, 8).reduce((sum, n) => sum + n, 0);
  return { busy: total - idle, total };
}

interface WorkerProcess { child: ChildProcess; node: number }

/** Starts `stepwise worker`s and waits until each takes jobs; `node` is the pid of the Node running the worker. */
async function startWorkers(count: number, queue: QueueAddress, db: string): Promise<WorkerProcess[]> {
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  return Promise.all(Array.from({ length: count }, (_, i) => new Promise<WorkerProcess>((resolve, reject) => {
    const child = spawn(NODE, [BIN, 'worker', '--queue', `${queue.redisUrl}#${queue.name}`, '--db', db, '--name', `w${i + 1}`], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let said = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      said += chunk;
      const ready = /stepwise worker \S+: taking jobs/.test(said);
      if (ready) resolve({ child, node: child.pid! });
    });
    child.once('exit', (code) => reject(new Error(`worker ${i + 1} exited (${code}) before taking jobs:\n${said}`)));
  })));
}

async function stopWorkers(workers: WorkerProcess[]): Promise<void> {
  await Promise.all(workers.map(({ child }) => new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  })));
}

async function removeQueueKeys(queue: QueueAddress): Promise<void> {
  const redis = new Redis(queue.redisUrl);
  const keys = await redis.keys(`${QUEUE_KEY_PREFIX}:${queue.name}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}

if (!(await redisAnswers(values.redis!))) {
  console.error(`bench/queue-scaling: Redis does not answer at ${values.redis}; start it (redis-server) and try again`);
  process.exit(2);
}
const postgres = values.store === 'postgres' ? await scratchPostgresDatabase(process.env.STEPWISE_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres') : undefined;
if (values.store === 'postgres' && !postgres) process.exit(2);
const model = await startModelServer(latencyMs);
const dir = mkdtempSync(join(tmpdir(), 'stepwise-queue-bench-'));
const recipe: RunRecipe = {
  env: 'game24', tasks: `generate:game24?count=${taskCount}&seed=7`, strategy: 'greedy', strategyOptions: {}, budget: {}, seed: 0,
  scorers: ['none'], model: { spec: `openai-compatible:${model.url}#fake-gpt`, mode: 'list' },
};
// The tasks are made once, before any row is timed: the generator's first call (finding every solvable puzzle)
// would otherwise be charged to the first row only.
const tasks = getEnvironment('game24')!.loadTasks(recipe.tasks, {});
const rows: Record<string, string | number>[] = [];
const figures: { workers: number; wallMs: number; requests: number; speedUp: number; efficiency: number; coresBusy: number; modelCoresBusy: number; machineCoresBusy: number }[] = [];
let baseline = 0;
try {
  for (const n of workerCounts) {
    const walls: number[] = [];
    let requests = 0;
    let cores = 0;
    let modelCores = 0;
    let machineCores = 0;
    for (let rep = 0; rep < reps; rep++) {
      const queue: QueueAddress = { redisUrl: values.redis!, name: `bench-${process.pid}-${n}-${rep}` };
      // A fresh store each time: no reply may come from an earlier measurement's cache.
      const db = postgres ? postgres.url(`w${n}_${rep}`) : join(dir, `w${n}-${rep}.db`);
      // Created (migrated) before the workers open it, as a team store is.
      await openStore(db).close();
      const workers = await startWorkers(n, queue, db);
      const store = openStore(db);
      await model.reset();
      const cpuBefore = workers.map((w) => cpuSeconds(w.node));
      const modelCpuBefore = cpuSeconds(model.pid);
      const machineBefore = machineCpu();
      const ownBefore = process.cpuUsage();
      const { result, wallMs } = await timeAsync(() => runRecipeOnQueue(recipe, { store, queue, tasks, pollMs: 1000 }));
      const workerCpu = workers.reduce((sum, w, i) => sum + cpuSeconds(w.node) - cpuBefore[i], 0);
      const own = process.cpuUsage(ownBefore);
      const modelCpu = cpuSeconds(model.pid) - modelCpuBefore;
      const machineAfter = machineCpu();
      const stats = await model.stats();
      if (result.stats.tasks !== taskCount) throw new Error(`the run searched ${result.stats.tasks} of ${taskCount} tasks`);
      requests = stats.requests;
      walls.push(wallMs);
      // Cores kept busy by the workers and this process (the run's coordinator), and by the fake model server; where
      // the two add up to the machine's cores, the CPU and no longer the model is what the run waits on.
      cores = (workerCpu + (own.user + own.system) / 1e6) / (wallMs / 1000);
      modelCores = modelCpu / (wallMs / 1000);
      // The share of all cores in use, times the cores: reaching the core count means the CPU is what the run waits on.
      machineCores = ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * availableParallelism();
      process.stderr.write(`  ${n} worker(s), rep ${rep + 1}/${reps}: ${(wallMs / 1000).toFixed(2)} s, ${stats.requests} requests (${stats.duplicates} duplicates), ${cores.toFixed(2)} + ${modelCores.toFixed(2)} (model) cores busy, ${machineCores.toFixed(2)} on the machine, load ${loadavg()[0].toFixed(1)}\n`);
      await store.close();
      await stopWorkers(workers);
      await removeQueueKeys(queue);
    }
    const wallMs = median(walls);
    if (n === workerCounts[0]) baseline = wallMs * workerCounts[0];
    const speedUp = baseline / wallMs;
    const ideal = (requests * latencyMs) / n;
    figures.push({ workers: n, wallMs, requests, speedUp, efficiency: ideal / wallMs, coresBusy: cores, modelCoresBusy: modelCores, machineCoresBusy: machineCores });
    rows.push({
      workers: n, 'wall s': (wallMs / 1000).toFixed(2), 'speed-up': speedUp.toFixed(2), 'goal 0.9·N': (0.9 * n).toFixed(1),
      'ideal s': (ideal / 1000).toFixed(2), efficiency: (ideal / wallMs).toFixed(2), requests, 'cores busy': cores.toFixed(2), 'model server cores': modelCores.toFixed(2), 'machine cores': machineCores.toFixed(2),
    });
  }
} finally {
  await model.stop();
  await postgres?.drop();
  rmSync(dir, { recursive: true, force: true });
}
printTable(`${taskCount} greedy Game of 24 searches, model latency ${latencyMs} ms, one call in flight per worker, ${values.store} store (${availableParallelism()} cores)`, rows);
printSummary('queue-scaling', { tasks: taskCount, latencyMs, store: values.store, cores: availableParallelism(), figures });
process.exit(0);
