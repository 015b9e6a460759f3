// Step credit from a stored tree (docs/credit.md): the `stepwise-agents/credit` entry point.
export { computeCredit, type CreditOptions, type NodeCredit, type TaskCredit, type TaskCreditSummary } from './compute.ts';
export { monteCarloValues, advantages, type MonteCarloValue, type MonteCarloOptions } from './mc-value.ts';
export { processRewards, type ProcessReward } from './process-reward.ts';
export { stepQValues, type StepQ } from './q-values.ts';
export { progressAttribution, type ProgressAttribution } from './progress.ts';
export { findPivots, DEFAULT_PIVOT_THRESHOLD, type Pivot } from './pivots.ts';
export { finishedTrajectories, pathFromRoot, type Trajectory } from './trajectories.ts';
export { storeCredit, loadStoredCredit, CREDIT_KIND } from './annotations.ts';
