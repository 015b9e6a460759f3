import { z } from 'zod';
import { defineScorer, type ScorerEntry } from 'stepwise-agents';
import type { KvAction, KvState } from './kv-env.ts';

/** Values a step by how much of the target the store holds after it; deletes can be made to cost more. */
export const kvProgressScorer: ScorerEntry = {
  name: 'kv-progress',
  describe: 'share of the target the store holds after the step, minus a penalty for deletes',
  options: z.object({ deletePenalty: z.number().min(0).max(1).default(0) }).strict(),
  create: ({ deletePenalty }) =>
    defineScorer<KvState, KvAction>({
      name: 'kv-progress',
      local: true,
      config: { deletePenalty },
      async score(ctx, candidates) {
        return Promise.all(
          candidates.map(async (candidate) => {
            if (!candidate.action) return null;
            // The transition is computed once here and reused when the candidate is executed.
            const next = await ctx.lookahead(candidate);
            if (!next.check.valid) return 0;
            const progress = ctx.problem.heuristic?.(next.state) ?? 0;
            return Math.max(0, progress - (candidate.action.tool === 'delete' ? deletePenalty : 0));
          }),
        );
      },
    }),
};
