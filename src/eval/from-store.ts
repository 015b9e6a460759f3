import { StoreError } from '../core/errors.ts';
import type { Store } from '../store/store.ts';
import { KEY_NODES_KIND, type TaskEvaluation } from './evaluate-run.ts';
import { EVAL_RUN_KIND, type EvalRunAnnotation, type EvalSample } from './runner.ts';
import type { StoredEval } from './stored-eval.ts';
import { summarizeEval, type EvalSummary, type SummarySuite } from './summary.ts';

export type { StoredEval };

/** Every eval with runs in the store, newest first. */
export async function listEvals(store: Store): Promise<StoredEval[]> {
  const evals = new Map<string, StoredEval>();
  for (const { run, end } of await store.listRuns()) {
    const evalId = run.tags?.eval;
    if (!evalId) continue;
    const entry = evals.get(evalId) ?? { evalId, suite: run.tags?.suite ?? '', startedAt: run.startedAt, runs: 0, completedRuns: 0 };
    entry.runs++;
    if (end?.status === 'completed') entry.completedRuns++;
    if (run.startedAt < entry.startedAt) entry.startedAt = run.startedAt;
    evals.set(evalId, entry);
  }
  return [...evals.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

/**
 * Rebuilds an eval's summary from its runs' annotations alone (no suite file): the configurations
 * and suite settings from `eval.run`, the per-task results from `eval.keynodes`.
 */
export async function evalSummaryFromStore(store: Store, evalId: string): Promise<EvalSummary> {
  const runs = (await store.listRuns()).filter((r) => r.run.tags?.eval === evalId);
  if (runs.length === 0) throw new StoreError(`no runs of eval "${evalId}" in ${store.location}`, { hint: 'list the evals with `stepwise eval --list`' });
  const jobs = new Map<string, EvalRunAnnotation & { runId: string }>();
  let suite: EvalRunAnnotation['suite'] | null = null;
  const configs = new Map<string, { index: number; config: EvalRunAnnotation['config'] }>();
  const taskSets = new Set<string>();
  // Oldest first, so a job redone after an interruption keeps its first completed run.
  for (const { run, end } of [...runs].reverse()) {
    if (end?.status !== 'completed') continue;
    const [annotation] = await store.getAnnotations(run.id, { kind: EVAL_RUN_KIND });
    if (!annotation) continue;
    const data = annotation.data as EvalRunAnnotation;
    suite ??= data.suite;
    if (!configs.has(data.config.name)) configs.set(data.config.name, { index: data.configIndex, config: data.config });
    taskSets.add(data.taskSet);
    const key = `${data.config.name}\u0000${data.epoch}\u0000${data.taskSet}`;
    if (!jobs.has(key)) jobs.set(key, { ...data, runId: run.id });
  }
  if (!suite) throw new StoreError(`eval "${evalId}" has no completed runs yet`, { hint: 'run its suite with `stepwise eval <suite>`' });
  const samples: EvalSample[] = [];
  for (const job of jobs.values()) {
    for (const annotation of await store.getAnnotations(job.runId, { kind: KEY_NODES_KIND })) {
      samples.push({ config: job.config.name, epoch: job.epoch, taskSet: job.taskSet, taskId: annotation.taskId ?? '', runId: job.runId, evaluation: annotation.data as TaskEvaluation });
    }
  }
  const summarySuite: SummarySuite = {
    name: suite.name,
    description: suite.description,
    seed: suite.seed,
    epochs: suite.epochs,
    reducers: suite.reducers,
    configs: [...configs.values()].sort((a, b) => a.index - b.index).map((c) => c.config),
  };
  const expected = summarySuite.configs.length * suite.epochs * taskSets.size;
  return summarizeEval(summarySuite, evalId, samples, { complete: jobs.size === expected });
}
