import type { StepContext } from '../../src/core/step.ts';
import { createRng } from '../../src/core/rng.ts';
import { createModelClient, type ModelClientOptions } from '../../src/models/client.ts';
import type { ModelClient, ModelRequest } from '../../src/models/types.ts';
import type { ModelCallRecord, StoreRecord } from '../../src/store/records.ts';
import type { Store } from '../../src/store/store.ts';
import type { FakeOpenAIServer } from '../../src/testing/fake-openai-server.ts';
import { graphEnvironment, graphTask, type GraphAction, type GraphState } from '../../src/testing/graph-env.ts';

export type Charge = { modelCalls?: number; tokens?: number };

export interface TestStepContext extends StepContext<GraphState, GraphAction> {
  /** Every `charge` call, in order. */
  readonly charges: Charge[];
}

/** A step context on a one-edge graph task, recording what the model client charges. */
export function testStepContext(options: { runId?: string; nodeId?: string; signal?: AbortSignal } = {}): TestStepContext {
  const runId = options.runId ?? 'run-1';
  const task = graphTask('task-0', { start: 'a', goal: 'b', edges: { a: ['b'] } });
  const problem = graphEnvironment.load(task);
  const charges: Charge[] = [];
  return {
    runId,
    env: graphEnvironment,
    problem,
    task,
    nodeId: options.nodeId ?? `${runId}.0`,
    depth: 0,
    state: problem.initialState,
    trajectory: [],
    rng: createRng(1),
    signal: options.signal ?? new AbortController().signal,
    charges,
    charge: (usage) => charges.push(usage),
  };
}

/** Sums what was charged. */
export function totalCharged(ctx: TestStepContext): { modelCalls: number; tokens: number } {
  let modelCalls = 0;
  let tokens = 0;
  for (const charge of ctx.charges) {
    modelCalls += charge.modelCalls ?? 0;
    tokens += charge.tokens ?? 0;
  }
  return { modelCalls, tokens };
}

/** A real store that also keeps every appended model call in order, for assertions. */
export function recordingStore(store: Store): Store & { readonly calls: ModelCallRecord[] } {
  const calls: ModelCallRecord[] = [];
  return Object.assign(Object.create(store) as Store, {
    calls,
    append(record: StoreRecord) {
      if (record.type === 'model_call') calls.push(record);
      store.append(record);
    },
  });
}

/** A client on the real openai-compatible provider pointed at the fake server, with test-sized timings. */
export function fakeServerClient(server: FakeOpenAIServer, store: ModelClientOptions['store'], options: Partial<ModelClientOptions> = {}): ModelClient {
  return createModelClient({
    spec: `openai-compatible:${server.url}#fake-model`,
    store,
    env: {},
    timeoutMs: 2_000,
    retryDelayMs: 10,
    ...options,
  });
}

export function userRequest(content: string, extra: Omit<ModelRequest, 'messages'> = {}): ModelRequest {
  return { messages: [{ role: 'system', content: 'You solve puzzles.' }, { role: 'user', content }], ...extra };
}
