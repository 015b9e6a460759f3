import { defineProposer, type Candidate, type Proposer } from '../core/step.ts';
import type { ToolCallAction } from '../core/world.ts';
import type { Task } from '../core/environment.ts';
import { loadWorkspaceTasks, type WorkspaceSpec } from '../envs/workspace/spec.ts';
import { formatToolCall } from '../envs/workspace/tools.ts';
import type { FakeChatRequest, FakeReply } from './fake-openai-server.ts';
import type { WorkspaceState } from '../envs/workspace/world.ts';

type Call = ToolCallAction;
const call = (tool: string, args: Record<string, unknown>): Call => ({ tool, args });

const REFACTORED_REPORT = `function formatLine(name, amount) {
  return name.padEnd(12) + amount.toFixed(2).padStart(10);
}

function incomeReport(items) {
  return items.map((item) => formatLine(item.name, item.amount)).join('\\n');
}

function costReport(items) {
  return items.map((item) => formatLine(item.name, -item.amount)).join('\\n');
}

module.exports = { incomeReport, costReport, formatLine };
`;

/**
 * What a tool-calling model does on each built-in workspace task, step by step: at each depth the first call
 * is the one that makes progress and the others are plausible detours (a wrong fix, a useless command), so a
 * search has branches to weigh and a best-of-k or MCTS run finds the solution.
 */
export const WORKSPACE_SCRIPTS: Record<string, readonly (readonly Call[])[]> = {
  'fix-failing-test': [
    [call('run_command', { command: ['node', 'test.js'] }), call('list_files', {})],
    [call('read_file', { path: 'src/price.js' }), call('read_file', { path: 'test.js' })],
    [
      call('edit_file', { path: 'src/price.js', old: 'gross - gross * discountPercent', new: 'gross - (gross * discountPercent) / 100' }),
      call('edit_file', { path: 'src/price.js', old: 'gross - gross * discountPercent', new: 'gross * discountPercent' }),
    ],
  ],
  'refactor-green': [
    [call('read_file', { path: 'src/report.js' }), call('run_command', { command: ['node', 'test.js'] })],
    [call('write_file', { path: 'src/report.js', content: REFACTORED_REPORT }), call('edit_file', { path: 'src/report.js', old: 'padEnd(12)', new: 'padEnd(10)' })],
  ],
  'find-value': [
    [call('search_files', { text: '2024-07-14T15', path: 'data' }), call('read_file', { path: 'README.md' })],
    [call('write_file', { path: 'answer.txt', content: 'ST-31\n' }), call('write_file', { path: 'answer.txt', content: 'ST-17\n' })],
  ],
};

/**
 * The scripted tool-calling model as a proposer: at depth d of task t it proposes the first k calls of
 * `WORKSPACE_SCRIPTS[t][d]` (nothing past the script's end). Until the tool-calling proposer serves these through
 * the fake OpenAI server, tests and the demo use it directly.
 */
export function workspaceAgentProposer(scripts: Record<string, readonly (readonly Call[])[]> = WORKSPACE_SCRIPTS): Proposer<WorkspaceState, Call> {
  return defineProposer<WorkspaceState, Call>({
    name: 'workspace-agent',
    local: true,
    propose(ctx) {
      const script = scripts[ctx.task.id] ?? [];
      const calls = script[ctx.depth] ?? [];
      return {
        candidates: calls.slice(0, ctx.k).map((action): Candidate<Call> => ({ action, text: formatToolCall(action), proposer: 'workspace-agent' })),
        complete: true,
      };
    },
  });
}

/**
 * The same scripts as a "model" for the fake OpenAI server: it reads the task from the goal in the request and the
 * depth from the tool calls already in the conversation, and answers with one reply calling every alternative of
 * that step (several tool calls in one reply become several candidates). For end-to-end runs of `--mode tools`.
 */
export function workspaceModelScript(
  scripts: Record<string, readonly (readonly Call[])[]> = WORKSPACE_SCRIPTS,
  /** The tasks the scripts are for, recognised by their goals (the first user turn); the built-in ones by default. */
  tasks: readonly Task<WorkspaceSpec>[] = loadWorkspaceTasks('builtin'),
): (body: FakeChatRequest) => FakeReply {
  const goals = new Map(tasks.map((task) => [task.spec.goal, task.id]));
  return (body) => {
    const messages = body.messages ?? [];
    const prompt = messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
    const taskId = [...goals].find(([goal]) => prompt.includes(goal))?.[1];
    const depth = messages.filter((m) => m.role === 'assistant' && (m.tool_calls?.length ?? 0) > 0).length;
    const calls = taskId ? scripts[taskId]?.[depth] ?? [] : [];
    if (calls.length === 0) return { type: 'text', text: 'I have nothing more to do.' };
    return { type: 'tool-calls', calls: calls.map((c) => ({ name: c.tool, arguments: c.args })) };
  };
}
