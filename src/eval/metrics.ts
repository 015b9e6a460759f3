import type { KeyNodeHit } from './match.ts';

/** One task's key-node result on one run (WebCanvas's per-task score "sum/total"). */
export interface TaskKeyNodeScore {
  total: number;
  /** Sum of the nodes' best scores; fractional semantic scores count fractionally. */
  scoreSum: number;
  /** Nodes with a score of 1. */
  met: number;
  /** All key nodes met (WebCanvas: score sum equals the node count, so a fractional score blocks it). */
  success: boolean;
  /** Exactly one node's worth missing: total − sum = 1 (WebCanvas's task_near_success). */
  nearSuccess: boolean;
  /** Actions on the evaluated path. */
  steps: number;
  /** Steps per key node met (steps / score sum); null when nothing was met. */
  efficiency: number | null;
}

export function scoreTask(hits: readonly KeyNodeHit[], steps: number): TaskKeyNodeScore {
  const total = hits.length;
  const scoreSum = round(hits.reduce((sum, hit) => sum + hit.score, 0));
  const met = hits.filter((hit) => hit.met).length;
  return {
    total,
    scoreSum,
    met,
    success: total > 0 && met === total,
    nearSuccess: total > 0 && Math.abs(total - scoreSum - 1) < 1e-9,
    steps,
    efficiency: scoreSum > 0 ? steps / scoreSum : null,
  };
}

/** WebCanvas's metrics over a set of task scores. */
export interface KeyNodeMetrics {
  tasks: number;
  /** Tasks with key nodes (the others are left out of every key-node metric). */
  scoredTasks: number;
  successRate: number;
  nearSuccessRate: number;
  /** Micro-average: all node scores over all nodes. */
  completionRate: number;
  /** Macro-average: the mean over tasks of each task's score sum / node count. */
  stepScore: number;
  /** Mean steps per key node met, over tasks that met any (WebCanvas counts those as 0; we leave them out). */
  efficiency: number | null;
  /** Model tokens per key node met (total tokens / total score sum); null when nothing was met. */
  tokensPerKeyNode: number | null;
  /** Expansions per key node met: the search's cost where no model is used. */
  expansionsPerKeyNode: number | null;
}

export function keyNodeMetrics(scores: readonly TaskKeyNodeScore[], cost: { tokens: number; expansions: number }): KeyNodeMetrics {
  const scored = scores.filter((s) => s.total > 0);
  const sum = scored.reduce((acc, s) => acc + s.scoreSum, 0);
  const nodes = scored.reduce((acc, s) => acc + s.total, 0);
  const efficient = scored.filter((s) => s.efficiency !== null);
  const share = (count: number) => (scored.length ? count / scored.length : 0);
  return {
    tasks: scores.length,
    scoredTasks: scored.length,
    successRate: share(scored.filter((s) => s.success).length),
    nearSuccessRate: share(scored.filter((s) => s.nearSuccess).length),
    completionRate: nodes ? sum / nodes : 0,
    stepScore: share(scored.reduce((acc, s) => acc + s.scoreSum / s.total, 0)),
    efficiency: efficient.length ? efficient.reduce((acc, s) => acc + s.efficiency!, 0) / efficient.length : null,
    tokensPerKeyNode: sum > 0 ? cost.tokens / sum : null,
    expansionsPerKeyNode: sum > 0 ? cost.expansions / sum : null,
  };
}

function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
