import { createRng } from '../core/rng.ts';

/** A proportion with a confidence interval. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

const Z95 = 1.959963984540054;

/** Wilson score interval for `successes` out of `trials` (95% by default); [0, 1] with no trials. */
export function wilsonInterval(successes: number, trials: number, z = Z95): Interval {
  if (trials === 0) return { estimate: 0, low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { estimate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** C(n, k) as a float (exact for the small n of eval epochs). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) result = (result * (n - Math.min(k, n - k) + i)) / i;
  return result;
}

/** Unbiased pass@k from n samples with c correct (Chen et al. 2021): 1 − C(n−c, k) / C(n, k). */
export function passAtK(n: number, c: number, k: number): number {
  if (k < 1 || k > n) throw new RangeError(`pass@${k} needs 1 <= k <= n (n = ${n})`);
  if (n - c < k) return 1;
  // The product form avoids huge binomials: C(n−c, k) / C(n, k) = Π_{i=n−c+1}^{n} (1 − k / i).
  let fail = 1;
  for (let i = n - c + 1; i <= n; i++) fail *= 1 - k / i;
  return 1 - fail;
}

export type Reducer = 'mean' | 'max' | 'majority' | `pass@${number}`;

/** Reduces one task's per-epoch scores (0/1 or in [0, 1]) to one value. Majority: more than half the epochs succeed (a tie fails). */
export function reduceEpochs(values: readonly number[], reducer: Reducer): number {
  if (values.length === 0) return 0;
  if (reducer === 'mean') return mean(values);
  if (reducer === 'max') return Math.max(...values);
  if (reducer === 'majority') return values.filter((v) => v >= 1).length * 2 > values.length ? 1 : 0;
  const k = Number(reducer.slice(5));
  return passAtK(values.length, values.filter((v) => v >= 1).length, k);
}

/** Percentile bootstrap interval of the mean of paired differences, resampling tasks (seeded). */
export function bootstrapMeanInterval(differences: readonly number[], options: { resamples?: number; seed?: number; level?: number } = {}): Interval {
  const n = differences.length;
  const estimate = n === 0 ? 0 : mean(differences);
  if (n === 0) return { estimate, low: 0, high: 0 };
  const resamples = options.resamples ?? 2000;
  const rng = createRng(options.seed ?? 0);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += differences[rng.int(n)];
    means[r] = sum / n;
  }
  means.sort();
  const alpha = (1 - (options.level ?? 0.95)) / 2;
  const at = (q: number) => means[Math.min(resamples - 1, Math.max(0, Math.floor(q * resamples)))];
  return { estimate, low: at(alpha), high: at(1 - alpha) };
}

/**
 * Two-sided paired sign-flip permutation test of mean difference 0: under the null each task's
 * difference is as likely negated. Exact (all 2^m flips of the m non-zero differences) for m ≤ 20,
 * otherwise seeded Monte Carlo. With 0/1 outcomes it is the exact McNemar (sign) test.
 */
export function pairedPermutationTest(differences: readonly number[], options: { samples?: number; seed?: number } = {}): { pValue: number; exact: boolean } {
  const nonZero = differences.filter((d) => d !== 0);
  const m = nonZero.length;
  if (m === 0) return { pValue: 1, exact: true };
  const observed = Math.abs(nonZero.reduce((a, b) => a + b, 0));
  const tolerance = 1e-9 * Math.max(1, observed);
  if (m <= 20) {
    let extreme = 0;
    const total = 2 ** m;
    for (let mask = 0; mask < total; mask++) {
      let sum = 0;
      for (let i = 0; i < m; i++) sum += mask & (1 << i) ? -nonZero[i] : nonZero[i];
      if (Math.abs(sum) >= observed - tolerance) extreme++;
    }
    return { pValue: extreme / total, exact: true };
  }
  const samples = options.samples ?? 20000;
  const rng = createRng(options.seed ?? 0);
  let extreme = 0;
  for (let s = 0; s < samples; s++) {
    let sum = 0;
    for (const d of nonZero) sum += rng.next() < 0.5 ? -d : d;
    if (Math.abs(sum) >= observed - tolerance) extreme++;
  }
  // The +1s count the observed assignment, so a Monte Carlo p-value is never 0.
  return { pValue: (extreme + 1) / (samples + 1), exact: false };
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}
