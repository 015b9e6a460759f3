// Tools for testing environments, proposers, scorers and strategies the way stepwise tests itself.
export { graphEnvironment, graphTask, type GraphAction, type GraphSpec, type GraphState } from './graph-env.ts';
export { scriptedProposer, type Script } from '../propose/scripted.ts';
export { createMemoryStore } from '../store/memory.ts';
export { startFakeOpenAIServer, type FakeChatRequest, type FakeOpenAIServer, type FakeOpenAIServerOptions, type FakeReply, type FakeScript, type FakeToolCall } from './fake-openai-server.ts';
export { game24ModelScript, type Game24ModelOptions } from './game24-model.ts';
export { ledgerEnvironment, ledgerTask, type LedgerAction, type LedgerOptions, type LedgerSpec, type LedgerState, type LedgerTally } from './ledger-world.ts';
export { workspaceAgentProposer, workspaceModelScript, WORKSPACE_SCRIPTS } from './workspace-agent.ts';
