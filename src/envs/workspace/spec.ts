import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Task } from '../../core/environment.ts';
import { TaskError, UsageError } from '../../core/errors.ts';
import { loadAgentHazardTasks } from '../../import/agenthazard.ts';
import { parseRowRange, splitRowRange } from '../task-spec.ts';

const filePredicate = z
  .object({
    path: z.string().min(1),
    /** The file's text, ignoring surrounding whitespace. */
    equals: z.string().optional(),
    contains: z.string().optional(),
    absent: z.string().optional(),
    exists: z.boolean().optional(),
  })
  .strict();

/** A command whose exit code 0 means the check holds (run in the sandbox; /check holds the task's check/ folder), or file predicates. */
const check = z.union([z.object({ command: z.array(z.string()).min(1) }).strict(), z.object({ files: z.array(filePredicate).min(1) }).strict()]);

/** An intermediate milestone (a key node): checked after every step that may have changed files, remembered once met. */
const keyNode = z
  .object({ id: z.string().regex(/^[\w.-]+$/, 'use letters, digits, _ . -'), label: z.string().min(1).optional(), check })
  .strict();

export const workspaceTaskFile = z
  .object({
    goal: z.string().min(1),
    check,
    keyNodes: z.array(keyNode).default([]).refine((nodes) => new Set(nodes.map((n) => n.id)).size === nodes.length, 'key node ids must differ'),
    /** Programs `run_command` may start (names on PATH). */
    allow: z.array(z.string().regex(/^[\w.+-]+$/)).default([]),
    timeoutMs: z.number().int().positive().default(10_000),
    outputLimit: z.number().int().positive().default(16_384),
    /** The user's later turns: the goal is the first; each comes back when the agent ends its turn (`end_turn`). */
    turns: z.array(z.string().min(1)).optional(),
  })
  .strict();

export type FilePredicate = z.infer<typeof filePredicate>;
export type WorkspaceCheck = z.infer<typeof check>;
export type WorkspaceKeyNode = z.infer<typeof keyNode>;
export type WorkspaceTaskFile = z.infer<typeof workspaceTaskFile>;

/**
 * A workspace task as recorded: the task folder (holding task.json, workspace/ and an optional check/) and its settings.
 * A task of several turns may have no check: it is done when the agent ends the last turn.
 */
export interface WorkspaceSpec extends Omit<WorkspaceTaskFile, 'check'> {
  folder: string;
  check?: WorkspaceTaskFile['check'];
}

/** The built-in tasks' folder. */
export const BUILTIN_TASKS = join(dirname(fileURLToPath(import.meta.url)), 'tasks');

/** `agenthazard:<dataset.json>[:<from>-<to>]`: AgentHazard records as tasks of several turns. */
export const AGENTHAZARD_PREFIX = 'agenthazard:';

const SPEC_HINT = 'use builtin (every built-in task), builtin:<name>[,<name>…], task folders (each with task.json and workspace/), comma-separated, or agenthazard:<dataset.json>[:<from>-<to>]';

/** Reads one task folder. */
export function loadWorkspaceTask(folder: string): Task<WorkspaceSpec> {
  const path = resolve(folder);
  const file = join(path, 'task.json');
  if (!existsSync(file)) throw new TaskError(`${folder} is not a workspace task: it has no task.json`, { hint: SPEC_HINT });
  if (!existsSync(join(path, 'workspace')) || !statSync(join(path, 'workspace')).isDirectory()) {
    throw new TaskError(`workspace task ${folder} has no workspace/ folder`, { hint: 'put the files the agent works on in <task>/workspace/' });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TaskError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const parsed = workspaceTaskFile.safeParse(raw);
  if (!parsed.success) {
    throw new TaskError(`${file} is not a workspace task: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'task'}: ${i.message}`).join('; ')}`, {
      hint: 'it needs { goal, check: { command: [...] } | { files: [...] }, keyNodes?: [{ id, label?, check }], allow?, timeoutMs?, outputLimit? }',
    });
  }
  return { id: basename(path), env: 'workspace', source: path, spec: { ...parsed.data, folder: path } };
}

/** `builtin`, `builtin:a,b`, task folders, comma-separated, or `agenthazard:<dataset.json>[:<from>-<to>]`. */
export function loadWorkspaceTasks(spec: string): Task<WorkspaceSpec>[] {
  if (spec.startsWith(AGENTHAZARD_PREFIX)) {
    const { path, rows } = splitRowRange(spec.slice(AGENTHAZARD_PREFIX.length));
    if (!path) throw new UsageError('agenthazard: needs the dataset file', { hint: 'e.g. agenthazard:../shared/data/agenthazard/dataset-dev.json:0-9' });
    return loadAgentHazardTasks(path, rows === undefined ? undefined : parseRowRange(rows));
  }
  if (spec === 'builtin') return builtinTaskNames().map((name) => loadWorkspaceTask(join(BUILTIN_TASKS, name)));
  if (spec.startsWith('builtin:')) {
    const known = builtinTaskNames();
    return spec.slice(8).split(',').map((name) => {
      if (!known.includes(name)) throw new UsageError(`there is no built-in workspace task "${name}"`, { hint: `the built-in tasks are ${known.join(', ')}` });
      return loadWorkspaceTask(join(BUILTIN_TASKS, name));
    });
  }
  const folders = spec.split(',').map((p) => p.trim()).filter(Boolean);
  if (folders.length === 0) throw new UsageError(`the task spec "${spec}" names no workspace task`, { hint: SPEC_HINT });
  return folders.map(loadWorkspaceTask);
}

export function builtinTaskNames(): string[] {
  return readdirSync(BUILTIN_TASKS).filter((name) => existsSync(join(BUILTIN_TASKS, name, 'task.json'))).sort();
}
