import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatabaseSync } from 'node:sqlite';
import assert from 'node:assert/strict';
import { REPO_ROOT } from '../cli/cli-process.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { NodeRecord, RunSummary } from '../../src/store/records.ts';
import type { StoredTree } from '../../src/store/store.ts';

const NODE = join(REPO_ROOT, 'node_modules', '.bin', 'node');
const BIN = join(REPO_ROOT, 'bin', 'stepwise.js');

/** Records committed to the file so far (nodes, candidates, model calls), read without disturbing a writer; 0 before the schema exists. */
export function committedRecords(path: string): number {
  if (!existsSync(path)) return 0;
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    const count = (table: string) => Number(db!.prepare(`SELECT count(*) AS n FROM ${table}`).get()!.n);
    return count('runs') + count('nodes') + count('candidates') + count('model_calls');
  } catch {
    return 0;
  } finally {
    db?.close();
  }
}

/**
 * Starts the real CLI and SIGKILLs it `extraMs` after the file shows new committed records (so every round gets
 * somewhere, whatever the machine's load), or when it has run `timeoutMs`; resolves with how it ended.
 */
export async function runAndKillAfterProgress(args: string[], db: string, extraMs: number, timeoutMs = 20_000, cwd = REPO_ROOT): Promise<{ killed: boolean; code: number | null; stderr: string; pid: number }> {
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const before = committedRecords(db);
  const child = spawn(NODE, [BIN, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const ended = new Promise<void>((resolve) => child.on('close', (code, signal) => { exit = { code, signal }; resolve(); }));
  const started = performance.now();
  while (!exit && committedRecords(db) <= before && performance.now() - started < timeoutMs) await sleep(15);
  if (!exit) await Promise.race([ended, sleep(extraMs)]);
  if (exit) {
    const { code, signal } = exit as { code: number | null; signal: NodeJS.Signals | null };
    return { killed: false, code, stderr: signal ? `${stderr}\n(ended by ${signal})` : stderr, pid: child.pid! };
  }
  child.kill('SIGKILL');
  await ended;
  // The child may have exited by itself just before the kill: then it reports its own code, not the signal.
  const { code, signal } = exit as unknown as { code: number | null; signal: NodeJS.Signals | null };
  return { killed: signal === 'SIGKILL', code, stderr, pid: child.pid! };
}

/** A task tree as a set of positions: each node named by the candidate indices from the root, with its state and verdicts. */
export function treeShape(tree: Pick<StoredTree, 'nodes'>): string[] {
  const byId = new Map(tree.nodes.map((n) => [n.id, n]));
  const path = (node: NodeRecord): string =>
    node.parentId === null || !byId.has(node.parentId) ? 'root' : `${path(byId.get(node.parentId)!)}/${node.candidateId?.split('/').pop()}`;
  return tree.nodes.map((n) => `${path(n)} ${n.stateKey} ${n.check.valid} ${n.terminal} ${n.success} ${n.duplicateOf === null}`).sort();
}

export interface StoreSnapshot {
  runs: RunSummary[];
  /** Per run and task: node records by id. */
  nodes: Map<string, NodeRecord>;
  shapes: Map<string, string[]>;
  /** Recorded model calls that were sent and answered, as request keys. */
  answered: Set<string>;
}

/** Request key shared by recorded calls and requests seen at the fake server: the messages and the sample index. */
export function requestKey(messages: { role: string; content: unknown }[], sample: number): string {
  return `${JSON.stringify(messages.map(({ role, content }) => [role, content]))}#${sample}`;
}

/** Opens the file as a fresh process would after a crash, checks it is sound, and reads everything back. */
export async function snapshotStore(path: string): Promise<StoreSnapshot> {
  if (!existsSync(path)) return { runs: [], nodes: new Map(), shapes: new Map(), answered: new Set() };
  const db = new DatabaseSync(path);
  assert.deepEqual(db.prepare('PRAGMA integrity_check').all().map((row) => row.integrity_check), ['ok']);
  db.close();
  // Not read-only: a process killed while creating the file leaves it for the next open to set up, as `resume` would.
  const store = openSqliteStore(path);
  try {
    const runs = await store.listRuns();
    const nodes = new Map<string, NodeRecord>();
    const shapes = new Map<string, string[]>();
    const answered = new Set<string>();
    const sent = new Set<string>();
    for (const { run } of runs) {
      for (const task of await store.getTasks(run.id)) {
        const tree = await store.getTree(run.id, task.taskId);
        const positions = new Set<string>();
        for (const node of tree.nodes) {
          nodes.set(node.id, node);
          const position = `${node.parentId}|${node.candidateId}`;
          assert.ok(!positions.has(position), `node ${node.id}: a second node at the same tree position (recorded twice)`);
          positions.add(position);
        }
        shapes.set(`${run.id}/${task.taskId}`, treeShape(tree));
        for (const call of tree.modelCalls) {
          const request = call.request as { messages: { role: string; content: string }[]; sample?: number } | undefined;
          if (call.cacheHit || call.error !== null || !request) continue;
          const key = requestKey(request.messages, request.sample ?? 0);
          assert.ok(!sent.has(`${call.model} ${key}`), `call ${call.id}: a request whose reply was recorded was sent and recorded again`);
          sent.add(`${call.model} ${key}`);
          answered.add(key);
        }
      }
    }
    return { runs, nodes, shapes, answered };
  } finally {
    await store.close();
  }
}
