import { fork, type ChildProcess } from 'node:child_process';
import type { FakeModelStats } from './fake-model-server.ts';

/** The fake model server in a child process, so its CPU does not compete with the engine's event loop. */
export interface ModelServerProcess {
  url: string;
  /** The server process's id (its CPU time is read from /proc by benches that count every core in use). */
  pid: number;
  stats(): Promise<FakeModelStats>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startModelServer(latencyMs: number): Promise<ModelServerProcess> {
  const child: ChildProcess = fork(new URL('./fake-model-server.ts', import.meta.url), ['--latency', String(latencyMs)], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let printed = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      const match = /listening (\S+)/.exec(printed);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the fake model server exited (code ${code}) before printing its URL`)));
  });
  const ask = <T>(type: string, pick: (message: any) => T): Promise<T> =>
    new Promise((resolve) => {
      const onMessage = (message: { type?: string }) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        resolve(pick(message));
      };
      child.on('message', onMessage);
      child.send({ type });
    });
  return {
    url,
    pid: child.pid!,
    stats: () => ask('stats', (message) => message.stats as FakeModelStats),
    reset: () => ask('reset', () => undefined),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

