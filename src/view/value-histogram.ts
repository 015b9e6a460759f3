import type { TreeOutline } from '../store/store.ts';

const BINS = 20;

export interface ValueHistogram {
  min: number;
  max: number;
  /** 5th and 95th percentiles: the tree's colour scale. */
  low: number;
  high: number;
  counts: number[];
  unscored: number;
}

/** The distribution of step values in a tree (executed and unexecuted candidates), in BINS equal bins from min to max. */
export function valueHistogram(outline: TreeOutline): ValueHistogram {
  const values: number[] = [];
  let unscored = 0;
  for (const list of [outline.nodes, outline.unexecuted]) {
    for (const entry of list) {
      if (entry.value === null || !Number.isFinite(entry.value)) unscored++;
      else values.push(entry.value);
    }
  }
  if (values.length === 0) return { min: 0, max: 0, low: 0, high: 0, counts: [], unscored };
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const counts = new Array<number>(BINS).fill(0);
  const width = (max - min) / BINS || 1;
  for (const value of values) counts[Math.min(BINS - 1, Math.floor((value - min) / width))]++;
  // The 5th and 95th percentiles scale the tree's colours, so one outlier does not paint every node alike.
  const sorted = Float64Array.from(values).sort();
  const low = sorted[Math.floor(0.05 * (sorted.length - 1))];
  const high = sorted[Math.ceil(0.95 * (sorted.length - 1))];
  return { min, max, low, high, counts, unscored };
}
