import { keyNodeMetrics, type KeyNodeMetrics } from './metrics.ts';
import type { EvalSample } from './runner.ts';
import { bootstrapMeanInterval, mean, pairedPermutationTest, reduceEpochs, wilsonInterval, type Interval, type Reducer } from './stats.ts';
import type { Suite, SuiteConfig } from './suite.ts';

export const SUMMARY_FORMAT = 'stepwise.eval-summary/1';
export const PAIRED_TEST = 'paired sign-flip permutation test on per-task success (two-sided; exact for up to 20 differing tasks, else 20,000 seeded samples; with one epoch it is the exact McNemar test)';

export interface ConfigSummary {
  name: string;
  strategy: string;
  options: Record<string, unknown>;
  scorers: string[];
  model: string | null;
  budget: SuiteConfig['budget'];
  runs: string[];
  /** (task, epoch) samples. */
  samples: number;
  /** The environment's verdict (goal reached), over samples, with a 95% Wilson interval. */
  solved: Interval & { count: number };
  /** WebCanvas task success (all key nodes met), over samples with key nodes. */
  keySuccess: Interval & { count: number };
  /** Key nodes met over all nodes, with a Wilson interval on the node count. */
  completion: Interval;
  keyNodes: KeyNodeMetrics;
  /** Per-task epoch reducers of `solved`, averaged over tasks (pass@k over the tasks with k epochs; absent when none has). */
  reducers: Record<string, number>;
  meanExpansions: number;
  meanTokens: number;
  meanWallMs: number;
}

export interface PairedComparison {
  a: string;
  b: string;
  tasks: number;
  /** Mean over tasks of (A's success rate − B's) on the same tasks, with a 95% bootstrap interval. */
  difference: Interval;
  pValue: number;
  exact: boolean;
}

export interface TaskCell {
  epochs: number;
  solved: number;
  keyMet: number;
  keyTotal: number;
  /** Key nodes met in no epoch. */
  missed: string[];
  runIds: string[];
}

export interface TaskRow {
  taskSet: string;
  taskId: string;
  keyNodes: string[];
  cells: Record<string, TaskCell>;
}

export interface EvalSummary {
  format: typeof SUMMARY_FORMAT;
  evalId: string;
  suite: { name: string; description: string | null; epochs: number; seed: number; reducers: string[] };
  generatedAt: string;
  complete: boolean;
  test: string;
  configs: ConfigSummary[];
  comparisons: PairedComparison[];
  tasks: TaskRow[];
}

const taskKey = (s: EvalSample) => `${s.taskSet}/${s.taskId}`;

/** What a summary needs of the suite (a suite file, or what the runs' `eval.run` annotations recorded). */
export type SummarySuite = Pick<Suite, 'name' | 'epochs' | 'seed' | 'reducers' | 'configs'> & { description?: string | null };

export function summarizeEval(suite: SummarySuite, evalId: string, unordered: readonly EvalSample[], options: { complete?: boolean; seed?: number } = {}): EvalSummary {
  // A fixed order (epoch, task set, task), whichever order the runs finished or were read in.
  const samples = [...unordered].sort((a, b) => a.epoch - b.epoch || a.taskSet.localeCompare(b.taskSet) || a.taskId.localeCompare(b.taskId, 'en', { numeric: true }));
  const byConfig = new Map(suite.configs.map((c) => [c.name, samples.filter((s) => s.config === c.name)]));
  const configs = suite.configs.map((config) => summarizeConfig(config, byConfig.get(config.name)!, suite.reducers as Reducer[]));
  const comparisons: PairedComparison[] = [];
  for (let i = 0; i < suite.configs.length; i++) {
    for (let j = i + 1; j < suite.configs.length; j++) {
      comparisons.push(compare(suite.configs[i].name, suite.configs[j].name, byConfig.get(suite.configs[i].name)!, byConfig.get(suite.configs[j].name)!, options.seed ?? suite.seed));
    }
  }
  return {
    format: SUMMARY_FORMAT,
    evalId,
    suite: { name: suite.name, description: suite.description ?? null, epochs: suite.epochs, seed: suite.seed, reducers: suite.reducers },
    generatedAt: new Date().toISOString(),
    complete: options.complete ?? true,
    test: PAIRED_TEST,
    configs,
    comparisons,
    tasks: taskRows(suite, samples),
  };
}

function summarizeConfig(config: SuiteConfig, samples: readonly EvalSample[], reducers: readonly Reducer[]): ConfigSummary {
  const solvedCount = samples.filter((s) => s.evaluation.outcome === 'solved').length;
  const scored = samples.filter((s) => s.evaluation.score.total > 0);
  const keySuccessCount = scored.filter((s) => s.evaluation.score.success).length;
  const nodesMet = scored.reduce((n, s) => n + s.evaluation.score.met, 0);
  const nodesTotal = scored.reduce((n, s) => n + s.evaluation.score.total, 0);
  const completion = wilsonInterval(nodesMet, nodesTotal);
  const sum = (pick: (s: EvalSample) => number) => samples.reduce((n, s) => n + pick(s), 0);
  const keyNodes = keyNodeMetrics(samples.map((s) => s.evaluation.score), { tokens: sum((s) => s.evaluation.tokens), expansions: sum((s) => s.evaluation.expansions) });
  const perTask = groupBy(samples, taskKey);
  const reduced: Record<string, number> = {};
  for (const reducer of reducers) {
    // pass@k needs k epochs of a task: an eval whose later epochs did not complete has fewer for some (or all) tasks.
    const k = reducer.startsWith('pass@') ? Number(reducer.slice(5)) : 1;
    const lists = [...perTask.values()].filter((list) => list.length >= k);
    if (lists.length === 0) continue;
    reduced[reducer] = mean(lists.map((list) => reduceEpochs(list.map((s) => (s.evaluation.outcome === 'solved' ? 1 : 0)), reducer)));
  }
  const model = config.model ? (typeof config.model === 'string' ? config.model : (config.model as { spec: string }).spec) : null;
  return {
    name: config.name,
    strategy: config.strategy,
    options: config.options,
    scorers: config.scorers ?? (model ? [] : ['heuristic']),
    model,
    budget: config.budget,
    runs: [...new Set(samples.map((s) => s.runId))],
    samples: samples.length,
    solved: { ...wilsonInterval(solvedCount, samples.length), count: solvedCount },
    keySuccess: { ...wilsonInterval(keySuccessCount, scored.length), count: keySuccessCount },
    // The micro-average of scores, which a fractional semantic score can put between met counts.
    completion: { ...completion, estimate: keyNodes.completionRate },
    keyNodes,
    reducers: reduced,
    meanExpansions: samples.length ? sum((s) => s.evaluation.expansions) / samples.length : 0,
    meanTokens: samples.length ? sum((s) => s.evaluation.tokens) / samples.length : 0,
    meanWallMs: samples.length ? sum((s) => s.evaluation.wallMs) / samples.length : 0,
  };
}

/** A's and B's per-task success rates (mean over epochs) on the tasks both ran, compared pairwise. */
export function compare(a: string, b: string, samplesA: readonly EvalSample[], samplesB: readonly EvalSample[], seed: number): PairedComparison {
  const rate = (list: readonly EvalSample[]) => mean(list.map((s) => (s.evaluation.outcome === 'solved' ? 1 : 0)));
  const groupsA = groupBy(samplesA, taskKey);
  const groupsB = groupBy(samplesB, taskKey);
  const differences = [...groupsA.keys()].filter((key) => groupsB.has(key)).sort().map((key) => rate(groupsA.get(key)!) - rate(groupsB.get(key)!));
  const test = pairedPermutationTest(differences, { seed });
  return { a, b, tasks: differences.length, difference: bootstrapMeanInterval(differences, { seed }), pValue: test.pValue, exact: test.exact };
}

function taskRows(suite: SummarySuite, samples: readonly EvalSample[]): TaskRow[] {
  const rows: TaskRow[] = [];
  for (const list of groupBy(samples, taskKey).values()) {
    const first = list[0];
    const cells: Record<string, TaskCell> = {};
    for (const config of suite.configs) {
      const mine = list.filter((s) => s.config === config.name);
      if (mine.length === 0) continue;
      const labels = mine[0].evaluation.hits.map((h) => h.label);
      const missed = labels.filter((label) => mine.every((s) => !s.evaluation.hits.find((h) => h.label === label)?.met));
      cells[config.name] = {
        epochs: mine.length,
        solved: mine.filter((s) => s.evaluation.outcome === 'solved').length,
        keyMet: mine.reduce((n, s) => n + s.evaluation.score.met, 0),
        keyTotal: mine.reduce((n, s) => n + s.evaluation.score.total, 0),
        missed,
        runIds: mine.map((s) => s.runId),
      };
    }
    rows.push({ taskSet: first.taskSet, taskId: first.taskId, keyNodes: first.evaluation.hits.map((h) => h.label), cells });
  }
  return rows;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
