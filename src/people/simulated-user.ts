import { contentWords } from '../envs/report/aspects.ts';
import { createRng } from '../core/rng.ts';
import { definePerson, type Person } from '../feedback/types.ts';
import { aspectOf, type ActionDescription } from './action-features.ts';
import type { HiddenGoal, SimulatedUserSpec } from './goals.ts';

/** How much a user with `goal` wants `action`, in [0, 1]: type weight times topic weight. */
export function goalUtility(goal: HiddenGoal, action: ActionDescription): number {
  const type = goal.types[action.actionType] ?? goal.otherType;
  const words = [aspectOf(action), ...contentWords(`${action.topic ?? ''} ${action.text}`)];
  let topic = 0;
  for (const word of words) {
    for (const [key, weight] of Object.entries(goal.topics)) if (word === key || (key.length > 4 && word.startsWith(key))) topic = Math.max(topic, weight);
  }
  return type * (topic > 0 ? topic : goal.otherTopic);
}

export interface SimulatedUserOptions {
  /** Utility at which a pick is a coin flip (default 0.4). */
  threshold?: number;
  /** How sharp the choice is: lower is more deterministic (default 0.08). */
  temperature?: number;
  maxPicks?: number;
  seed?: number | string;
}

/**
 * A rule-based simulated user: picks actions by their utility under a hidden goal (with noise),
 * always at least the best one, and judges executions by the environment's check and what changed.
 */
export function simulatedUser(spec: SimulatedUserSpec, options: SimulatedUserOptions = {}): Person {
  const { threshold = 0.4, temperature = 0.08, maxPicks = 3 } = options;
  const rng = createRng(`${spec.id}:${options.seed ?? 0}`);
  return definePerson({
    id: spec.id,
    profile: spec.profile,
    async choose(view) {
      const scored = view.shown.map((action) => ({ action, utility: goalUtility(spec.goal, action) }));
      const picked = scored
        .filter(({ utility }) => rng.next() < 1 / (1 + Math.exp(-(utility - threshold) / temperature)))
        .sort((a, b) => b.utility - a.utility)
        .slice(0, maxPicks);
      if (picked.length === 0 && scored.length > 0) picked.push(scored.reduce((best, s) => (s.utility > best.utility ? s : best)));
      return { picked: picked.map((p) => p.action.position).sort((a, b) => a - b), custom: [] };
    },
    async judge(view) {
      if (!view.check.valid) return { verdict: 'not_applied', comment: view.check.reason };
      if (/^noted /.test(view.observation) || view.before === view.after) return { verdict: 'partly', comment: 'only noted' };
      return rng.next() < 0.1 ? { verdict: 'partly', comment: 'thinner than I hoped' } : { verdict: 'applied' };
    },
  });
}
