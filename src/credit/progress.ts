import type { NodeRecord } from '../store/records.ts';
import { ridgeLeastSquares, type SparseRow } from './least-squares.ts';
import type { Trajectory } from './trajectories.ts';

export interface ProgressAttribution {
  /** Per step (node id): its fitted contribution to its trajectories' final reward. */
  contributions: Map<string, number>;
  /** RMS of (Σ fitted contributions − final reward) over trajectories, before the exact correction. */
  fitResidual: number;
  trajectories: number;
}

/** Small enough that the fit is nearly exact; large enough that CG converges on rank-deficient trees. */
export const PROGRESS_RIDGE = 1e-3;

/**
 * SPA-RL progress attribution. Each step t (an edge into node n_t) has features φ(t): an indicator of its own
 * edge, and an indicator shared by all invalid steps. Contributions c_t = w·φ(t) are fitted by ridge least squares
 * over the finished trajectories τ with final reward R_τ:  min_w Σ_τ (Σ_{t∈τ} w·φ(t) − R_τ)² + λ‖w‖².
 * A step shared by several trajectories (a common prefix) gets one contribution. The fit is then made exact
 * per trajectory in a second, closed-form pass: the mean residual of the trajectories through each leaf edge is
 * put on that edge, so Σ_{t∈τ} c_t = R_τ for every τ whose leaf edge is its own (always, in a tree).
 */
export function progressAttribution(trajectories: readonly Trajectory[], lambda = PROGRESS_RIDGE): ProgressAttribution {
  const featureOf = new Map<string, number>();
  const INVALID = 0;
  let dims = 1;
  const stepsOf = (trajectory: Trajectory): NodeRecord[] => trajectory.nodes.slice(1);
  for (const trajectory of trajectories) for (const step of stepsOf(trajectory)) if (!featureOf.has(step.id)) featureOf.set(step.id, dims++);
  const rows: SparseRow[] = trajectories.map((trajectory) => {
    const counts = new Map<number, number>();
    for (const step of stepsOf(trajectory)) {
      counts.set(featureOf.get(step.id)!, 1);
      if (!step.check.valid) counts.set(INVALID, (counts.get(INVALID) ?? 0) + 1);
    }
    return { index: [...counts.keys()], value: [...counts.values()] };
  });
  const y = trajectories.map((trajectory) => trajectory.outcome);
  const contributions = new Map<string, number>();
  if (trajectories.length === 0) return { contributions, fitResidual: 0, trajectories: 0 };
  const fit = ridgeLeastSquares(rows, y, dims, lambda);
  const stepValue = (step: NodeRecord) => fit.weights[featureOf.get(step.id)!] + (step.check.valid ? 0 : fit.weights[INVALID]);
  for (const trajectory of trajectories) for (const step of stepsOf(trajectory)) contributions.set(step.id, stepValue(step));
  // Exactness: a finished leaf ends exactly one trajectory, so its edge absorbs that trajectory's residual.
  for (const trajectory of trajectories) {
    const steps = stepsOf(trajectory);
    if (steps.length === 0) continue;
    const total = steps.reduce((sum, step) => sum + contributions.get(step.id)!, 0);
    const leaf = steps[steps.length - 1];
    contributions.set(leaf.id, contributions.get(leaf.id)! + (trajectory.outcome - total));
  }
  return { contributions, fitResidual: fit.rmsResidual, trajectories: trajectories.length };
}
