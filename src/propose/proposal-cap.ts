import type { RunRecord } from '../store/records.ts';

/**
 * The most candidates one expansion of a recorded run could keep, or null when nothing cut them: the strategy's k,
 * the proposer's own k, and the cap a proposer records as `capWhenAll` for when the strategy asks for all
 * (an LLM proposer in samples mode sends a fixed number of samples).
 */
export function proposalCap(run: Pick<RunRecord, 'strategy' | 'proposer'>): number | null {
  const strategyK = finiteNumber(run.strategy.config?.k);
  const config = run.proposer.config ?? {};
  const ownK = finiteNumber(config.k);
  const caps = [strategyK, ownK].filter((k): k is number => k !== null);
  if (caps.length > 0) return Math.max(1, Math.min(...caps));
  return finiteNumber(config.capWhenAll);
}

/** Says how proposals were cut, for `show` and run summaries; null when they were not. */
export function describeProposalCap(run: Pick<RunRecord, 'strategy' | 'proposer'>): string | null {
  const cap = proposalCap(run);
  if (cap === null) return null;
  const asked = finiteNumber(run.strategy.config?.k) ?? finiteNumber(run.proposer.config?.k);
  const why = asked !== null ? `--k ${asked}` : `${run.proposer.config?.mode ?? 'this proposer'} mode's default when --k is all`;
  return `proposals: at most ${cap} candidate(s) kept per expansion (${why}); the rest were never asked for or were dropped`;
}

function finiteNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
