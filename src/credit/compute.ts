import type { StoredTree } from '../store/store.ts';
import { advantages, monteCarloValues } from './mc-value.ts';
import { DEFAULT_PIVOT_THRESHOLD, findPivots, type Pivot } from './pivots.ts';
import { processRewards } from './process-reward.ts';
import { progressAttribution } from './progress.ts';
import { stepQValues, type StepQ } from './q-values.ts';
import { finishedTrajectories } from './trajectories.ts';

/** Every credit value stepwise computes for one node; stored as the node's `credit` annotation. */
export interface NodeCredit {
  /** Monte Carlo value (TreePS-RAG): mean outcome of the finished leaves below; null when none. */
  mcValue: number | null;
  /** Finished leaves behind `mcValue`. */
  mcLeaves: number;
  /** mcValue(node) − mcValue(parent); null at the root or when either is unknown. */
  advantage: number | null;
  /** Verifiable process reward of the step into the node: 1 valid, 0 invalid; null at the root. */
  processReward: number | null;
  /** The step into the node is the first invalid step of its trajectories. */
  firstInvalid: boolean;
  /** MCTS statistics of the edge into the node; null when search never visited it. */
  q: StepQ | null;
  /** SPA-RL progress contribution of the step into the node; null when no finished trajectory passes through it. */
  progress: number | null;
  /** Set when the node's state is a PivotRL pivot. */
  pivot: Pivot | null;
}

/** What credit found in one task's tree, for the summary table and the task's own annotation. */
export interface TaskCreditSummary {
  nodes: number;
  /** Nodes with a Monte Carlo value. */
  valued: number;
  /** Finished trajectories (root to a terminal or successful leaf) and how many succeeded. */
  trajectories: number;
  successes: number;
  invalidSteps: number;
  /** Trajectories with at least one invalid step. */
  trajectoriesWithInvalidStep: number;
  /** Depth of the first invalid step → how many trajectories first went wrong there. */
  firstInvalidDepths: Record<string, number>;
  /** Edges with MCTS statistics. */
  qEdges: number;
  pivots: number;
  /** RMS residual of the progress fit before it was made exact. */
  progressFitResidual: number;
}

export interface CreditOptions {
  pivotThreshold?: number;
}

export interface TaskCredit {
  nodes: Map<string, NodeCredit>;
  summary: TaskCreditSummary;
}

/** Computes every credit value for one stored tree. */
export function computeCredit(tree: Pick<StoredTree, 'nodes' | 'stats'>, options: CreditOptions = {}): TaskCredit {
  const values = monteCarloValues(tree);
  const advantage = advantages(tree, values);
  const rewards = processRewards(tree.nodes);
  const q = stepQValues(tree.stats);
  // Q belongs to edges; the root has none (its statistics are the state's value, not a step's).
  const root = tree.nodes.find((node) => node.parentId === null);
  if (root) q.delete(root.id);
  const trajectories = finishedTrajectories(tree.nodes);
  const progress = progressAttribution(trajectories);
  const pivots = findPivots(tree.nodes, values, options.pivotThreshold ?? DEFAULT_PIVOT_THRESHOLD);

  const nodes = new Map<string, NodeCredit>();
  for (const node of tree.nodes) {
    const value = values.get(node.id);
    nodes.set(node.id, {
      mcValue: value?.value ?? null,
      mcLeaves: value?.leaves ?? 0,
      advantage: advantage.get(node.id) ?? null,
      processReward: rewards.get(node.id)?.reward ?? null,
      firstInvalid: rewards.get(node.id)?.firstInvalid ?? false,
      q: q.get(node.id) ?? null,
      progress: progress.contributions.get(node.id) ?? null,
      pivot: pivots.get(node.id) ?? null,
    });
  }
  const firstInvalidDepths: Record<string, number> = {};
  let withInvalid = 0;
  for (const trajectory of trajectories) {
    const first = trajectory.nodes.find((node) => rewards.get(node.id)?.firstInvalid);
    if (!first) continue;
    withInvalid++;
    firstInvalidDepths[first.depth] = (firstInvalidDepths[first.depth] ?? 0) + 1;
  }
  return {
    nodes,
    summary: {
      nodes: tree.nodes.length,
      valued: [...nodes.values()].filter((c) => c.mcValue !== null).length,
      trajectories: trajectories.length,
      successes: trajectories.filter((t) => t.outcome === 1).length,
      invalidSteps: [...rewards.values()].filter((r) => r.reward === 0).length,
      trajectoriesWithInvalidStep: withInvalid,
      firstInvalidDepths,
      qEdges: q.size,
      pivots: pivots.size,
      progressFitResidual: progress.fitResidual,
    },
  };
}
