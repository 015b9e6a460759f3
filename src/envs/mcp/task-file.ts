import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Task } from '../../core/environment.ts';
import { TaskError } from '../../core/errors.ts';

/** How stepwise reaches a task's server: a command it starts per world (stdio), or a URL it connects to (streamable HTTP). */
export interface McpServerSpec {
  command?: string;
  args: string[];
  env: Record<string, string>;
  url?: string;
  /** Connecting and listing tools, per world. */
  startupTimeoutMs: number;
  /** One tool call; a server that takes longer is taken to hang: the step fails and the world is closed. */
  callTimeoutMs: number;
}

/** What decides success: a final answer (the `final_answer` tool) or a tool call whose result must match, run after every step. */
export type McpCheck =
  | { answer: string; match: 'exact' | 'contains' | 'regex' }
  | { call: { tool: string; args: Record<string, unknown> }; expect: string; match: 'exact' | 'contains' | 'regex' };

/** One MCP task as recorded in the run (JSON): everything a world needs, so replay and fork need no task file. */
export interface McpTaskSpec {
  server: McpServerSpec;
  goal: string;
  check: McpCheck;
  /** A folder copied to a fresh place for each world (`{workdir}` in args and env), or null. */
  workdir: string | null;
  /** The stable name the model sees for a world's folder: paths in arguments and results are rewritten between it and the real folder. */
  workdirAlias: string;
  /** The tools offered, when not all the server lists. */
  tools: string[] | null;
}

const matchSchema = z.enum(['exact', 'contains', 'regex']);
const serverSchema = z
  .object({
    command: z.string().min(1).optional(),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    url: z.url().optional(),
    startupTimeoutMs: z.number().int().positive().default(20_000),
    callTimeoutMs: z.number().int().positive().default(10_000),
  })
  .strict()
  .refine((server) => (server.command === undefined) !== (server.url === undefined), { message: 'give exactly one of command (a stdio server stepwise starts) and url (a streamable HTTP server)' });
const checkSchema = z.union([
  z.object({ answer: z.string(), match: matchSchema.default('exact') }).strict(),
  z.object({ call: z.object({ tool: z.string().min(1), args: z.record(z.string(), z.unknown()).default({}) }).strict(), expect: z.string(), match: matchSchema.default('contains') }).strict(),
]);
const taskSchema = z
  .object({
    id: z.string().min(1),
    goal: z.string().min(1),
    check: checkSchema,
    server: serverSchema.optional(),
    workdir: z.string().optional(),
    tools: z.array(z.string()).optional(),
  })
  .strict();
const fileSchema = z
  .object({
    server: serverSchema.optional(),
    workdir: z.string().optional(),
    workdirAlias: z.string().startsWith('/').default('/workspace'),
    tools: z.array(z.string()).optional(),
    tasks: z.array(taskSchema).min(1),
  })
  .strict();

/** The task file's format, for documentation and `--help`. */
export const MCP_TASK_FILE_EXAMPLE = `server:
  command: "{node}"                    # {node}: the Node running stepwise
  args: ["{bin:@modelcontextprotocol/server-filesystem}", "{workdir}"]
  callTimeoutMs: 10000
workdir: notes                         # copied afresh for every world; the model sees it as /workspace
tasks:
  - id: find-code
    goal: Find the access code in the notes and give it as your final answer.
    check: { answer: "4711" }          # or { call: { tool: read_file, args: {...} }, expect: "…", match: contains }`;

/**
 * Placeholders resolved when the file is loaded: `{node}` (this Node), `{taskdir}` (the file's folder) and
 * `{bin:<package>}` (the package's executable script, found from the file's folder). `{workdir}` is
 * resolved per world, when the world's copy of the folder exists.
 */
function resolveLoadPlaceholders(text: string, taskDir: string): string {
  return text
    .replaceAll('{node}', process.execPath)
    .replaceAll('{taskdir}', taskDir)
    .replace(/\{bin:([^}]+)\}/g, (_, name: string) => packageBin(name, taskDir));
}

function packageBin(name: string, fromDir: string): string {
  const require = createRequire(join(fromDir, 'noop.js'));
  let manifestPath: string;
  try {
    manifestPath = require.resolve(`${name}/package.json`);
  } catch {
    // Packages installed beside stepwise itself (its devDependencies, a global install) are found too.
    try {
      manifestPath = createRequire(import.meta.url).resolve(`${name}/package.json`);
    } catch {
      throw new TaskError(`{bin:${name}}: the package ${name} is not installed where the task file or stepwise can find it`, { hint: `npm install ${name}` });
    }
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin ? Object.values(manifest.bin)[0] : undefined;
  if (!bin) throw new TaskError(`{bin:${name}}: the package ${name} has no executable (no "bin" in its package.json)`);
  return join(dirname(manifestPath), bin);
}

function resolveServer(server: z.infer<typeof serverSchema>, taskDir: string): McpServerSpec {
  const resolveText = (text: string) => resolveLoadPlaceholders(text, taskDir);
  return {
    ...(server.command === undefined ? {} : { command: resolveText(server.command) }),
    args: server.args.map(resolveText),
    env: Object.fromEntries(Object.entries(server.env).map(([key, value]) => [key, resolveText(value)])),
    ...(server.url === undefined ? {} : { url: server.url }),
    startupTimeoutMs: server.startupTimeoutMs,
    callTimeoutMs: server.callTimeoutMs,
  };
}

/** Reads a task file (YAML or JSON) into tasks whose specs hold everything a world needs. */
export function loadMcpTasks(path: string): Task<McpTaskSpec>[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TaskError(`cannot read the MCP task file ${path}: ${(error as Error).message}`, { hint: 'pass a .yaml or .json task file (see `stepwise run --help`)' });
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new TaskError(`the MCP task file ${path} is not YAML or JSON: ${(error as Error).message}`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ');
    throw new TaskError(`the MCP task file ${path} is malformed: ${problems}`, { hint: `a task file looks like:\n${MCP_TASK_FILE_EXAMPLE}` });
  }
  const file = parsed.data;
  const taskDir = dirname(resolve(path));
  const ids = new Set<string>();
  return file.tasks.map((task) => {
    if (ids.has(task.id)) throw new TaskError(`the MCP task file ${path} has two tasks with id ${task.id}`);
    ids.add(task.id);
    const server = task.server ?? file.server;
    if (!server) throw new TaskError(`MCP task ${task.id} in ${path} names no server`, { hint: 'give a top-level server: or one per task' });
    const workdir = task.workdir ?? file.workdir;
    const spec: McpTaskSpec = {
      server: resolveServer(server, taskDir),
      goal: task.goal,
      check: task.check as McpCheck,
      workdir: workdir === undefined ? null : isAbsolute(workdir) ? workdir : resolve(taskDir, workdir),
      workdirAlias: file.workdirAlias,
      tools: task.tools ?? file.tools ?? null,
    };
    return { id: task.id, env: 'mcp', source: `${path}#${task.id}`, spec };
  });
}
