import { UsageError } from '../core/errors.ts';
import { defineScorer, type Scorer } from '../core/step.ts';
import { stepFeatures } from '../learn/features.ts';
import { loadValueModel, type ValueModel } from '../learn/value-model.ts';

/**
 * Scores a candidate by a value model `stepwise train-value` fitted: its predicted Monte Carlo value of the step.
 * An invalid step scores 0 and a step that reaches the goal 1. MCTS reads the score as the leaf's value, and
 * with `--prior value` as the prior of the edge.
 */
export function learnedScorer<S, A>(modelOrPath: ValueModel | string): Scorer<S, A> {
  const model = typeof modelOrPath === 'string' ? loadValueModel(modelOrPath) : modelOrPath;
  return defineScorer<S, A>({
    name: 'learned',
    local: true,
    config: { env: model.file.env, trainedAt: model.file.training.trainedAt, runs: model.file.training.runs, heldOutMae: model.file.training.heldOut.mae },
    async score(ctx, candidates) {
      if (ctx.env.name !== model.file.env) {
        throw new UsageError(`the value model was trained on ${model.file.env} runs and cannot score ${ctx.env.name} steps`, { hint: `train one on ${ctx.env.name} runs with \`stepwise train-value\`` });
      }
      // The model reads the next state, which a side-effecting step only has once it runs: no opinion.
      if (ctx.problem.sideEffects) return candidates.map(() => null);
      const transitions = await Promise.all(candidates.map((c) => ctx.lookahead(c)));
      return transitions.map((t, i) => {
        if (!t.check.valid) return 0;
        if (t.success) return 1;
        return model.predict(stepFeatures({ env: ctx.env, problem: ctx.problem, state: ctx.state, action: candidates[i].action as A, next: t.state, check: t.check, success: t.success, depth: ctx.depth }, model.features));
      });
    },
  });
}
