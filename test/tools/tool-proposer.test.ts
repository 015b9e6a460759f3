import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportEnvironmentOffline } from '../../src/envs/report/index.ts';
import { runSearch } from '../../src/search/run.ts';
import { greedy } from '../../src/search/strategies/index.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { graphEnvironment, graphTask } from '../../src/testing/graph-env.ts';
import { startFakeOpenAIServer, type FakeReply } from '../../src/testing/fake-openai-server.ts';
import { agentMessages } from '../../src/tools/agent-memory.ts';
import { schemaTools } from '../../src/tools/action-tools.ts';
import { toolProposer } from '../../src/tools/tool-proposer.ts';
import { fakeServerClient } from '../models/model-test-kit.ts';
import { stepContext } from '../propose/step-context.ts';

const task = graphTask('walk', { start: 'a', goal: 'd', edges: { a: ['b', 'c'], b: ['d'], c: ['d'] } });

async function withServer<T>(script: FakeReply[] | ((body: any, index: number) => FakeReply), run: (client: ReturnType<typeof fakeServerClient>, server: Awaited<ReturnType<typeof startFakeOpenAIServer>>) => Promise<T>): Promise<T> {
  const server = await startFakeOpenAIServer({ script });
  try {
    return await run(fakeServerClient(server, createMemoryStore()), server);
  } finally {
    await server.close();
  }
}

describe('the tool-calling proposer', () => {
  it('turns every call of every sample into a candidate, and each bad call into an invalid one with its reason', async () => {
    const script: FakeReply[] = [
      {
        type: 'tool-calls',
        calls: [
          { name: 'graph_action', arguments: { to: 'b' } },
          { name: 'graph_action', arguments: '{"to": "c"' },
          { name: 'fly', arguments: { to: 'd' } },
          { name: 'graph_action', arguments: { to: 5 } },
          { name: 'graph_action', arguments: { to: 'd' } },
        ],
      },
      'I would go to b.',
      { type: 'tool-calls', calls: [{ name: 'graph_action', arguments: { to: 'b' } }] },
    ];
    await withServer(script, async (client, server) => {
      const ctx = await stepContext(graphEnvironment, task, [], 3);
      const { candidates } = (await toolProposer({ client }).propose(ctx)) as { candidates: any[] };
      const byText = new Map(candidates.map((c) => [c.text, c]));
      assert.deepEqual(byText.get('go b').action, { to: 'b' });
      assert.equal(byText.get('go b').prior, 2 / 6, 'two of the six calls chose b');
      assert.match(byText.get('graph_action({"to": "c")').invalidReason, /not JSON/);
      assert.match(byText.get('fly({"to":"d"})').invalidReason, /unknown tool "fly"; the tools offered are graph_action/);
      assert.match(byText.get('graph_action({"to":5})').invalidReason, /do not fit its input schema: \/to must be string/);
      assert.match(byText.get('graph_action({"to":"d"})').invalidReason, /not allowed here: no edge from a to d/);
      assert.match(byText.get('I would go to b.').invalidReason, /called no tool \(a text-only reply\)/);
      assert.equal(candidates.length, 6);
      assert.deepEqual(server.requests[0].tools!.map((t: any) => t.function.name), ['graph_action']);
      assert.equal(server.requests[0].tool_choice, 'required');
      assert.deepEqual(server.requests.map((body: any) => body.seed ?? 0), [0, 1, 2], 'k samples are k distinct requests');
    });
  });

  it('reads a structured-output reply as a call when the provider has no tools', async () => {
    await withServer(['{"tool":"graph_action","args":{"to":"c"}}', 'not json'], async (client, server) => {
      const ctx = await stepContext(graphEnvironment, task, [], 2);
      const { candidates } = (await toolProposer({ client, output: 'json' }).propose(ctx)) as { candidates: any[] };
      assert.deepEqual(candidates.map((c) => c.action), [{ to: 'c' }, null]);
      assert.match(candidates[1].invalidReason, /the reply is not JSON/);
      assert.equal(server.requests[0].tools, undefined);
      assert.ok(server.requests[0].response_format, 'JSON mode was asked for');
    });
  });

  it('drives a search: the conversation grows with the path, each earlier call answered by its observation', async () => {
    const script = (body: any): FakeReply => {
      const toolTurns = body.messages.filter((m: any) => m.role === 'tool').length;
      return { type: 'tool-calls', calls: [{ name: 'graph_action', arguments: { to: toolTurns === 0 ? 'c' : 'd' } }] };
    };
    await withServer(script, async (client, server) => {
      const store = createMemoryStore();
      const { results, runId } = await runSearch({ env: graphEnvironment, tasks: [task], proposer: toolProposer({ client, k: 1 }), strategy: greedy(), store });
      assert.equal(results[0].outcome, 'solved');
      assert.deepEqual(results[0].plan, ['go c', 'go d']);
      const second = server.requests[1].messages as any[];
      assert.deepEqual(second.map((m: any) => m.role), ['system', 'user', 'assistant', 'tool', 'user']);
      assert.equal(second[2].tool_calls[0].id, 'step_1');
      assert.deepEqual(JSON.parse(second[2].tool_calls[0].function.arguments), { to: 'c' });
      assert.equal(second[3].content, 'at c');
      const { run } = await store.getRun(runId);
      assert.equal(run.proposer.config?.mode, 'tools');
    });
  });
});

describe('agent memory', () => {
  it('keeps the first user message and the last N steps, and names the elided ones', async () => {
    const line = graphTask('line', { start: 'n0', goal: 'n9', edges: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`n${i}`, [`n${i + 1}`]])) });
    const ctx = await stepContext(graphEnvironment, line, ['go n1', 'go n2', 'go n3', 'go n4', 'go n5']);
    const messages = agentMessages(ctx, schemaTools(graphEnvironment), { window: 2 });
    assert.deepEqual(messages.map((m) => m.role), ['system', 'user', 'user', 'assistant', 'tool', 'assistant', 'tool', 'user']);
    assert.match(messages[1].content, /^Goal: reach n9\n\nStart:\nat n0$/);
    assert.equal(messages[2].content, '(3 earlier steps are not shown in full; their actions were:\n1. go n1\n2. go n2\n3. go n3)');
    assert.deepEqual((messages[3] as any).toolCalls, [{ id: 'step_4', name: 'graph_action', arguments: '{"to":"n4"}' }]);
    assert.equal(messages[6].content, 'at n5');
    assert.match(messages[7].content, /after 5 steps\):\nat n5/);
    const whole = agentMessages(ctx, schemaTools(graphEnvironment), { window: 10 });
    assert.equal(whole.filter((m) => m.role === 'tool').length, 5, 'a window wider than the path keeps every step');
  });

  it('cuts a long observation and says how much was cut', async () => {
    const ctx = await stepContext(graphEnvironment, task, ['go b']);
    const long = { ...ctx, trajectory: [{ ...ctx.trajectory[0], observation: 'x'.repeat(50) }] };
    const [tool] = agentMessages(long, schemaTools(graphEnvironment), { maxObservationChars: 10 }).filter((m) => m.role === 'tool');
    assert.equal(tool.content, `${'x'.repeat(10)}\n…(40 more characters not shown)`);
  });
});

describe('tools from an action schema', () => {
  it('gives a discriminated union one tool per kind, and maps calls back to actions both ways', () => {
    const tools = schemaTools(reportEnvironmentOffline);
    assert.ok(tools.specs.some((s) => s.name === 'add_section'));
    const add = tools.specs.find((s) => s.name === 'add_section')!;
    assert.deepEqual(Object.keys(add.parameters.properties as object), ['topic']);
    assert.deepEqual(tools.actionOf('add_section', { topic: 'costs' }), { topic: 'costs', type: 'add_section' });
    assert.deepEqual(tools.callOf({ type: 'add_section', topic: 'costs' }), { name: 'add_section', args: { topic: 'costs' } });
    assert.equal(tools.actionOf('nope', {}), null);
  });
});
