export { mcpEnvironment, type McpProblem } from './env.ts';
export { loadMcpTasks, MCP_TASK_FILE_EXAMPLE, type McpCheck, type McpServerSpec, type McpTaskSpec } from './task-file.ts';
export { FINAL_ANSWER_TOOL, McpServerError, openMcpWorld, resultText, type McpState, type McpWorld } from './world.ts';
