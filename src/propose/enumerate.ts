import { UsageError } from '../core/errors.ts';
import { defineProposer, type Proposer } from '../core/step.ts';

/**
 * Proposes the environment's legal actions: all of them when the strategy asks for at least as
 * many as there are (so exhaustive search can prove a task unsolvable), else a seeded sample of k.
 */
export function enumerateProposer<S, A>(): Proposer<S, A> {
  return defineProposer<S, A>({
    name: 'enumerate',
    local: true,
    async propose(ctx) {
      if (!ctx.problem.legalActions) {
        throw new UsageError(`environment ${ctx.env.name} cannot enumerate its actions`, {
          hint: 'use a model proposer (--model) or a scripted proposer with this environment',
        });
      }
      const actions = await ctx.problem.legalActions(ctx.state);
      const chosen = ctx.k >= actions.length ? actions : ctx.rng.shuffle([...actions]).slice(0, ctx.k);
      return {
        candidates: chosen.map((action) => ({ action, text: ctx.env.formatAction(action), proposer: 'enumerate' })),
        complete: chosen.length === actions.length,
      };
    },
  });
}
