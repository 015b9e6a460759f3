import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/store.ts';
import { startViewServer, type ViewServer } from '../../src/view/server.ts';
import { tempStorePath } from '../store/temp-store-path.ts';
import { hostileEnvironment, recordHostileRun } from './hostile-run.ts';

/** A stand-in for viewer/dist, so API tests do not depend on the front-end build. */
export function fakeDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-dist-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>viewer</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1);');
  return dir;
}

export interface ServedStore {
  server: ViewServer;
  store: Store;
  path: string;
  run: Awaited<ReturnType<typeof recordHostileRun>>;
  close(): Promise<void>;
}

/** Records the hostile run into a SQLite file, then serves it read-only as `stepwise view` does. */
export async function serveHostileRun(distDir = fakeDist()): Promise<ServedStore> {
  const path = tempStorePath();
  const writer = openSqliteStore(path);
  const run = await recordHostileRun(writer);
  await writer.close();
  const store = openSqliteStore(path, { readonly: true });
  const server = await startViewServer({ store, port: 0, distDir, environments: [hostileEnvironment] });
  return {
    server, store, path, run,
    async close() {
      await server.close();
      await store.close();
    },
  };
}

export async function getJson(server: ViewServer, path: string): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(new URL(path, server.url));
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** A request with the path sent exactly as given (fetch would normalise `..` away). */
export function rawRequest(server: ViewServer, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
