import { UsageError } from '../core/errors.ts';
import { defineScorer, type Scorer } from '../core/step.ts';

/** Scores a candidate by the environment's heuristic on the state it leads to (0 for an invalid step); no score where steps have side effects. */
export function heuristicScorer<S, A>(): Scorer<S, A> {
  return defineScorer<S, A>({
    name: 'heuristic',
    local: true,
    async score(ctx, candidates) {
      const heuristic = ctx.problem.heuristic;
      if (!heuristic) {
        throw new UsageError(`environment ${ctx.env.name} has no heuristic`, {
          hint: 'drop the heuristic scorer (--scorer none) or use a model judge',
        });
      }
      // Looking ahead would act on the world: a stateful step's outcome is unknown before it runs, so no opinion.
      if (ctx.problem.sideEffects) return candidates.map(() => null);
      const transitions = await Promise.all(candidates.map((c) => ctx.lookahead(c)));
      return transitions.map((t) => (!t.check.valid ? 0 : t.success ? 1 : heuristic.call(ctx.problem, t.state)));
    },
  });
}
