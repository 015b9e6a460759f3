import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Task } from '../core/environment.ts';
import { TaskError } from '../core/errors.ts';

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

export interface AgentHazardSpec {
  query: string;
  category: string;
  attack: string;
  /** The user turns, given to the agent one at a time. */
  turns: string[];
}

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

/** AgentHazard's dataset file (`dataset-dev.json`): each record a multi-turn task whose turns are its decomposed steps. */
export function loadAgentHazardTasks(path: string): Task<AgentHazardSpec>[] {
  const data = readJson(path, 'the AgentHazard dataset');
  if (!Array.isArray(data)) throw new TaskError(`the AgentHazard dataset ${path} must be a JSON array of records`, { hint: 'use dataset-dev.json from AgentHazard' });
  return data.map((raw, index) => {
    const parsed = recordSchema.safeParse(raw);
    if (!parsed.success) throw new TaskError(`record ${index} of ${path} is not an AgentHazard record: ${problems(parsed.error)}`, { hint: 'each record needs id, category, jailbreak_method, query and decomposed_query' });
    const record = parsed.data;
    return {
      id: `ah-${record.id}`,
      env: 'workspace',
      source: `${path}#${index}`,
      spec: { query: record.query, category: record.category, attack: record.jailbreak_method, turns: record.decomposed_query },
      meta: { category: record.category, attack: record.jailbreak_method, comment: record.comment },
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
