export { workspaceEnvironment, workspaceKeyNodes } from './env.ts';
export { builtinTaskNames, loadWorkspaceTask, loadWorkspaceTasks, BUILTIN_TASKS, type WorkspaceSpec } from './spec.ts';
export { formatToolCall, parseToolCall, workspaceTools } from './tools.ts';
export { runSandboxed, requireBubblewrap, SandboxError, type SandboxResult, type SandboxRun } from './sandbox.ts';
export type { WorkspaceState } from './world.ts';
