import type {
  CandidateRecord,
  ModelCallRecord,
  NodeRecord,
  NodeStatsRecord,
  RunEndRecord,
  RunRecord,
  StoreRecord,
  TaskRecord,
  TaskResultRecord,
} from '../../store/records.ts';

/** One recorded run, as the records a search would append, in append order. */
export interface SampleRun {
  run: RunRecord;
  tasks: TaskRecord[];
  nodes: NodeRecord[];
  candidates: CandidateRecord[];
  stats: NodeStatsRecord[];
  modelCalls: ModelCallRecord[];
  results: TaskResultRecord[];
  end: RunEndRecord;
  /** Every record, interleaved the way a strategy writes them. */
  records: StoreRecord[];
}

export interface SampleRunOptions {
  startedAt?: string;
  taskCount?: number;
  nodesPerTask?: number;
  /** Leave out every optional field (tags, task meta, proposer config, score detail) and model call usage. */
  minimal?: boolean;
}

/** A sent, successful model call; `overrides` turn it into a failure or a cache hit. */
export function sampleModelCall(runId: string, taskId: string | null, id: string, requestHash: string, overrides: Partial<ModelCallRecord> = {}): ModelCallRecord {
  return {
    type: 'model_call', runId, taskId, nodeId: id.includes('#') ? id.slice(0, id.lastIndexOf('#')) : null, id, model: 'openai:gpt-x',
    requestHash, request: { messages: [{ role: 'user', content: `Propose a step ✓ (${requestHash})` }], parameters: { temperature: 0.7 }, sample: 0 },
    text: `reply to ${requestHash}`, usage: { inputTokens: 120, outputTokens: 8 }, latencyMs: 412.5, cacheHit: false, cachedFrom: null,
    attempts: 1, error: null, createdAt: 1735689600000, ...overrides,
  };
}

/**
 * A small but complete run: a tree per task with candidates, the model calls that proposed them (one failed, one
 * served from the cache), repeated stats updates, results and an end. Request hashes depend on the task and
 * candidate positions only, so sample runs share them as reruns of the same prompts would.
 */
export function sampleRun(runId: string, options: SampleRunOptions = {}): SampleRun {
  const { startedAt = '2025-01-01T00:00:00.000Z', taskCount = 2, nodesPerTask = 6, minimal = false } = options;
  const run: RunRecord = {
    type: 'run',
    id: runId,
    startedAt,
    env: { name: 'game24', version: '1' },
    strategy: { name: 'beam', config: { width: 3, nested: { list: [1, 'two', null] } } },
    proposer: minimal ? { name: 'scripted' } : { name: 'llm', config: { model: 'gpt-x', temperature: 0.7 } },
    scorers: [{ name: 'heuristic', weight: 1 }, { name: 'judge', weight: 0.5 }],
    budget: { expansions: 100, tokens: 5000 },
    seed: 42,
    taskSpec: 'tot:900-901',
    stepwiseVersion: '0.1.0',
    ...(minimal ? {} : {
      tags: { suite: 'smoke', note: 'ünïcode ✓' },
      provenance: {
        node: 'v24.9.0', platform: 'linux', arch: 'x64', gitCommit: '0123456789abcdef0123456789abcdef01234567', gitDirty: false,
        cwd: '/home/me/project', prompts: [{ name: 'game24/propose', sha256: 'ab'.repeat(32) }],
        models: [{ spec: 'openai:gpt-x', params: { temperature: 0.7 } }], argv: ['run', 'game24', '--tasks', 'tot:900-901'],
      },
      origin: null,
    }),
  };
  const sample: Omit<SampleRun, 'end'> = { run, tasks: [], nodes: [], candidates: [], stats: [], modelCalls: [], results: [], records: [run] };
  const push = <R extends StoreRecord>(list: R[], record: R) => {
    list.push(record);
    sample.records.push(record);
  };
  let nodeCounter = 0;
  for (let t = 0; t < taskCount; t++) {
    const taskId = `task-${t}`;
    push(sample.tasks, {
      type: 'task', runId, taskId, index: t, source: `data/tot.csv#${t}`, spec: { numbers: [1, 2, 3, 4 + t] },
      ...(minimal ? {} : { meta: { optimalLength: 3 } }), goalText: 'Reach 24', startedAt,
    });
    const taskNodes: NodeRecord[] = [];
    for (let n = 0; n < nodesPerTask; n++) {
      const parent = n === 0 ? null : taskNodes[Math.floor((n - 1) / 2)];
      const id = `${runId}.${nodeCounter++}`;
      if (parent) {
        const callId = `${parent.id}#${n}`;
        const firstCallId = `${taskNodes[0].id}#1`;
        push(sample.modelCalls, sampleModelCall(runId, taskId, callId, `sha-${t}-${n === 5 ? 1 : n}`, {
          ...(minimal ? { usage: null } : {}),
          ...(n === 3 ? { text: null, usage: null, attempts: 3, error: 'HTTP 429 after 3 attempts', latencyMs: 3100 } : {}),
          ...(n === 5 ? { cacheHit: true, cachedFrom: firstCallId, attempts: 0, latencyMs: 0.25 } : {}),
          createdAt: 1735689600000 + n,
        }));
        push(sample.candidates, {
          type: 'candidate', runId, taskId, id: `${parent.id}/${n}`, nodeId: parent.id, index: n, action: { op: '+', a: n, b: 1 },
          text: `${n} + 1`, proposer: 'llm', prior: n % 2 === 0 ? 0.25 : null, invalidReason: null,
          scores: [{ scorer: 'heuristic', value: n / 10, ...(minimal ? {} : { detail: 'close' }) }], value: n / 10,
        });
      }
      const node: NodeRecord = {
        type: 'node', runId, taskId, id, parentId: parent?.id ?? null, depth: parent ? parent.depth + 1 : 0,
        action: parent ? { op: '+', a: n, b: 1 } : null, actionText: parent ? `${n} + 1` : null,
        candidateId: parent ? `${parent.id}/${n}` : null, state: { numbers: [n, 24 - n], history: [] }, stateKey: `k${t}.${n}`,
        observation: `step ${n}\nline two "quoted"`, reward: n === nodesPerTask - 1 ? 1 : -0.5, check: n === 3
          ? { valid: false, reason: 'no such number', detail: { unmet: ['(clear b)'] } } : { valid: true },
        terminal: n === nodesPerTask - 1, success: n === nodesPerTask - 1, duplicateOf: n === 4 ? `${runId}.${nodeCounter - 3}` : null,
        createdAt: 1735689600000 + n,
      };
      taskNodes.push(node);
      push(sample.nodes, node);
      // Each node's stats change twice; only the last update must survive.
      push(sample.stats, { type: 'node_stats', runId, nodeId: id, visits: 1, value: 0.1, selected: false, pruned: null });
      if (parent) push(sample.stats, { type: 'node_stats', runId, nodeId: parent.id, visits: n + 1, value: n === 2 ? null : n / 7, selected: n % 2 === 1, pruned: n === 2 ? 'beam full' : null });
    }
    push(sample.results, {
      type: 'task_result', runId, taskId, outcome: t === 0 ? 'solved' : 'budget_exhausted', stopReason: t === 0 ? null : 'expansions',
      solutionNodeId: t === 0 ? (taskNodes.at(-1)?.id ?? null) : null, plan: t === 0 ? ['1 + 2', '3 * 8'] : null,
      expansions: nodesPerTask, nodes: nodesPerTask, wallMs: 12.5, finishedAt: '2025-01-01T00:00:01.000Z',
    });
  }
  const end: RunEndRecord = {
    type: 'run_end', runId, finishedAt: '2025-01-01T00:00:02.000Z',
    outcomes: { solved: 1, unsolvable: 0, budget_exhausted: Math.max(0, taskCount - 1), failed: 0 }, wallMs: 2000, status: 'completed',
  };
  sample.records.push(end);
  return { ...sample, end };
}

/** The stats a reader should see for one task: the last update of each of its nodes, in node order. */
export function expectedStats(sample: SampleRun, taskId: string): Map<string, NodeStatsRecord> {
  const last = new Map<string, NodeStatsRecord>();
  for (const stats of sample.stats) last.set(stats.nodeId, stats);
  const expected = new Map<string, NodeStatsRecord>();
  for (const node of sample.nodes) {
    const stats = last.get(node.id);
    if (node.taskId === taskId && stats) expected.set(node.id, stats);
  }
  return expected;
}
