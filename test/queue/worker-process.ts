import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from '../cli/cli-process.ts';
import type { QueueAddress } from '../../src/queue/address.ts';

const NODE = join(REPO_ROOT, 'node_modules', '.bin', 'node');
const BIN = join(REPO_ROOT, 'bin', 'stepwise.js');

/** A real `stepwise worker` process and what it has said on stderr. */
export interface WorkerProcess {
  child: ChildProcess;
  stderr(): string;
  /** Resolves once stderr matches (or rejects after `timeoutMs`). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function queueFlag(queue: QueueAddress): string {
  return `${queue.redisUrl.replace(/\/$/, '')}#${queue.name}`;
}

/** `db` null: no --db flag (the worker's default store); `extraEnv` is added to this process's environment. */
export function spawnWorker(queue: QueueAddress, db: string | null, name: string, extra: string[] = [], extraEnv: Record<string, string> = {}): WorkerProcess {
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const dbFlag = db === null ? [] : ['--db', db];
  const child = spawn(NODE, [BIN, 'worker', '--queue', queueFlag(queue), ...dbFlag, '--name', name, ...extra], { cwd: REPO_ROOT, env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    stderr: () => stderr,
    exited,
    async waitFor(pattern, timeoutMs = 60_000) {
      const started = performance.now();
      while (!pattern.test(stderr)) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`worker ${name} ended before printing ${pattern}:\n${stderr}`);
        if (performance.now() - started > timeoutMs) throw new Error(`worker ${name} did not print ${pattern} within ${timeoutMs} ms:\n${stderr}`);
        await sleep(20);
      }
    },
  };
}

/** Stops a worker gracefully (SIGTERM) and waits for it; kills it if it does not stop. */
export async function stopWorker(worker: WorkerProcess): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill('SIGTERM');
  const stopped = await Promise.race([worker.exited, sleep(20_000).then(() => null)]);
  if (!stopped) {
    worker.child.kill('SIGKILL');
    await worker.exited;
  }
}
