import type { Transition } from '../core/environment.ts';
import { StepwiseError } from '../core/errors.ts';

/** Re-executing a recorded step in a fresh world gave another result than the record: the world is not deterministic, or changed. */
export class WorldDivergence extends StepwiseError {
  readonly nodeId: string;
  readonly field: string;
  readonly recorded: string;
  readonly recomputed: string;
  constructor(nodeId: string, field: string, recorded: string, recomputed: string) {
    super('world_divergence', `re-executing the recorded step of node ${nodeId} gave another ${field}: recorded ${clip(recorded)}, now ${clip(recomputed)}`, {
      hint: 'the environment is not deterministic (timestamps, random names, timings in its output) or changed since the run; its worlds need snapshots, or steps whose results repeat',
    });
    this.nodeId = nodeId;
    this.field = field;
    this.recorded = recorded;
    this.recomputed = recomputed;
  }
}

/** A stateful problem refuses lookahead: scoring a candidate must not execute it. */
export class LookaheadRefused extends StepwiseError {
  constructor(envName: string) {
    super('lookahead_refused', `environment ${envName} has side effects: a scorer cannot look ahead by executing a candidate`, {
      hint: 'score such candidates without their outcome (the heuristic and value judges do), or use a pure environment',
    });
  }
}

/** The step a node records when its world could not execute it: the state is unchanged and the reason is the check's. */
export function failedStep<S>(state: S, error: unknown, what: string): Transition<S> {
  const message = error instanceof Error ? error.message : String(error);
  const detail: Record<string, unknown> = { worldError: error instanceof StepwiseError ? error.code : 'error' };
  if (error instanceof WorldDivergence) Object.assign(detail, { divergedAt: error.nodeId, field: error.field });
  return {
    state,
    observation: `${what}: ${message}`,
    reward: 0,
    done: false,
    success: false,
    check: { valid: false, reason: `${what}: ${message}`, detail },
  };
}

function clip(text: string, max = 200): string {
  const quoted = JSON.stringify(text);
  return quoted.length <= max ? quoted : `${quoted.slice(0, max)}…" (${text.length} characters)`;
}
