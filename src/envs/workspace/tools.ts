import { z } from 'zod';
import type { ToolCallAction, ToolSpec } from '../../core/world.ts';
import { ActionParseError } from '../../core/errors.ts';

const path = z.string().min(1).describe('a path relative to the workspace folder');
const toolArgs = {
  read_file: z.object({ path }).strict(),
  write_file: z.object({ path, content: z.string().describe('the whole new content of the file') }).strict(),
  edit_file: z.object({ path, old: z.string().min(1).describe('text that occurs exactly once in the file'), new: z.string().describe('its replacement') }).strict(),
  list_files: z.object({ path: path.optional() }).strict(),
  search_files: z.object({ text: z.string().min(1).describe('literal text to find'), path: path.optional() }).strict(),
  run_command: z.object({ command: z.array(z.string()).min(1).describe('the program and its arguments, e.g. ["node", "test.js"]') }).strict(),
  end_turn: z.object({ reply: z.string().describe('what you tell the user') }).strict(),
} as const;

export type WorkspaceTool = keyof typeof toolArgs;

const descriptions: Record<WorkspaceTool, string> = {
  read_file: 'Read a text file of the workspace.',
  write_file: 'Create or replace a file of the workspace.',
  edit_file: 'Replace one exact occurrence of a text in a file.',
  list_files: 'List the files under a folder of the workspace (all of it by default).',
  search_files: 'Find the lines that contain a text, in every file under a folder.',
  run_command: 'Run an allowed program in the workspace, without network, with a time and output limit.',
  end_turn: "Answer the user and end your turn; the user's next message is the result.",
};

/** The tool that ends a user turn, offered only by tasks of several turns. */
export const END_TURN = 'end_turn';

export const workspaceActionSchema = z.discriminatedUnion(
  'tool',
  (Object.keys(toolArgs) as WorkspaceTool[]).map((tool) => z.object({ tool: z.literal(tool), args: toolArgs[tool] }).strict()) as unknown as [
    z.ZodObject<{ tool: z.ZodLiteral<WorkspaceTool>; args: z.ZodType<Record<string, unknown>> }>,
  ],
) as unknown as z.ZodType<ToolCallAction>;

/** The tools a model is offered: names, descriptions and JSON Schemas of the arguments; `end_turn` only in a task of several turns. */
export function workspaceTools(allow: readonly string[], options: { turns?: boolean } = {}): ToolSpec[] {
  return (Object.keys(toolArgs) as WorkspaceTool[]).filter((name) => name !== END_TURN || options.turns).map((name) => ({
    name,
    description: name === 'run_command' ? `${descriptions[name]} Allowed programs: ${allow.length ? allow.join(', ') : 'none'}.` : descriptions[name],
    parameters: z.toJSONSchema(toolArgs[name]) as Record<string, unknown>,
  }));
}

/** `tool {"json":"args"}`: the text form of a tool call in records and plans. */
export function formatToolCall(action: ToolCallAction): string {
  return `${action.tool} ${JSON.stringify(action.args)}`;
}

export function parseToolCall(text: string): ToolCallAction {
  const match = /^\s*([A-Za-z_][\w-]*)\s*(\{[\s\S]*\})?\s*$/.exec(text);
  if (!match) throw new ActionParseError(`expected a tool call "<tool> {json arguments}", got ${JSON.stringify(text.slice(0, 200))}`, { hint: 'e.g. read_file {"path":"src/app.js"}' });
  let args: unknown = {};
  if (match[2]) {
    try {
      args = JSON.parse(match[2]);
    } catch (error) {
      throw new ActionParseError(`the arguments of ${match[1]} are not JSON: ${(error as Error).message}`, { hint: 'write them as one JSON object' });
    }
  }
  return { tool: match[1], args: args as Record<string, unknown> };
}
