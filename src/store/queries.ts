import { annotationMatches } from './annotations.ts';
import type { RunSummary } from './records.ts';
import { LATEST_RUN, resolveRunQuery, runLimit } from './run-query.ts';
import { OUTLINE_TEXT_CHARS } from './store.ts';
import type {
  CandidateOutline,
  ModelCallTotals,
  NodeOutline,
  Store,
  StoreBackend,
  StoreQueries,
  StoredNode,
  TreeOutline,
  TreeOutlineOptions,
} from './store.ts';

/**
 * A Store from a backend: the queries it does not answer natively are derived from its core reads. Every backend
 * goes through here, so a new one implements `StoreBackend` and passes `storeBehaviourSuite`.
 */
export function defineStore(backend: StoreBackend & Partial<StoreQueries>): Store {
  const defaults = defaultQueries(backend);
  return {
    ...defaults,
    ...backend,
    // The filter is applied here too, so a backend that reads every annotation of the run is still right.
    async getAnnotations(runId, filter = {}) {
      return (await backend.getAnnotations(runId, filter)).filter((record) => annotationMatches(record, filter));
    },
  };
}

/** The derived queries over any backend's core reads. */
export function defaultQueries(backend: StoreBackend): StoreQueries {
  return {
    getRun: (idOrPrefix) => runByQuery(backend, idOrPrefix),
    getTask: async (runId, taskId) => (await backend.getTasks(runId)).find((task) => task.taskId === taskId) ?? null,
    getTreeOutline: (runId, taskId, options) => outlineFromTree(backend, runId, taskId, options),
    getNode: (runId, nodeId) => nodeFromTrees(backend, runId, nodeId),
    async getModelCallTotals(runId) {
      const byTask = new Map<string | null, ModelCallTotals>();
      for (const call of await backend.getModelCalls(runId)) {
        let totals = byTask.get(call.taskId);
        if (!totals) {
          totals = { taskId: call.taskId, calls: 0, cacheHits: 0, errors: 0, inputTokens: 0, outputTokens: 0, latencyMs: 0 };
          byTask.set(call.taskId, totals);
        }
        totals.calls++;
        if (call.cacheHit) totals.cacheHits++;
        if (call.error !== null) totals.errors++;
        totals.inputTokens += call.usage?.inputTokens ?? 0;
        totals.outputTokens += call.usage?.outputTokens ?? 0;
        totals.latencyMs += call.latencyMs;
      }
      return [...byTask.values()];
    },
  };
}

/** A full id, a unique prefix or `latest`, resolved over `listRuns` with the same messages as every backend. */
async function runByQuery(backend: StoreBackend, query: string): Promise<RunSummary> {
  // An empty query would list every run as a prefix match; resolveRunQuery rejects it before looking.
  const matches = query === '' ? [] : await backend.listRuns({ idPrefix: query });
  const newest = query === LATEST_RUN ? (await backend.listRuns({ limit: 1 }))[0] : undefined;
  const run = resolveRunQuery(query, backend.location, {
    byId: (id) => matches.find((summary) => summary.run.id === id)?.run,
    newest: () => newest?.run,
    withPrefix: () => matches.map((summary) => summary.run),
  });
  return matches.find((summary) => summary.run.id === run.id) ?? newest!;
}

function cut(text: string): string {
  return [...text].slice(0, OUTLINE_TEXT_CHARS).join('');
}

async function outlineFromTree(backend: StoreBackend, runId: string, taskId: string, options: TreeOutlineOptions = {}): Promise<TreeOutline> {
  const tree = await backend.getTree(runId, taskId);
  const limit = runLimit(options.limit);
  const totalNodes = tree.nodes.length;
  const kept = limit === undefined ? tree.nodes : tree.nodes.slice(0, limit);
  const candidateValues = new Map(tree.candidates.map((candidate) => [candidate.id, candidate.value]));
  const executed = new Set(kept.map((node) => node.candidateId));
  const nodes = kept.map((node): NodeOutline => {
    const nodeStats = tree.stats.get(node.id);
    return {
      id: node.id,
      parentId: node.parentId,
      depth: node.depth,
      actionText: node.actionText === null ? null : cut(node.actionText),
      value: node.candidateId === null ? null : candidateValues.get(node.candidateId) ?? null,
      reward: node.reward,
      valid: node.check.valid,
      terminal: node.terminal,
      success: node.success,
      duplicateOf: node.duplicateOf,
      visits: nodeStats?.visits ?? null,
      searchValue: nodeStats?.value ?? null,
      selected: nodeStats?.selected ?? false,
      pruned: nodeStats?.pruned ?? null,
    };
  });
  // A cut outline is a first look: no unexecuted candidates (see TreeOutlineOptions).
  const unexecuted = (limit !== undefined ? [] : tree.candidates).filter((candidate) => !executed.has(candidate.id)).map((candidate): CandidateOutline => ({
    id: candidate.id,
    nodeId: candidate.nodeId,
    index: candidate.index,
    text: cut(candidate.text),
    invalidReason: candidate.invalidReason,
    value: candidate.value,
  }));
  return { task: tree.task, result: tree.result, nodes, unexecuted, totalNodes };
}

/** Looks through the run's trees; backends with an index by node id answer natively. */
async function nodeFromTrees(backend: StoreBackend, runId: string, nodeId: string): Promise<StoredNode | null> {
  for (const task of await backend.getTasks(runId)) {
    const tree = await backend.getTree(runId, task.taskId);
    const node = tree.nodes.find((candidate) => candidate.id === nodeId);
    if (!node) continue;
    return {
      node,
      stats: tree.stats.get(nodeId) ?? null,
      candidates: tree.candidates.filter((candidate) => candidate.nodeId === nodeId),
      modelCalls: tree.modelCalls.filter((call) => call.nodeId === nodeId),
    };
  }
  return null;
}
