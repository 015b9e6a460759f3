/** A sparse row of a design matrix: feature indices and their values. */
export interface SparseRow {
  index: number[];
  value: number[];
}

export interface RidgeFit {
  weights: Float64Array;
  iterations: number;
  /** Root mean square of X·w − y. */
  rmsResidual: number;
}

/**
 * Ridge least squares, min_w ‖X w − y‖² + λ‖w‖², by conjugate gradient on the normal equations
 * (XᵀX + λI) w = Xᵀy. X is never formed densely: each iteration costs one pass over the sparse rows.
 */
export function ridgeLeastSquares(rows: readonly SparseRow[], y: readonly number[], dims: number, lambda: number, options: { tolerance?: number; maxIterations?: number } = {}): RidgeFit {
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? Math.max(50, 2 * dims);
  const times = (w: Float64Array): Float64Array => {
    const out = new Float64Array(rows.length);
    rows.forEach((row, r) => {
      let sum = 0;
      for (let k = 0; k < row.index.length; k++) sum += row.value[k] * w[row.index[k]];
      out[r] = sum;
    });
    return out;
  };
  const transposeTimes = (v: ArrayLike<number>): Float64Array => {
    const out = new Float64Array(dims);
    rows.forEach((row, r) => {
      for (let k = 0; k < row.index.length; k++) out[row.index[k]] += row.value[k] * v[r];
    });
    return out;
  };
  const normal = (w: Float64Array): Float64Array => {
    const out = transposeTimes(times(w));
    for (let i = 0; i < dims; i++) out[i] += lambda * w[i];
    return out;
  };
  const dot = (a: Float64Array, b: Float64Array) => {
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
    return sum;
  };

  const w = new Float64Array(dims);
  const r = transposeTimes(y);
  const p = Float64Array.from(r);
  let rr = dot(r, r);
  const stop = tolerance * Math.max(rr, 1e-300);
  let iterations = 0;
  while (iterations < maxIterations && rr > stop) {
    const Ap = normal(p);
    const alpha = rr / dot(p, Ap);
    for (let i = 0; i < dims; i++) {
      w[i] += alpha * p[i];
      r[i] -= alpha * Ap[i];
    }
    const next = dot(r, r);
    const beta = next / rr;
    for (let i = 0; i < dims; i++) p[i] = r[i] + beta * p[i];
    rr = next;
    iterations++;
  }
  const predicted = times(w);
  let squared = 0;
  for (let i = 0; i < y.length; i++) squared += (predicted[i] - y[i]) ** 2;
  return { weights: w, iterations, rmsResidual: y.length > 0 ? Math.sqrt(squared / y.length) : 0 };
}
