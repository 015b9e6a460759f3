import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { constants, readdirSync, readFileSync } from 'node:fs';
import { cp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Transition } from '../../core/environment.ts';
import type { ToolCallAction, ToolCallTiming, World, WorldSnapshot } from '../../core/world.ts';
import { worldFolder } from '../../worlds/scratch.ts';
import { insideWorkspace, OutsideWorkspace, workspacePath } from './paths.ts';
import { runSandboxed, SANDBOX_CHECK } from './sandbox.ts';
import type { FilePredicate, WorkspaceCheck, WorkspaceSpec } from './spec.ts';
import { END_TURN } from './tools.ts';

/** Names the world's position: the files' content hash and a hash of every step that led here (what the agent saw). */
export interface WorkspaceState {
  files: string;
  trail: string;
  /** The call that led here and how long it took (for people; not part of the position). */
  toolCall?: ToolCallTiming;
  /** Ids of the task's key nodes met on the way here, in the task's order (absent when none is met yet). */
  keyNodes?: string[];
  /** In a task of several turns: how many turns the agent has ended (absent: none). */
  turn?: number;
}

/** Bytes of a file `read_file` returns. */
const READ_LIMIT = 64 * 1024;
/** Lines `search_files` and entries `list_files` return. */
const LIST_LIMIT = 500;

const execFileAsync = promisify(execFile);

/**
 * Copies a folder's content into an existing folder with coreutils' `cp -a --reflink=auto`: blocks are shared where
 * the file system can (btrfs, XFS), and even a full copy is several times faster than Node's fs.cp, which stats and
 * copies file by file from JavaScript. Node's fs.cp is the fallback where there is no cp.
 */
export async function copyFolder(from: string, to: string): Promise<void> {
  try {
    await execFileAsync('cp', ['-a', '--reflink=auto', `${from}/.`, to]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await cp(from, to, { recursive: true, mode: constants.COPYFILE_FICLONE, verbatimSymlinks: true });
  }
}

/** sha256 of every file's workspace path and content, in path order. */
export async function hashFolder(root: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await listFiles(root, root)) {
    hash.update(file).update('\0').update(await readFile(join(root, file))).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** The same hash, synchronously: a task's root state is known when the task loads. */
export function hashFolderSync(root: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) hash.update(workspacePath(root, full)).update('\0').update(readFileSync(full)).update('\0');
    }
  };
  walk(root);
  return hash.digest('hex').slice(0, 16);
}

async function listFiles(root: string, dir: string): Promise<string[]> {
  const files: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(root, full)));
    else if (entry.isFile()) files.push(workspacePath(root, full));
  }
  return files;
}

export function nextTrail(trail: string, action: ToolCallAction, observation: string, files: string): string {
  return createHash('sha256').update(`${trail}\0${action.tool}\0${JSON.stringify(action.args)}\0${observation}\0${files}`).digest('hex').slice(0, 16);
}

interface Outcome {
  observation: string;
  /** False when the call was refused or failed (bad path, no match, a command killed); its reason is the observation. */
  valid: boolean;
  /** The call may have changed files. */
  wrote: boolean;
}

/** Opens a world: a private copy of the task's workspace/ folder in the system's temporary folder (`worldFolder`). */
export async function openWorkspaceWorld(spec: WorkspaceSpec, initial: WorkspaceState, signal: AbortSignal): Promise<World<WorkspaceState, ToolCallAction>> {
  const dir = await worldFolder('workspace');
  await copyFolder(join(spec.folder, 'workspace'), dir);
  let state = initial;
  const checkDir = join(spec.folder, 'check');

  const tool = async (action: ToolCallAction): Promise<Outcome> => {
    const args = action.args as Record<string, string & string[]>;
    const at = (path: string | undefined) => insideWorkspace(dir, path ?? '.');
    switch (action.tool) {
      case 'read_file': {
        const file = await at(args.path);
        const info = await stat(file).catch(() => null);
        if (!info?.isFile()) return { observation: `no file ${args.path}`, valid: false, wrote: false };
        const text = (await readFile(file)).subarray(0, READ_LIMIT).toString('utf8');
        return { observation: info.size > READ_LIMIT ? `${text}\n[… ${info.size - READ_LIMIT} more bytes not shown]` : text, valid: true, wrote: false };
      }
      case 'write_file': {
        const file = await at(args.path);
        if ((await stat(file).catch(() => null))?.isDirectory()) return { observation: `${args.path} is a folder`, valid: false, wrote: false };
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, args.content);
        return { observation: `wrote ${Buffer.byteLength(args.content)} bytes to ${args.path}`, valid: true, wrote: true };
      }
      case 'edit_file': {
        const file = await at(args.path);
        const text = await readFile(file, 'utf8').catch(() => null);
        if (text === null) return { observation: `no file ${args.path}`, valid: false, wrote: false };
        const count = text.split(args.old).length - 1;
        if (count !== 1) return { observation: `the text to replace occurs ${count} times in ${args.path}; it must occur exactly once`, valid: false, wrote: false };
        await writeFile(file, text.replace(args.old, () => args.new));
        return { observation: `edited ${args.path}`, valid: true, wrote: true };
      }
      case 'list_files': {
        const folder = await at(args.path);
        if (!(await stat(folder).catch(() => null))?.isDirectory()) return { observation: `no folder ${args.path}`, valid: false, wrote: false };
        const files = (await listFiles(dir, folder));
        return { observation: limitLines(files, 'files'), valid: true, wrote: false };
      }
      case 'search_files': {
        const folder = await at(args.path);
        if (!(await stat(folder).catch(() => null))?.isDirectory()) return { observation: `no folder ${args.path}`, valid: false, wrote: false };
        const hits: string[] = [];
        for (const file of await listFiles(dir, folder)) {
          const lines = (await readFile(join(dir, file), 'utf8')).split('\n');
          lines.forEach((line, i) => line.includes(args.text) && hits.push(`${file}:${i + 1}: ${line.slice(0, 300)}`));
        }
        return { observation: hits.length ? limitLines(hits, 'matching lines') : `no line contains ${JSON.stringify(args.text)}`, valid: true, wrote: false };
      }
      case 'run_command': {
        const [program] = args.command;
        if (!spec.allow.includes(program)) {
          return { observation: `${program} is not an allowed program here (allowed: ${spec.allow.join(', ') || 'none'})`, valid: false, wrote: false };
        }
        const run = await runSandboxed({ argv: args.command, workspace: dir, timeoutMs: spec.timeoutMs, outputLimit: spec.outputLimit, signal });
        const output = `${run.stdout}${run.stderr ? `\n[stderr]\n${run.stderr}` : ''}`;
        if (run.timedOut) return { observation: `the command did not end within ${spec.timeoutMs} ms and was killed\n${output}`, valid: false, wrote: true };
        if (run.overflow) return { observation: `the command printed more than ${spec.outputLimit} bytes and was killed\n${output}`, valid: false, wrote: true };
        return { observation: `exit code ${run.exitCode}\n${output}`, valid: true, wrote: true };
      }
      default:
        return { observation: `unknown tool ${action.tool}`, valid: false, wrote: false };
    }
  };

  /** The agent answers the user: the next user turn is the observation, or after the last the task is judged. */
  const endTurn = async (action: ToolCallAction): Promise<Transition<WorkspaceState>> => {
    const turns = spec.turns ?? [];
    const ended = (state.turn ?? 0) + 1;
    const toolCall = { tool: action.tool, durationMs: 0 };
    if (spec.turns === undefined) {
      const reason = 'this task has one turn: there is no next user message (finish the goal with the other tools)';
      return { state: { ...state, toolCall }, observation: reason, reward: 0, done: false, success: false, check: { valid: false, reason } };
    }
    const last = ended > turns.length;
    const observation = last ? 'The user has nothing more to ask.' : `User: ${turns[ended - 1]}`;
    const success = last && (spec.check === undefined || (await goalHolds(spec, dir, checkDir, signal)));
    state = { ...state, turn: ended, trail: nextTrail(state.trail, action, observation, state.files), toolCall };
    return { state, observation, reward: success ? 1 : 0, done: last, success, check: { valid: true } };
  };

  return {
    get state() {
      return state;
    },
    async step(action): Promise<Transition<WorkspaceState>> {
      if (action.tool === END_TURN) return endTurn(action);
      const started = performance.now();
      let outcome: Outcome;
      try {
        outcome = await tool(action);
      } catch (error) {
        if (!(error instanceof OutsideWorkspace)) throw error;
        outcome = { observation: error.message, valid: false, wrote: false };
      }
      const files = outcome.wrote ? await hashFolder(dir) : state.files;
      const toolCall = { tool: action.tool, durationMs: Math.round(performance.now() - started) };
      if (!outcome.valid) {
        // A refused call changed nothing; a killed command may have: then this world no longer sits at its node.
        if (files !== state.files) state = { ...state, files, trail: `changed:${files}`, toolCall };
        return { state: { ...state, toolCall }, observation: outcome.observation, reward: 0, done: false, success: false, check: { valid: false, reason: firstLine(outcome.observation) } };
      }
      // A task of several turns is judged when its last turn ends, not when a write happens to satisfy the check.
      const success = outcome.wrote && !spec.turns ? await goalHolds(spec, dir, checkDir, signal) : false;
      const keyNodes = outcome.wrote ? await keyNodesMet(spec, state.keyNodes, dir, checkDir, signal) : state.keyNodes;
      state = { ...state, files, trail: nextTrail(state.trail, action, outcome.observation, files), toolCall, ...(keyNodes?.length ? { keyNodes } : {}) };
      return { state, observation: outcome.observation, reward: success ? 1 : 0, done: success, success, check: { valid: true } };
    },
    async snapshot(): Promise<WorldSnapshot> {
      const copy = await worldFolder('snapshot');
      await copyFolder(dir, copy);
      const at = state;
      return { id: copy, state: at, dispose: () => rm(copy, { recursive: true, force: true }) } as WorldSnapshot;
    },
    async restore(snapshot) {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir);
      await copyFolder(snapshot.id, dir);
      state = (snapshot as WorldSnapshot & { state: WorkspaceState }).state;
    },
    async close() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The task's goal check against the folder: its command's exit code, or its file predicates. */
export async function goalHolds(spec: WorkspaceSpec, dir: string, checkDir: string, signal?: AbortSignal): Promise<boolean> {
  // A task of several turns may have no check: ending the last turn is its goal.
  return spec.check === undefined ? false : checkHolds(spec.check, spec, dir, checkDir, signal);
}

/** The key nodes met so far: those met before, and those whose check holds now; in the task's order. */
async function keyNodesMet(spec: WorkspaceSpec, before: string[] | undefined, dir: string, checkDir: string, signal?: AbortSignal): Promise<string[] | undefined> {
  if (!spec.keyNodes?.length) return before;
  const met: string[] = [];
  for (const node of spec.keyNodes) if (before?.includes(node.id) || (await checkHolds(node.check, spec, dir, checkDir, signal))) met.push(node.id);
  return met;
}

async function checkHolds(check: WorkspaceCheck, spec: WorkspaceSpec, dir: string, checkDir: string, signal?: AbortSignal): Promise<boolean> {
  if ('command' in check) {
    const run = await runSandboxed({ argv: check.command, workspace: dir, checkDir, timeoutMs: spec.timeoutMs, outputLimit: spec.outputLimit, signal });
    return run.exitCode === 0 && !run.timedOut && !run.overflow;
  }
  for (const predicate of check.files) if (!(await filePredicateHolds(dir, predicate))) return false;
  return true;
}

async function filePredicateHolds(dir: string, p: FilePredicate): Promise<boolean> {
  const text = await readFile(await insideWorkspace(dir, p.path), 'utf8').catch(() => null);
  if (p.exists === false) return text === null;
  if (text === null) return false;
  if (p.equals !== undefined && text.trim() !== p.equals.trim()) return false;
  if (p.contains !== undefined && !text.includes(p.contains)) return false;
  if (p.absent !== undefined && text.includes(p.absent)) return false;
  return true;
}

function limitLines(lines: string[], what: string): string {
  if (lines.length === 0) return `(no ${what})`;
  return lines.length <= LIST_LIMIT ? lines.join('\n') : `${lines.slice(0, LIST_LIMIT).join('\n')}\n[… ${lines.length - LIST_LIMIT} more ${what}]`;
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 300);
}
