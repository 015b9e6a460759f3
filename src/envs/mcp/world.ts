import { cp, realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Transition } from '../../core/environment.ts';
import { StepwiseError } from '../../core/errors.ts';
import { STEPWISE_VERSION } from '../../core/version.ts';
import type { ToolCallAction, ToolCallTiming, ToolSpec, World } from '../../core/world.ts';
import { argumentCheckFor } from '../../tools/tool-arguments.ts';
import { worldFolder } from '../../worlds/scratch.ts';
import type { McpCheck, McpTaskSpec } from './task-file.ts';

/** Where an MCP world is: the tool calls that brought it there (a fresh server re-executes them), the last result, a final answer. */
export interface McpState {
  calls: ToolCallAction[];
  /** The last result, cut to LAST_RESULT_CHARS, for prompts and the viewer. */
  result: string;
  /** The last call and how long it took (core/world.ts; not part of the state key). */
  toolCall: ToolCallTiming | null;
  answer: string | null;
}

export const INITIAL_MCP_STATE: McpState = { calls: [], result: '', toolCall: null, answer: null };

/** Offered besides the server's tools when the task is decided by a final answer. */
export const FINAL_ANSWER_TOOL: ToolSpec = {
  name: 'final_answer',
  description: 'Give your final answer to the task. This ends the task.',
  parameters: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false },
};

const LAST_RESULT_CHARS = 2000;
const STDERR_TAIL_CHARS = 2000;

/** An MCP server could not be started, died, or stopped answering: the world is unusable and is closed. */
export class McpServerError extends StepwiseError {
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super('mcp_server', message, options);
  }
}

/** A live MCP world: one server (or session), with the tools it listed. */
export interface McpWorld extends World<McpState, ToolCallAction> {
  /** The tools offered: the server's (filtered by the task's `tools`), plus `final_answer` for answer checks. */
  readonly tools: readonly ToolSpec[];
  /** The server process, for a stdio server (null over HTTP, or once it is gone). */
  readonly pid: number | null;
}

export function matchesExpected(text: string, expected: string, match: McpCheck['match']): boolean {
  if (match === 'exact') return text.trim() === expected.trim();
  if (match === 'contains') return text.includes(expected);
  return new RegExp(expected).test(text);
}

/** The text of a tool result: text parts as they are, other parts named; structured content when there is no text. */
export function resultText(result: CallToolResult): string {
  const parts = (result.content ?? []).map((part) => {
    if (part.type === 'text') return part.text;
    if (part.type === 'resource') return 'text' in part.resource ? part.resource.text : `[resource ${part.resource.uri}]`;
    if (part.type === 'resource_link') return `[link ${part.uri}]`;
    return `[${part.type} ${'mimeType' in part ? part.mimeType : ''}]`.replace(' ]', ']');
  });
  if (parts.length === 0 && result.structuredContent !== undefined) return JSON.stringify(result.structuredContent);
  return parts.join('\n');
}

function firstLine(text: string, width = 200): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > width ? `${line.slice(0, width)}…` : line;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length - max} more characters)`;
}

/** Rewrites every string inside a JSON value. */
function mapStrings(value: unknown, rewrite: (text: string) => string): unknown {
  if (typeof value === 'string') return rewrite(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, rewrite));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, rewrite)]));
  return value;
}

/**
 * Starts the task's server (stdio: a child process stepwise spawns in the world's own folder; HTTP: a new
 * session) and lists its tools. The world's folder is a fresh copy of the task's `workdir` (or an empty
 * one), which the model sees under `workdirAlias`, so prompts and results are the same in every world.
 */
export async function openMcpWorld(spec: McpTaskSpec, signal: AbortSignal): Promise<McpWorld> {
  const folder = await realpath(await worldFolder('mcp'));
  if (spec.workdir) await cp(spec.workdir, folder, { recursive: true });
  const { server } = spec;
  const withFolder = (text: string) => text.replaceAll('{workdir}', folder);
  const toReal = (text: string) => text.replaceAll(spec.workdirAlias, folder);
  const toAlias = (text: string) => text.replaceAll(folder, spec.workdirAlias);
  const describeServer = server.command ? `${server.command} ${server.args.join(' ')}`.trim() : server.url!;

  let stderrTail = '';
  let gone: string | null = null;
  const transport = server.command
    ? new StdioClientTransport({ command: server.command, args: server.args.map(withFolder), env: { ...getDefaultEnvironment(), ...Object.fromEntries(Object.entries(server.env).map(([k, v]) => [k, withFolder(v)])) }, cwd: folder, stderr: 'pipe' })
    : new StreamableHTTPClientTransport(new URL(server.url!));
  if (transport instanceof StdioClientTransport) {
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
  }
  const stderrNote = () => (stderrTail.trim() ? `; its stderr ends: ${toAlias(stderrTail.trim()).split('\n').slice(-3).join(' | ')}` : '');
  const client = new Client({ name: 'stepwise', version: STEPWISE_VERSION });
  client.onclose = () => {
    gone ??= 'the server closed the connection (it exited)';
  };

  let closed: Promise<void> | null = null;
  const close = () =>
    (closed ??= (async () => {
      gone ??= 'the world was closed';
      try {
        await client.close();
      } catch {
        // A server that already died has nothing left to close.
      }
      await rm(folder, { recursive: true, force: true });
    })());

  let listed: ToolSpec[];
  try {
    await client.connect(transport, { timeout: server.startupTimeoutMs, signal });
    listed = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor === undefined ? undefined : { cursor }, { timeout: server.startupTimeoutMs, signal });
      for (const tool of page.tools) listed.push({ name: tool.name, description: tool.description ?? tool.title ?? tool.name, parameters: tool.inputSchema as Record<string, unknown> });
      cursor = page.nextCursor;
    } while (cursor);
  } catch (error) {
    await close();
    throw new McpServerError(`the MCP server ${describeServer} did not start: ${error instanceof Error ? error.message : String(error)}${stderrNote()}`, {
      hint: 'run the server command by hand to see why; check the task file\'s server command, args and env',
      cause: error,
    });
  }
  const wanted = spec.tools ? new Set(spec.tools) : null;
  const missing = spec.tools?.filter((name) => !listed.some((tool) => tool.name === name)) ?? [];
  if (missing.length > 0) {
    await close();
    throw new McpServerError(`the MCP server ${describeServer} lists no tool named ${missing.join(', ')}`, { hint: `it lists ${listed.map((t) => t.name).join(', ')}` });
  }
  const tools = [...listed.filter((tool) => !wanted || wanted.has(tool.name)), ...('answer' in spec.check ? [FINAL_ANSWER_TOOL] : [])];
  const checkArguments = argumentCheckFor(tools);
  const check = spec.check;
  let state: McpState = INITIAL_MCP_STATE;

  // A refused call leaves the position (same state key) but says how long it took.
  const refused = (reason: string, observation = reason, detail: Record<string, unknown> = {}, toolCall: ToolCallTiming | null = state.toolCall): Transition<McpState> => ({
    state: toolCall === state.toolCall ? state : { ...state, toolCall },
    observation,
    reward: 0,
    done: false,
    success: false,
    check: { valid: false, reason, detail },
  });

  /** One call to the server; protocol errors come back as a reason, a dead or hanging server throws. */
  const call = async (tool: string, args: Record<string, unknown>): Promise<{ result: CallToolResult } | { protocolError: string }> => {
    if (gone) throw new McpServerError(`the MCP server is not usable: ${gone}${stderrNote()}`);
    try {
      const result = (await client.callTool({ name: tool, arguments: mapStrings(args, toReal) as Record<string, unknown> }, undefined, { timeout: server.callTimeoutMs, signal })) as CallToolResult;
      return { result };
    } catch (error) {
      if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
        gone = `it did not answer ${tool} within ${server.callTimeoutMs} ms`;
        void close(); // a hanging server is stopped now, not when the pool gets to it
        throw new McpServerError(`the MCP server did not answer ${tool} within ${server.callTimeoutMs} ms (taken to hang; stopped)`, { hint: 'raise server.callTimeoutMs in the task file if the tool is slow' });
      }
      if (gone || (error instanceof McpError && error.code === ErrorCode.ConnectionClosed)) {
        gone ??= 'the connection closed';
        throw new McpServerError(`the MCP server exited during ${tool}: ${gone}${stderrNote()}`, { hint: 'the server crashed; its stderr above may say why' });
      }
      if (error instanceof McpError) return { protocolError: `protocol error ${error.code} from ${tool}: ${toAlias(error.message)}` };
      throw error;
    }
  };

  return {
    tools,
    get pid() {
      return transport instanceof StdioClientTransport ? transport.pid : null;
    },
    get state() {
      return state;
    },
    async step(action: ToolCallAction): Promise<Transition<McpState>> {
      const mismatch = checkArguments(action.tool, action.args);
      if (mismatch !== null) {
        const known = tools.some((tool) => tool.name === action.tool);
        return refused(known ? `the arguments of ${action.tool} do not fit its input schema: ${mismatch}` : `unknown tool "${action.tool}"; the tools offered are ${tools.map((t) => t.name).join(', ')}`);
      }
      const started = performance.now();
      if (action.tool === FINAL_ANSWER_TOOL.name) {
        const answer = String(action.args.answer);
        const success = 'answer' in check && matchesExpected(answer, check.answer, check.match);
        state = { ...state, answer, toolCall: { tool: action.tool, durationMs: 0 } };
        return { state, observation: `final answer: ${answer}`, reward: success ? 1 : 0, done: true, success, check: { valid: true } };
      }
      const outcome = await call(action.tool, action.args);
      const toolCall = { tool: action.tool, durationMs: Math.round((performance.now() - started) * 10) / 10 };
      if ('protocolError' in outcome) return refused(outcome.protocolError, outcome.protocolError, { protocolError: true }, toolCall);
      const observation = toAlias(resultText(outcome.result));
      if (outcome.result.isError) return refused(`${action.tool} reported an error: ${firstLine(observation)}`, observation, { isError: true }, toolCall);
      state = { calls: [...state.calls, action], result: cut(observation, LAST_RESULT_CHARS), toolCall, answer: null };
      let success = false;
      const detail: Record<string, unknown> = {};
      if ('call' in check) {
        const verdict = await call(check.call.tool, check.call.args);
        success = 'result' in verdict && !verdict.result.isError && matchesExpected(toAlias(resultText(verdict.result)), check.expect, check.match);
        detail.checkPassed = success;
      }
      return { state, observation, reward: success ? 1 : 0, done: success, success, check: { valid: true, ...('call' in check ? { detail } : {}) } };
    },
    close,
  };
}
