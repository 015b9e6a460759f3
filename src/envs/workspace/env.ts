import { join } from 'node:path';
import { defineEnvironment, type Environment, type Problem, type Task } from '../../core/environment.ts';
import { TaskError } from '../../core/errors.ts';
import type { ToolCallAction } from '../../core/world.ts';
import { requireBubblewrap } from './sandbox.ts';
import type { ResolvedKeyNode } from '../../eval/key-node.ts';
import type { WorkspaceSpec } from './spec.ts';
import { formatToolCall, parseToolCall, workspaceActionSchema, workspaceTools } from './tools.ts';
import { hashFolderSync, openWorkspaceWorld, type WorkspaceState } from './world.ts';

/**
 * Files and commands: a task is a folder and a goal check; actions are tool calls (read, write, edit, list, search,
 * run an allowed command). Every branch works in its own copy of the folder (a world); commands run in bubblewrap
 * without network, the copy the only writable place.
 */
export const workspaceEnvironment: Environment<WorkspaceState, ToolCallAction, WorkspaceSpec> = defineEnvironment({
  name: 'workspace',
  version: '1',
  actionSchema: workspaceActionSchema,
  formatAction: formatToolCall,
  parseAction: parseToolCall,
  load(task: Task<WorkspaceSpec>): Problem<WorkspaceState, ToolCallAction> {
    const spec = task.spec;
    if (!spec?.folder || !spec.goal || (!spec.check && !spec.turns)) throw new TaskError(`workspace task ${task.id} needs { folder, goal, check } (a task of several turns may leave out check)`);
    // Refused before any search: every command, and the goal check, runs in the sandbox.
    if ((spec.check && 'command' in spec.check) || spec.allow.length > 0) requireBubblewrap();
    const files = hashFolderSync(join(spec.folder, 'workspace'));
    const initialState: WorkspaceState = { files, trail: files };
    return {
      initialState,
      goalText: `${spec.goal}\nWork with the tools on the files of the workspace folder.${spec.allow.length ? ` Programs you may run: ${spec.allow.join(', ')}.` : ''}${spec.turns ? ' When you are done with this request, answer the user with end_turn; they may ask for more.' : ''}`,
      sideEffects: true,
      async openWorld(signal) {
        return openWorkspaceWorld(spec, initialState, signal);
      },
      tools: () => workspaceTools(spec.allow, { turns: spec.turns !== undefined }),
      step() {
        throw new TaskError('a workspace step acts on files: it runs only in a world (openWorld), never as a lookahead');
      },
      render: (state) => `workspace files ${state.files}${renderKeyNodes(spec, state)}`,
      // Progress toward the goal: the share of the task's key nodes met (below the 1 of a solved task).
      ...(spec.keyNodes.length > 0 ? { heuristic: (state: WorkspaceState) => (0.9 * (state.keyNodes?.length ?? 0)) / spec.keyNodes.length } : {}),
      stateKey: (state) => state.trail,
    };
  },
});

/** The mark a met key node leaves in the rendered state; `stepwise eval` finds key nodes by it (workspaceKeyNodes). */
export const keyNodeMark = (id: string): string => `\u2713${id}`;

function renderKeyNodes(spec: WorkspaceSpec, state: WorkspaceState): string {
  if (spec.keyNodes.length === 0) return '';
  const met = state.keyNodes ?? [];
  return ` \u00b7 key nodes ${met.length}/${spec.keyNodes.length}${met.map((id) => ` ${keyNodeMark(id)}`).join('')}`;
}

/** The task's key nodes as evaluation key nodes: each met when a step's rendered state carries its mark. */
export function workspaceKeyNodes(task: Task<WorkspaceSpec>): ResolvedKeyNode[] {
  return (task.spec?.keyNodes ?? []).map((node) => ({ type: 'include', target: 'state', value: keyNodeMark(node.id), id: node.id, label: node.label ?? node.id }));
}
