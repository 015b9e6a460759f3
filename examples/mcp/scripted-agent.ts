// A scripted tool-calling "model" for the example MCP tasks, served by stepwise's fake OpenAI-compatible
// server: try the tasks (and the tests) without a model. Run it to get a URL for --model:
//   npx node examples/mcp/scripted-agent.ts
//   stepwise run mcp --tasks examples/mcp/notes.yaml --model "openai-compatible:<url>#scripted" --mode tools …
import { startFakeOpenAIServer, type FakeChatRequest, type FakeReply, type FakeToolCall } from '../../src/testing/index.ts';

const call = (name: string, args: Record<string, unknown>): FakeToolCall => ({ name, arguments: args });

/** Per task (found by its goal), the calls the agent makes at each depth: the first makes progress, the others are detours. */
const PLANS: { goal: RegExp; steps: FakeToolCall[][] }[] = [
  {
    goal: /Find the access code/,
    steps: [
      [call('list_directory', { path: '/workspace' }), call('read_text_file', { path: '/workspace/README.md' })],
      [call('list_directory', { path: '/workspace/projects' }), call('read_text_file', { path: '/workspace/notes.txt' })],
      [call('read_text_file', { path: '/workspace/projects/vault.txt' }), call('read_text_file', { path: '/workspace/projects/todo.txt' })],
      [call('final_answer', { answer: '4711' })],
    ],
  },
  {
    goal: /into \/workspace\/summary\.txt/,
    steps: [
      [call('read_text_file', { path: '/workspace/projects/vault.txt' })],
      [call('write_file', { path: '/workspace/summary.txt', content: 'The access code is 4711.\n' }), call('write_file', { path: '/workspace/summary.txt', content: 'unknown\n' })],
    ],
  },
  {
    goal: /Ada Lovelace/,
    steps: [
      [
        call('search_nodes', { query: 'Ada' }),
        call('create_entities', { entities: [{ name: 'Ada Lovelace', entityType: 'person', observations: ['wrote the first program'] }] }),
      ],
      [call('create_entities', { entities: [{ name: 'Ada Lovelace', entityType: 'person', observations: ['wrote the first program'] }] })],
    ],
  },
];

/** The reply to one request: the calls planned at the depth the conversation has reached (its tool results so far). */
export function mcpAgentReply(body: FakeChatRequest): FakeReply {
  const messages = body.messages ?? [];
  const goal = String(messages.find((m) => m.role === 'user')?.content ?? '');
  const plan = PLANS.find((p) => p.goal.test(goal));
  if (!plan) return 'I do not know this task.';
  const depth = messages.filter((m) => m.role === 'tool').length;
  const calls = plan.steps[depth];
  return calls ? { type: 'tool-calls', calls } : 'I am done.';
}

if (import.meta.main) {
  const server = await startFakeOpenAIServer({ script: mcpAgentReply, models: ['scripted'] });
  console.log(`openai-compatible:${server.url}#scripted`);
  process.on('SIGINT', () => void server.close().then(() => process.exit(0)));
}
