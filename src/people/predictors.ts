import { contentWords } from '../envs/report/aspects.ts';
import type { PreferenceRecord } from '../feedback/records.ts';
import { actionFeatures, historyFeatures, pickRates, wordsOf, type PickRates } from './history-features.ts';
import { bestThreshold, fitLogistic, type LogisticModel } from './logistic.ts';
import type { PreferenceTurn } from './turns.ts';

/** What a predictor may know besides the turn: the user's earlier picks and their self-description. */
export interface PredictionContext {
  history(turn: PreferenceTurn): readonly PreferenceRecord[];
  profile(userId: string): string | null;
}

/**
 * Predicts which of the shown actions a user picks: a probability per action. `binary` predictors
 * (LLM judges) answer 0 or 1 and are not given a tuned cut.
 */
export interface SelectionPredictor {
  readonly name: string;
  readonly binary?: boolean;
  fit(training: readonly PreferenceTurn[], context: PredictionContext): void | Promise<void>;
  predict(turn: PreferenceTurn, context: PredictionContext): number[] | Promise<number[]>;
}

type Featurizer = (action: PreferenceRecord, turn: PreferenceTurn, context: PredictionContext, global: PickRates) => number[];

/** Logistic regression over a featurizer, fit on the training turns. */
function logisticPredictor(name: string, featurize: Featurizer): SelectionPredictor & { threshold(): number } {
  let model: LogisticModel | null = null;
  let global: PickRates = pickRates([]);
  let cut = 0.5;
  const rowsOf = (turn: PreferenceTurn, context: PredictionContext) => turn.actions.map((a) => featurize(a, turn, context, global));
  return {
    name,
    threshold: () => cut,
    fit(training, context) {
      global = pickRates(training.flatMap((t) => t.actions));
      const rows = training.flatMap((t) => rowsOf(t, context));
      const labels = training.flatMap((t) => t.actions.map((a) => a.picked));
      model = fitLogistic(rows, labels);
      cut = bestThreshold(rows.map((r) => model!.predict(r)), labels);
    },
    predict(turn, context) {
      if (!model) throw new Error(`predictor ${name} was not fit`);
      // Shift by the tuned cut so 0.5 is the decision boundary for every predictor.
      return rowsOf(turn, context).map((r) => shift(model!.predict(r), cut));
    },
  };
}

/** Maps p so that `cut` lands on 0.5, keeping order. */
function shift(p: number, cut: number): number {
  return p >= cut ? 0.5 + (0.5 * (p - cut)) / (1 - cut || 1) : (0.5 * p) / (cut || 1);
}

/** No user context: what users in general pick (action type, aspect, position). */
export function noContextPredictor(): SelectionPredictor {
  return logisticPredictor('no-context', (a) => actionFeatures(a));
}

/** The user's own description: action features plus whether the action shares a word with the profile. */
export function profilePredictor(): SelectionPredictor {
  return logisticPredictor('profile', (a, turn, context) => {
    const profile = contentWords(context.profile(turn.userId) ?? '');
    const words = wordsOf(a);
    const match = words.some((w) => profile.some((p) => p.slice(0, 5) === w.slice(0, 5)));
    return [...actionFeatures(a), match ? 1 : 0];
  });
}

/** The user's full selection history: action features plus their past pick rates by type, aspect and topic word. */
export function historyPredictor(): SelectionPredictor {
  return logisticPredictor('history', (a, turn, context, global) => [...actionFeatures(a), ...historyFeatures(a, pickRates(context.history(turn)), global)]);
}
