export { actionToolsFor, schemaTools, toolCallTools, toolName, type ActionTools } from './action-tools.ts';
export { agentMessages, stepCallId, DEFAULT_AGENT_SYSTEM, DEFAULT_MEMORY_WINDOW, type AgentMemoryOptions } from './agent-memory.ts';
export { argumentCheckFor, type ArgumentCheck } from './tool-arguments.ts';
export { toolProposer, type ToolProposerOptions } from './tool-proposer.ts';
