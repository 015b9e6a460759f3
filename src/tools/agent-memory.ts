import type { StepContext } from '../core/step.ts';
import type { ChatMessage, ToolResultMessage } from '../models/types.ts';
import type { ActionTools } from './action-tools.ts';

export interface AgentMemoryOptions {
  /** The system message; by default a short statement of the agent's job (DEFAULT_AGENT_SYSTEM). */
  system?: string;
  /** Earlier steps (one tool call and its result each) kept in full; older ones are elided with a note. Default 8. */
  window?: number;
  /** Observations longer than this are cut, with a note of how much was cut. Default 4000 characters. */
  maxObservationChars?: number;
}

export const DEFAULT_AGENT_SYSTEM =
  'You are an agent that reaches a goal by calling the tools you are offered, one step at a time. ' +
  'Each call is executed and its result returned to you. Call exactly one tool per step.';

export const DEFAULT_MEMORY_WINDOW = 8;
export const DEFAULT_MAX_OBSERVATION_CHARS = 4000;
/** How many elided steps the elision note names. */
const ELIDED_NAMED = 20;

/** The id of the call that made step `n` (1-based) of the path: the same on every branch, so prompts repeat and the cache answers. */
export function stepCallId(n: number): string {
  return `step_${n}`;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n…(${text.length - max} more characters not shown)`;
}

/**
 * The conversation a tool-calling agent sees at a node, built from the node's path in the tree:
 *
 *   system · user (the goal and the initial state) · [a note naming the elided steps] ·
 *   for each of the last `window` steps: assistant (its tool call) + tool (its observation) ·
 *   user (the current state, and the request for the next call)
 *
 * Steps before the window are replaced by one note naming their actions (the first 20), so the
 * prompt stays bounded however deep the path goes. What is sent is recorded with each model call.
 */
export function agentMessages<S, A>(ctx: StepContext<S, A>, tools: ActionTools<A>, options: AgentMemoryOptions = {}): (ChatMessage | ToolResultMessage)[] {
  const window = options.window ?? DEFAULT_MEMORY_WINDOW;
  const maxObservation = options.maxObservationChars ?? DEFAULT_MAX_OBSERVATION_CHARS;
  const { problem, trajectory } = ctx;
  const messages: (ChatMessage | ToolResultMessage)[] = [
    { role: 'system', content: options.system ?? DEFAULT_AGENT_SYSTEM },
    { role: 'user', content: `Goal: ${problem.goalText}\n\nStart:\n${cut(problem.render(problem.initialState), maxObservation)}` },
  ];
  const firstKept = Math.max(0, trajectory.length - window);
  if (firstKept > 0) {
    const named = trajectory.slice(0, Math.min(firstKept, ELIDED_NAMED)).map((step, i) => `${i + 1}. ${cut(step.actionText, 120)}`);
    const more = firstKept > ELIDED_NAMED ? `\n…and ${firstKept - ELIDED_NAMED} more` : '';
    messages.push({ role: 'user', content: `(${firstKept} earlier step${firstKept === 1 ? '' : 's'} are not shown in full; their actions were:\n${named.join('\n')}${more})` });
  }
  trajectory.slice(firstKept).forEach((step, i) => {
    const id = stepCallId(firstKept + i + 1);
    const call = tools.callOf(step.action);
    messages.push({ role: 'assistant', content: '', toolCalls: [{ id, name: call.name, arguments: JSON.stringify(call.args) }] });
    messages.push({ role: 'tool', content: cut(step.observation, maxObservation), toolCallId: id, toolName: call.name });
  });
  const now = trajectory.length === 0 ? '' : `Now (after ${trajectory.length} step${trajectory.length === 1 ? '' : 's'}):\n${cut(problem.render(ctx.state), maxObservation)}\n\n`;
  messages.push({ role: 'user', content: `${now}Call one tool for the next step.` });
  return messages;
}
