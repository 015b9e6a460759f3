import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineEnvironment, type Problem, type Task } from '../../core/environment.ts';
import { ActionParseError, TaskError } from '../../core/errors.ts';
import type { ToolCallAction, ToolSpec } from '../../core/world.ts';
import { canonicalJson } from '../../models/request-hash.ts';
import type { McpTaskSpec } from './task-file.ts';
import { INITIAL_MCP_STATE, openMcpWorld, type McpState, type McpWorld } from './world.ts';

export type McpProblem = Problem<McpState, ToolCallAction> & { readonly spec: McpTaskSpec };

const actionSchema = z.object({ tool: z.string().min(1), args: z.record(z.string(), z.unknown()) }).strict();

function formatCall(action: ToolCallAction): string {
  return `${action.tool} ${canonicalJson(action.args)}`;
}

/**
 * Any MCP server's tools as typed actions (`ToolCallAction`). Steps have side effects: each world is its
 * own server process with its own copy of the task's folder (world.ts), opened by the engine's pool, and a
 * branch gets its world by re-executing the recorded calls (an arbitrary server has no snapshot).
 */
export const mcpEnvironment = defineEnvironment<McpState, ToolCallAction, McpTaskSpec>({
  name: 'mcp',
  version: '1',
  actionSchema,
  formatAction: formatCall,
  parseAction(text: string): ToolCallAction {
    const match = /^\s*([\w.\-/]+)\s*(\{[\s\S]*\})?\s*$/.exec(text);
    if (!match) throw new ActionParseError(`expected a tool call "<tool> {json arguments}", got ${JSON.stringify(text)}`);
    let args: unknown = {};
    try {
      if (match[2]) args = JSON.parse(match[2]);
    } catch (error) {
      throw new ActionParseError(`the arguments of ${match[1]} are not JSON: ${(error as Error).message}`);
    }
    return { tool: match[1], args: args as Record<string, unknown> };
  },
  load(task: Task<McpTaskSpec>): McpProblem {
    const spec = task.spec;
    if (!spec || typeof spec.goal !== 'string' || !spec.server || !spec.check) {
      throw new TaskError(`MCP task ${task.id} needs { server, goal, check }`, { hint: 'load MCP tasks from a task file (loadMcpTasks)' });
    }
    // The world opened to list the tools is handed to the first openWorld, so listing costs no extra server.
    let listing: Promise<McpWorld> | null = null;
    let unclaimed: McpWorld | null = null;
    let closed = false;
    const listingWorld = () => {
      listing ??= openMcpWorld(spec, new AbortController().signal).then(async (world) => {
        if (closed) await world.close(); // the task ended while the server was starting
        else unclaimed = world;
        return world;
      });
      listing.catch(() => (listing = null));
      return listing;
    };
    return {
      spec,
      initialState: INITIAL_MCP_STATE,
      goalText: 'answer' in spec.check ? `${spec.goal} When you know it, call final_answer with the answer.` : spec.goal,
      sideEffects: true,
      async openWorld(signal: AbortSignal) {
        if (unclaimed) {
          const world = unclaimed;
          unclaimed = null;
          return world;
        }
        return openMcpWorld(spec, signal);
      },
      async tools(): Promise<ToolSpec[]> {
        return [...(await listingWorld()).tools];
      },
      /** Outside the engine's world pool (which never calls this for a problem with side effects): a fresh world replays the calls. */
      async step(state: McpState, action: ToolCallAction) {
        const world = await openMcpWorld(spec, new AbortController().signal);
        try {
          for (const call of state.calls) {
            const again = await world.step(call);
            if (!again.check.valid) throw new TaskError(`re-executing ${formatCall(call)} on a fresh MCP server failed: ${again.check.reason}`);
          }
          return await world.step(action);
        } finally {
          await world.close();
        }
      },
      render: (state: McpState) =>
        state.calls.length === 0 ? '(no tool called yet)' : `${state.calls.length} tool call${state.calls.length === 1 ? '' : 's'} made; the last result:\n${state.result}`,
      // The calls made name a position (a fresh server given them reaches it); a final answer ends the path.
      stateKey: (state: McpState) => createHash('sha256').update(canonicalJson({ calls: state.calls, answer: state.answer })).digest('hex').slice(0, 24),
      async close() {
        closed = true;
        const world = unclaimed;
        unclaimed = null;
        await world?.close();
      },
    };
  },
});
