import { createRng } from '../core/rng.ts';
import type { FeatureVector } from './features.ts';
import { sigmoid } from './value-model.ts';

/** One training example: a step's features and its Monte Carlo value; `group` keeps a task's steps together, `parent` ties siblings. */
export interface Example {
  features: FeatureVector;
  target: number;
  group: string;
  parent: string;
}

export interface TrainOptions {
  dims: number;
  epochs?: number;
  learningRate?: number;
  /** L2 penalty per weight. */
  l2?: number;
  batchSize?: number;
  seed?: number;
}

/**
 * Logistic regression with soft targets: minimises the mean cross-entropy −[y log p + (1 − y) log(1 − p)],
 * p = σ(w·x), plus (l2/2)‖w‖², by Adam on shuffled minibatches. Gradients touch only the features an example has.
 */
export function trainLogistic(examples: readonly Example[], options: TrainOptions): Float64Array {
  const { dims } = options;
  const epochs = options.epochs ?? 30;
  const rate = options.learningRate ?? 0.05;
  const l2 = options.l2 ?? 1e-4;
  const batchSize = options.batchSize ?? 64;
  const rng = createRng(options.seed ?? 0);
  const w = new Float64Array(dims);
  const m = new Float64Array(dims);
  const v = new Float64Array(dims);
  const beta1 = 0.9;
  const beta2 = 0.999;
  let step = 0;
  const order = examples.map((_, i) => i);
  const gradient = new Map<number, number>();
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let start = 0; start < order.length; start += batchSize) {
      gradient.clear();
      const batch = order.slice(start, start + batchSize);
      for (const index of batch) {
        const { features, target } = examples[index];
        let z = 0;
        for (const [k, x] of features) z += w[k] * x;
        const error = sigmoid(z) - target;
        for (const [k, x] of features) gradient.set(k, (gradient.get(k) ?? 0) + (error * x) / batch.length);
      }
      step++;
      const c1 = 1 - beta1 ** step;
      const c2 = 1 - beta2 ** step;
      // Lazy Adam: only the weights this batch touched move, which keeps an epoch linear in the non-zero features.
      for (const [k, g0] of gradient) {
        const g = g0 + l2 * w[k];
        m[k] = beta1 * m[k] + (1 - beta1) * g;
        v[k] = beta2 * v[k] + (1 - beta2) * g * g;
        w[k] -= (rate * (m[k] / c1)) / (Math.sqrt(v[k] / c2) + 1e-8);
      }
    }
  }
  return w;
}

export function predictWith(weights: ArrayLike<number>, features: FeatureVector): number {
  let z = 0;
  for (const [k, x] of features) z += weights[k] * x;
  return sigmoid(z);
}

export interface Errors {
  mae: number | null;
  rmse: number | null;
}

export function errors(predicted: readonly number[], targets: readonly number[]): Errors {
  if (targets.length === 0) return { mae: null, rmse: null };
  let absolute = 0;
  let squared = 0;
  predicted.forEach((p, i) => {
    absolute += Math.abs(p - targets[i]);
    squared += (p - targets[i]) ** 2;
  });
  return { mae: absolute / targets.length, rmse: Math.sqrt(squared / targets.length) };
}

/** Share of sibling pairs (same parent, different targets) that the predictions order as the targets do. */
export function siblingOrder(examples: readonly Example[], predicted: readonly number[]): number | null {
  const byParent = new Map<string, number[]>();
  examples.forEach((e, i) => byParent.set(e.parent, [...(byParent.get(e.parent) ?? []), i]));
  let pairs = 0;
  let right = 0;
  for (const indices of byParent.values()) {
    for (let a = 0; a < indices.length; a++) {
      for (let b = a + 1; b < indices.length; b++) {
        const [i, j] = [indices[a], indices[b]];
        if (examples[i].target === examples[j].target) continue;
        pairs++;
        if (Math.sign(predicted[i] - predicted[j]) === Math.sign(examples[i].target - examples[j].target)) right++;
      }
    }
  }
  return pairs === 0 ? null : right / pairs;
}
