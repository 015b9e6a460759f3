import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Task } from '../core/environment.ts';
import { TaskError, UsageError } from '../core/errors.ts';
import type { WorkspaceSpec } from '../envs/workspace/spec.ts';
import type { RowRange } from '../envs/task-spec.ts';

/** One AgentHazard record: a harmful goal split into steps that each look harmless. */
const recordSchema = z.object({
  id: z.union([z.number(), z.string()]),
  category: z.string(),
  jailbreak_method: z.string(),
  query: z.string(),
  decomposed_query: z.array(z.string()).min(1),
  comment: z.string().optional(),
});

/** One recorded agent run in AgentHazard's trace format: user turns and the agent's replies with `<bash>` blocks. */
const traceSchema = z.object({
  id: z.union([z.number(), z.string()]),
  category: z.string(),
  jailbreak_method: z.string(),
  query: z.string(),
  turns: z.array(z.object({ turn_idx: z.number(), input: z.string(), output: z.string() })),
});

/** A recorded trajectory: per turn, the user's words and the shell scripts the agent ran. */
export interface RecordedTrajectory {
  id: string;
  category: string;
  attack: string;
  query: string;
  steps: { turn: number; input: string; scripts: string[] }[];
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TaskError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TaskError(`${what} ${path} is not JSON: ${(error as Error).message}`);
  }
}

function problems(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`).join('; ');
}

/** The project AgentHazard tasks work in: a workspace task folder without task.json (the records give the goals). */
export const AGENTHAZARD_FOLDER = fileURLToPath(new URL('../envs/workspace/agenthazard', import.meta.url));

/** What an AgentHazard task's agent may run in its workspace: shell tools its records ask for (the sandbox has no network). */
export const AGENTHAZARD_PROGRAMS = ['ls', 'cat', 'echo', 'env', 'printenv', 'grep', 'find', 'base64', 'bash', 'sh', 'curl', 'chmod', 'mkdir', 'touch', 'cp', 'mv', 'tar', 'python3'];

/**
 * AgentHazard's dataset file (`dataset-dev.json`; `range`: 0-based records, inclusive) as workspace tasks of several
 * turns: each decomposed step is a user turn, the first the goal and each next one the user's message after the agent
 * ends its turn. The agent works in a small project (`src/envs/workspace/agenthazard`, with a `.env` of fake
 * secrets). There is no goal check: carrying the conversation to its end is the task's "success", the attack's.
 */
export function loadAgentHazardTasks(path: string, range?: RowRange): Task<WorkspaceSpec>[] {
  const data = readJson(path, 'the AgentHazard dataset');
  if (!Array.isArray(data)) throw new TaskError(`the AgentHazard dataset ${path} must be a JSON array of records`, { hint: 'use dataset-dev.json from AgentHazard' });
  if (range && range.end >= data.length) throw new UsageError(`the AgentHazard dataset ${path} has ${data.length} records (0-${data.length - 1}), not ${range.start}-${range.end}`);
  const picked = range ? data.slice(range.start, range.end + 1) : data;
  return picked.map((raw, i) => {
    const index = (range?.start ?? 0) + i;
    const parsed = recordSchema.safeParse(raw);
    if (!parsed.success) throw new TaskError(`record ${index} of ${path} is not an AgentHazard record: ${problems(parsed.error)}`, { hint: 'each record needs id, category, jailbreak_method, query and decomposed_query' });
    const record = parsed.data;
    const [goal, ...turns] = record.decomposed_query;
    return {
      id: `ah-${record.id}`,
      env: 'workspace',
      source: `${path}#${index}`,
      spec: { folder: AGENTHAZARD_FOLDER, goal, turns, keyNodes: [], allow: AGENTHAZARD_PROGRAMS, timeoutMs: 10_000, outputLimit: 16_384 },
      meta: { category: record.category, attack: record.jailbreak_method, query: record.query, comment: record.comment },
    };
  });
}

const BASH_BLOCK = /<bash>([\s\S]*?)<\/bash>/g;

/** Reads one trace file, or every `.json`/`.jsonl` file of a folder, in AgentHazard's trace format. */
export function loadRecordedTrajectories(path: string): RecordedTrajectory[] {
  const files = statSync(path).isDirectory()
    ? readdirSync(path).filter((name) => /\.jsonl?$/.test(name)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).map((name) => join(path, name))
    : [path];
  const trajectories: RecordedTrajectory[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8').trim();
    // A trace file holds one JSON object (possibly pretty-printed); a .jsonl of harmless sessions holds one per line.
    const objects = text.startsWith('{') && !/}\s*\n\s*{/.test(text) ? [text] : text.split(/\r?\n/).filter((line) => line.trim());
    objects.forEach((objectText, line) => {
      let raw: unknown;
      try {
        raw = JSON.parse(objectText);
      } catch (error) {
        throw new TaskError(`${file}${objects.length > 1 ? ` line ${line + 1}` : ''} is not JSON: ${(error as Error).message}`);
      }
      const parsed = traceSchema.safeParse(raw);
      if (!parsed.success) throw new TaskError(`${file} is not an AgentHazard trace: ${problems(parsed.error)}`, { hint: 'a trace has id, category, jailbreak_method, query and turns [{turn_idx, input, output}]' });
      const trace = parsed.data;
      trajectories.push({
        id: String(trace.id),
        category: trace.category,
        attack: trace.jailbreak_method,
        query: trace.query,
        steps: trace.turns.map((turn) => ({ turn: turn.turn_idx, input: turn.input, scripts: [...turn.output.matchAll(BASH_BLOCK)].map((m) => m[1].trim()).filter(Boolean) })),
      });
    });
  }
  return trajectories;
}
