import type { StepContext } from '../core/step.ts';
import { createRng } from '../core/rng.ts';

/**
 * A step context for model calls made outside a search (a predictor, a simulated user): the model
 * client records them under `runId`/`nodeId` in its own store and nothing is charged to a budget.
 */
export function offTreeContext(runId: string, nodeId: string, signal: AbortSignal = new AbortController().signal): StepContext<any, any> {
  const task = { id: nodeId.split('#')[0], env: 'people', source: 'simulation', spec: null };
  return {
    runId,
    env: null as never,
    problem: null as never,
    task,
    nodeId,
    depth: 0,
    state: null,
    trajectory: [],
    rng: createRng(nodeId),
    signal,
    charge() {},
  };
}

/** The 1-based numbers in a reply such as "Picks: 1, 3" or "[2]" (what precedes "Picks:" dropped); "none" gives none. */
export function picksIn(reply: string, max: number): number[] {
  const line = reply.replace(/^[^:]*picks?\s*:/i, '').split('\n').find((l) => /\d|none/i.test(l)) ?? '';
  return [...new Set((line.match(/\d+/g) ?? []).map(Number))].filter((n) => n >= 1 && n <= max);
}
