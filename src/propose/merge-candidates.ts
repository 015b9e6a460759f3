import type { Candidate } from '../core/step.ts';
import type { AllowedAction } from './reply-actions.ts';

/**
 * Merges allowed actions by key in first-seen order, keeping at most `limit` of them; invalid
 * candidates pass through. Each kept action's `prior` is its share of `total` (the samples, list
 * lines or tool calls read), which PUCT uses.
 */
export function mergeAllowedActions<A>(found: readonly (AllowedAction<A> | Candidate<A>)[], total: number, limit: number, proposer: string): Candidate<A>[] {
  const counts = new Map<string, number>();
  for (const item of found) if ('ok' in item) counts.set(item.key, (counts.get(item.key) ?? 0) + 1);
  const out: Candidate<A>[] = [];
  const seen = new Set<string>();
  let kept = 0;
  for (const item of found) {
    if (!('ok' in item)) out.push(item);
    else if (!seen.has(item.key) && kept < limit) {
      seen.add(item.key);
      kept++;
      out.push({ action: item.action, text: item.text, proposer, prior: counts.get(item.key)! / total });
    }
  }
  return out;
}
