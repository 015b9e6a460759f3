import { hashString } from '../core/rng.ts';
import type { RunRecord } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { collectExamples } from './dataset.ts';
import { DENSE_FEATURES, FEATURES_VERSION } from './features.ts';
import { errors, predictWith, siblingOrder, trainLogistic, type Example } from './train.ts';
import { VALUE_MODEL_SCHEMA_VERSION, type ValueModelFile } from './value-model.ts';

export interface FitValueOptions {
  hashBits?: number;
  /** Include the environment's heuristic among the features (default true). */
  heuristicFeatures?: boolean;
  epochs?: number;
  /** Share of tasks held out for the error report (whole tasks, so no state leaks between the two). */
  heldOut?: number;
  unfinished?: 'failure' | 'ignore';
  seed?: number;
  onTask?: () => void;
}

/** Collects examples from the runs, holds out whole tasks, trains, and returns the model file with its measured errors. */
export async function fitValueModel(store: Store, runs: readonly RunRecord[], options: FitValueOptions = {}): Promise<ValueModelFile> {
  const hashBits = options.hashBits ?? 12;
  const epochs = options.epochs ?? 30;
  const unfinished = options.unfinished ?? 'failure';
  const features = { hashBits, heuristic: options.heuristicFeatures ?? true };
  const dataset = await collectExamples(store, runs, { features, unfinished, onTask: options.onTask });
  // Held-out tasks are picked by a hash of their id: the same runs give the same split.
  // A task searched in several runs is one task: its steps all fall on one side.
  const ranked = [...new Set(dataset.tasks)].sort((a, b) => hashString(a) - hashString(b) || a.localeCompare(b));
  const share = options.heldOut ?? 0.2;
  // Any positive share holds out at least one task (when there are two), so the report has a held-out error; 0 holds out none.
  const heldCount = ranked.length >= 2 && share > 0 ? Math.max(1, Math.round(ranked.length * share)) : 0;
  const held = new Set(ranked.slice(0, heldCount));
  const train: Example[] = dataset.examples.filter((e) => !held.has(e.group));
  const test: Example[] = dataset.examples.filter((e) => held.has(e.group));
  const dims = DENSE_FEATURES + (1 << hashBits);
  const weights = trainLogistic(train, { dims, epochs, seed: options.seed });
  const predictTest = test.map((e) => predictWith(weights, e.features));
  const mean = train.reduce((s, e) => s + e.target, 0) / Math.max(train.length, 1);
  const heldErrors = errors(predictTest, test.map((e) => e.target));
  const baseline = errors(test.map(() => mean), test.map((e) => e.target));
  const trainErrors = errors(train.map((e) => predictWith(weights, e.features)), train.map((e) => e.target));
  const nonZero: [number, number][] = [];
  weights.forEach((w, i) => {
    if (Math.abs(w) > 1e-9) nonZero.push([i, Number(w.toPrecision(6))]);
  });
  return {
    $schemaVersion: VALUE_MODEL_SCHEMA_VERSION,
    kind: 'stepwise.value-model',
    env: dataset.env,
    features: { version: FEATURES_VERSION, ...features },
    model: { type: 'logistic', weights: nonZero },
    training: {
      runs: runs.map((r) => r.id),
      trainedAt: new Date().toISOString(),
      unfinished,
      examples: train.length,
      tasks: ranked.length - held.size,
      epochs,
      trainMae: trainErrors.mae,
      heldOut: {
        examples: test.length,
        tasks: held.size,
        mae: heldErrors.mae,
        rmse: heldErrors.rmse,
        baselineMae: baseline.mae,
        baselineRmse: baseline.rmse,
        siblingOrder: siblingOrder(test, predictTest),
      },
    },
  };
}
