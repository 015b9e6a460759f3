import type { RunSummary } from '../store/records.ts';
import type { Store } from '../store/store.ts';

/** One row of the runs table. */
export async function runRow(store: Store, summary: RunSummary) {
  const { run, end, tasks, results } = summary;
  const totals = await store.getModelCallTotals(run.id);
  const sum = (pick: (t: (typeof totals)[number]) => number) => totals.reduce((total, t) => total + pick(t), 0);
  const solved = results.filter((result) => result.outcome === 'solved').length;
  return {
    id: run.id,
    startedAt: run.startedAt,
    env: run.env.name,
    strategy: run.strategy.name,
    model: [...new Set(run.provenance?.models.map((model) => model.spec))].join(', ') || String(run.proposer.config?.model ?? run.proposer.name),
    tasks,
    finished: results.length,
    solved,
    successRate: results.length === 0 ? null : solved / results.length,
    expansions: results.reduce((total, result) => total + result.expansions, 0),
    nodes: results.reduce((total, result) => total + result.nodes, 0),
    modelCalls: sum((t) => t.calls),
    tokens: sum((t) => t.inputTokens + t.outputTokens),
    cacheHits: sum((t) => t.cacheHits),
    wallMs: end?.wallMs ?? null,
    status: end?.status ?? 'running',
    origin: run.origin ?? null,
    tags: run.tags ?? {},
    budget: run.budget,
  };
}
