import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../core/process-alive.ts';

/** Where worlds keep their files: one folder per process, so what a killed process left is found and removed. */
export function scratchRoot(): string {
  return join(tmpdir(), 'stepwise-worlds');
}

let ownFolder: string | null = null;

/**
 * A new private folder for a world (its copy of a workspace, a snapshot, an MCP server's working folder), under
 * this process's own folder. The first call removes the folders of processes that no longer run: a run killed with
 * SIGKILL cannot close its worlds, so the next one cleans up after it.
 */
export async function worldFolder(prefix: string): Promise<string> {
  if (ownFolder === null) {
    const root = scratchRoot();
    mkdirSync(root, { recursive: true });
    removeOrphans(root);
    ownFolder = join(root, String(process.pid));
    mkdirSync(ownFolder, { recursive: true });
  }
  return mkdtemp(join(ownFolder, `${prefix}-`));
}

/** Removes the folders of processes that have ended (a folder is named by its process id). */
export function removeOrphans(root: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(root)) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    rmSync(join(root, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
