import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { after } from 'node:test';

/** The repo root: the CLI runs from here, so `../shared/data/…` paths resolve as a user's would. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE = join(REPO_ROOT, 'node_modules', '.bin', 'node');
const BIN = join(REPO_ROOT, 'bin', 'stepwise.js');

export const PLANBENCH = '../shared/data/planbench/blocksworld';
export const TOT_CSV = '../shared/data/tot/24.csv';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the SIGINT that `interruptWhen` sent to the process's exit; undefined when none was sent. */
  msAfterInterrupt?: number;
}

/**
 * Spawns the real `stepwise` entry point as a user would, optionally feeding standard input and
 * sending Ctrl-C (SIGINT) once `interruptWhen` matches what it has written to stderr.
 */
export function runCli(args: string[], options: { input?: string; interruptWhen?: RegExp; env?: Record<string, string | undefined>; uid?: number; gid?: number; cwd?: string } = {}): Promise<CliResult> {
  // node --test marks its children through NODE_TEST_CONTEXT; the CLI must not inherit that.
  const { NODE_TEST_CONTEXT: _, ...inherited } = process.env;
  const env = { ...inherited, ...options.env };
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [BIN, ...args], { cwd: options.cwd ?? REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'], uid: options.uid, gid: options.gid });
    let stdout = '';
    let stderr = '';
    let interruptedAt: number | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const before = stderr;
      stderr += chunk;
      if (options.interruptWhen && !options.interruptWhen.test(before) && options.interruptWhen.test(stderr)) {
        interruptedAt = performance.now();
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      resolve(interruptedAt === undefined ? { code, stdout, stderr } : { code, stdout, stderr, msAfterInterrupt: performance.now() - interruptedAt });
    });
    child.stdin.end(options.input ?? '');
  });
}

const root = mkdtempSync(join(tmpdir(), 'stepwise-cli-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

/** A fresh folder for one test, removed when the test file ends. */
export function tempDir(): string {
  return mkdtempSync(join(root, `case-${++counter}-`));
}

/** A fresh store path for one test. */
export function tempDb(): string {
  return join(tempDir(), 'traces.db');
}

/** stdout holds exactly one line, a JSON object; returns it parsed. */
export function parseJsonLine(result: CliResult): Record<string, any> {
  assert.equal(result.code, 0, `exit code 0 expected; stderr: ${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `one line of JSON on stdout, got:\n${result.stdout}`);
  const parsed = JSON.parse(lines[0]);
  assert.equal(typeof parsed, 'object');
  return parsed;
}

/**
 * A usage failure as a user sees it: exit 2, nothing on stdout, one `stepwise <command>:` message on
 * stderr matching `what`, and no stack trace.
 */
export function assertUsageFailure(result: CliResult, command: string, what: RegExp[]): void {
  assert.equal(result.code, 2, `exit code 2 expected, got ${result.code}; stderr: ${result.stderr}`);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, new RegExp(`^stepwise ${command}: `));
  assert.doesNotMatch(result.stderr, new RegExp(`^stepwise ${command}: stepwise`), 'the command name is not repeated');
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
  assert.doesNotMatch(result.stderr, /ExperimentalWarning/);
  for (const pattern of what) assert.match(result.stderr, pattern);
}

/** A `skip` option for tests that read `../shared/data`: one clear line when it is absent, false when present. */
export function skipWithoutSharedData(relative: string): string | false {
  return existsSync(join(REPO_ROOT, relative)) ? false : `needs ${relative} (the shared data is absent here)`;
}
