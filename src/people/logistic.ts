/** Binary logistic regression by full-batch gradient descent with L2, for small feature sets. */
export interface LogisticModel {
  weights: number[];
  predict(features: readonly number[]): number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function fitLogistic(rows: readonly (readonly number[])[], labels: readonly boolean[], options: { epochs?: number; rate?: number; l2?: number } = {}): LogisticModel {
  const { epochs = 600, rate = 0.5, l2 = 0.01 } = options;
  const width = rows[0]?.length ?? 0;
  const weights = new Array<number>(width + 1).fill(0);
  const n = rows.length;
  for (let epoch = 0; epoch < epochs && n > 0; epoch++) {
    const gradient = new Array<number>(width + 1).fill(0);
    for (let i = 0; i < n; i++) {
      const row = rows[i];
      let z = weights[width];
      for (let j = 0; j < width; j++) z += weights[j] * row[j];
      const error = sigmoid(z) - (labels[i] ? 1 : 0);
      for (let j = 0; j < width; j++) gradient[j] += error * row[j];
      gradient[width] += error;
    }
    for (let j = 0; j < width; j++) weights[j] -= rate * (gradient[j] / n + l2 * weights[j]);
    weights[width] -= rate * (gradient[width] / n);
  }
  return {
    weights,
    predict(features) {
      let z = weights[width];
      for (let j = 0; j < width; j++) z += weights[j] * features[j];
      return sigmoid(z);
    },
  };
}

/** The probability cut that maximises F1 on the given predictions (ties: the lower cut). */
export function bestThreshold(probabilities: readonly number[], labels: readonly boolean[]): number {
  let best = { threshold: 0.5, f1: -1 };
  for (let t = 0.05; t < 0.96; t += 0.05) {
    const f1 = binaryMetrics(probabilities.map((p) => p >= t), labels).f1;
    if (f1 > best.f1 + 1e-12) best = { threshold: Number(t.toFixed(2)), f1 };
  }
  return best.threshold;
}

export interface BinaryMetrics {
  n: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
}

export function binaryMetrics(predicted: readonly boolean[], labels: readonly boolean[]): BinaryMetrics {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  predicted.forEach((p, i) => {
    if (p && labels[i]) tp++;
    else if (p) fp++;
    else if (labels[i]) fn++;
    else tn++;
  });
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return { n: predicted.length, accuracy: predicted.length ? (tp + tn) / predicted.length : 0, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}
