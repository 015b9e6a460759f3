import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { exportRunAsOtel } from '../../src/otel/export-run.ts';
import { withLiveOtelExport } from '../../src/otel/live-export.ts';
import { runRecipe } from '../../src/replay/run-recipe.ts';
import { openStore } from '../../src/store/index.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import type { RunRecipe } from '../../src/store/records.ts';
import type { Store, StoredTree } from '../../src/store/store.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { game24ModelScript } from '../../src/testing/game24-model.ts';
import { parseJsonLine, runCli, tempDb } from '../cli/cli-process.ts';
import { startOtlpReceiver, type ReceivedSpan } from './otlp-receiver.ts';

let server: FakeOpenAIServer;
before(async () => {
  server = await startFakeOpenAIServer({ script: game24ModelScript({ illegalEvery: 5 }) });
});
after(() => server.close());

const modelRecipe = (): RunRecipe => ({
  env: 'game24', tasks: 'generate:game24?count=2&seed=5', strategy: 'bfs', strategyOptions: { width: '2' }, budget: {}, seed: 0,
  scorers: ['value'], model: { spec: `openai-compatible:${server.url}#fake-gpt`, mode: 'list', judgeSamples: 1 },
});

/** Asserts the spans of one task mirror its tree: agent span at the top, a step span per node nested like the nodes, a chat span per call under its node. */
function assertMirrorsTree(spans: ReceivedSpan[], tree: StoredTree): void {
  const agent = spans.find((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent' && s.attributes['stepwise.task.id'] === tree.task.taskId);
  assert.ok(agent, `an invoke_agent span for ${tree.task.taskId}`);
  assert.equal(agent.name, 'invoke_agent stepwise');
  assert.equal(agent.parentSpanId, '', 'the task is the root of its trace');
  assert.equal(agent.attributes['gen_ai.conversation.id'], `${tree.task.runId}/${tree.task.taskId}`);
  assert.equal(agent.attributes['stepwise.task.outcome'], tree.result?.outcome);
  const inTrace = spans.filter((s) => s.traceId === agent.traceId);
  const byNode = new Map(inTrace.filter((s) => s.attributes['stepwise.node.id']).map((s) => [s.attributes['stepwise.node.id'] as string, s]));
  const root = tree.nodes.find((n) => n.parentId === null)!;
  const spanOfNode = (id: string | null) => (id === root.id || id === null ? agent : byNode.get(id));
  const steps = tree.nodes.filter((n) => n !== root);
  assert.equal(byNode.size, steps.length, 'one span per step');
  for (const node of steps) {
    const span = byNode.get(node.id)!;
    assert.equal(span.parentSpanId, spanOfNode(node.parentId)!.spanId, `step ${node.id} hangs from its parent node's span`);
    assert.equal(span.attributes['stepwise.step.action'], node.actionText);
    assert.equal(span.attributes['stepwise.step.valid'], node.check.valid);
    const parent = spanOfNode(node.parentId)!;
    assert.ok(span.startMs >= parent.startMs && span.endMs <= parent.endMs, 'a step lies within its parent');
  }
  const chats = inTrace.filter((s) => s.attributes['gen_ai.operation.name'] === 'chat');
  assert.equal(chats.length, tree.modelCalls.length, 'one chat span per model call');
  for (const call of tree.modelCalls) {
    const span = chats.find((s) => s.attributes['stepwise.model_call.id'] === call.id)!;
    assert.equal(span.name, 'chat fake-gpt');
    assert.equal(span.kind, 3, 'a chat span is a CLIENT span');
    assert.equal(span.attributes['gen_ai.request.model'], 'fake-gpt');
    assert.equal(span.attributes['gen_ai.provider.name'], 'openai-compatible');
    assert.equal(span.attributes['gen_ai.usage.input_tokens'], call.usage?.inputTokens);
    assert.equal(span.attributes['gen_ai.usage.output_tokens'], call.usage?.outputTokens);
    assert.equal(span.attributes['stepwise.model_call.cache_hit'], call.cacheHit);
    assert.equal(span.parentSpanId, spanOfNode(call.nodeId)!.spanId, 'a call hangs from the node whose expansion made it');
  }
  assert.equal(inTrace.length, 1 + steps.length + tree.modelCalls.length, 'nothing else in the trace');
}

async function trees(store: Store, runId: string): Promise<StoredTree[]> {
  return Promise.all((await store.getTasks(runId)).map((t) => store.getTree(runId, t.taskId)));
}

describe('OpenTelemetry export', () => {
  test('a recorded run goes to an OTLP/HTTP receiver as GenAI spans whose nesting mirrors each tree', async () => {
    const store = createMemoryStore();
    const { runId } = await runRecipe(modelRecipe(), { store });
    const receiver = await startOtlpReceiver();
    try {
      const { run } = await store.getRun(runId);
      const sent = await exportRunAsOtel(store, run, { endpoint: receiver.endpoint });
      const recorded = await trees(store, runId);
      assert.equal(sent.tasks, 2);
      assert.equal(sent.spans, receiver.spans.length);
      assert.ok(recorded.some((t) => t.modelCalls.length > 0 && t.nodes.some((n) => n.depth >= 2)), 'the run has model calls and nested steps to mirror');
      for (const tree of recorded) assertMirrorsTree(receiver.spans, tree);
      assert.equal(new Set(receiver.spans.map((s) => s.traceId)).size, 2, 'one trace per task');
      assert.equal(receiver.spans[0].resource['service.name'], 'stepwise');
    } finally {
      await receiver.close();
    }
  });

  test('live during a run: each task is sent as it finishes, with the same spans as an export afterwards', async () => {
    const receiver = await startOtlpReceiver();
    const memory = createMemoryStore();
    try {
      const store = withLiveOtelExport(memory, receiver.endpoint);
      const { runId } = await runRecipe(modelRecipe(), { store });
      const recorded = await trees(memory, runId);
      // Sent while the store is still open: nobody had to close it for the spans to go.
      const agents = () => receiver.spans.filter((s) => s.attributes['gen_ai.operation.name'] === 'invoke_agent').length;
      for (let waited = 0; agents() < 2 && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(agents(), 2);
      await store.close();
      for (const tree of recorded) assertMirrorsTree(receiver.spans, tree);
    } finally {
      await receiver.close();
    }
  });

  test('a tool action becomes an execute_tool span naming the tool and its arguments', async () => {
    const store = createMemoryStore();
    const now = Date.now();
    store.append({ type: 'run', id: 'rtool', startedAt: new Date(now).toISOString(), env: { name: 'shop', version: '1' }, strategy: { name: 'greedy', config: {} }, proposer: { name: 'scripted', config: {} }, scorers: [], budget: {}, seed: 0, taskSpec: '1 task', stepwiseVersion: '0.1.0' });
    store.append({ type: 'task', runId: 'rtool', taskId: 't', index: 0, source: 'test', spec: {}, goalText: 'find a lamp', startedAt: new Date(now).toISOString() });
    const node = (id: string, parentId: string | null, action: unknown, actionText: string | null, at: number) => ({
      type: 'node' as const, runId: 'rtool', taskId: 't', id, parentId, depth: parentId ? 1 : 0, action, actionText, candidateId: parentId ? `${parentId}/0` : null,
      state: {}, stateKey: id, observation: '', reward: 0, check: { valid: true }, terminal: parentId !== null, success: parentId !== null, duplicateOf: null, createdAt: at,
    });
    store.append(node('rtool.0', null, null, null, now));
    store.append(node('rtool.1', 'rtool.0', { tool: 'search', args: { query: 'lamp' } }, 'search(lamp)', now + 5));
    store.append({ type: 'task_result', runId: 'rtool', taskId: 't', outcome: 'solved', stopReason: null, solutionNodeId: 'rtool.1', plan: ['search(lamp)'], expansions: 1, nodes: 2, wallMs: 5, finishedAt: new Date(now + 6).toISOString() });
    const receiver = await startOtlpReceiver();
    try {
      await exportRunAsOtel(store, (await store.getRun('rtool')).run, { endpoint: receiver.endpoint });
      const tool = receiver.spans.find((s) => s.attributes['gen_ai.operation.name'] === 'execute_tool');
      assert.ok(tool);
      assert.equal(tool.name, 'execute_tool search');
      assert.equal(tool.attributes['gen_ai.tool.name'], 'search');
      assert.equal(tool.attributes['gen_ai.tool.call.arguments'], '{"query":"lamp"}');
      assert.equal(tool.parentSpanId, receiver.spans.find((s) => s.name === 'invoke_agent stepwise')!.spanId);
    } finally {
      await receiver.close();
    }
  });

  test('stepwise export --format otel sends a stored run; an endpoint nobody listens on is a clear error', async () => {
    const db = tempDb();
    const store = openStore(db);
    const { runId } = await runRecipe({ env: 'game24', tasks: 'generate:game24?count=3&seed=2', strategy: 'dfs', strategyOptions: {}, budget: {}, seed: 0, scorers: ['heuristic'], model: null }, { store });
    const recorded = await trees(store, runId);
    await store.close();
    const receiver = await startOtlpReceiver();
    try {
      const result = await runCli(['export', runId, '--format', 'otel', '--endpoint', receiver.endpoint, '--db', db, '--json']);
      const report = parseJsonLine(result);
      assert.equal(report.runs[0].tasks, 3);
      assert.equal(report.runs[0].spans, receiver.spans.length);
      assert.equal(receiver.spans.length, recorded.reduce((sum, t) => sum + t.nodes.length, 0), 'an agent span per task and a step span per other node');
      for (const tree of recorded) assertMirrorsTree(receiver.spans, tree);
    } finally {
      await receiver.close();
    }
    const refused = await runCli(['export', runId, '--format', 'otel', '--endpoint', receiver.endpoint, '--db', db]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^stepwise export: the OpenTelemetry collector at http:\/\/127\.0\.0\.1:\d+\/v1\/traces did not take the spans/);
    assert.match(refused.stderr, /hint: check that an OTLP\/HTTP receiver listens there/);
  });
});
