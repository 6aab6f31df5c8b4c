/**
 * Linear operations on series whose timestamps strictly increase (what the cache and a merged
 * answer hold): no per-point objects, no sorting, and the input arrays themselves come back
 * whenever nothing would change (in a new object: inputs may carry other fields), so an
 * unchanged answer stays the same arrays end to end. Callers must not mutate those arrays.
 */

export interface SortedSeries {
  /** Epoch ms, strictly increasing. */
  timestamps: number[];
  values: number[];
}

const arraysOf = ({ timestamps, values }: SortedSeries): SortedSeries => ({ timestamps, values });

export function isStrictlyIncreasing(timestamps: readonly unknown[]): timestamps is number[] {
  let previous = -Infinity;
  for (const t of timestamps) {
    if (typeof t !== 'number' || !(t > previous)) {
      return false;
    }
    previous = t;
  }
  return true;
}

/** The first index whose timestamp is at or after `t`. */
export function lowerBound(timestamps: readonly number[], t: number): number {
  let low = 0;
  let high = timestamps.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (timestamps[mid] < t) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

/** The points in [startMs, endMs); the same arrays when that is all of them. */
export function sliceSorted(series: SortedSeries, startMs: number, endMs: number): SortedSeries {
  const from = lowerBound(series.timestamps, startMs);
  const to = Math.max(from, lowerBound(series.timestamps, endMs));
  if (from === 0 && to === series.timestamps.length) {
    return arraysOf(series);
  }
  return { timestamps: series.timestamps.slice(from, to), values: series.values.slice(from, to) };
}

/** One point per timestamp of either, `top`'s value winning; the other one itself when one is empty. */
export function overlaySorted(base: SortedSeries, top: SortedSeries): SortedSeries {
  if (top.timestamps.length === 0) {
    return arraysOf(base);
  }
  if (base.timestamps.length === 0) {
    return arraysOf(top);
  }
  const timestamps: number[] = [];
  const values: number[] = [];
  let i = 0;
  let j = 0;
  while (i < base.timestamps.length || j < top.timestamps.length) {
    const b = i < base.timestamps.length ? base.timestamps[i] : Infinity;
    const t = j < top.timestamps.length ? top.timestamps[j] : Infinity;
    if (b < t) {
      timestamps.push(b);
      values.push(base.values[i++]);
    } else {
      timestamps.push(t);
      values.push(top.values[j++]);
      if (b === t) {
        i++;
      }
    }
  }
  return { timestamps, values };
}

/** Adds a 0 at every grid time start, start + step, … before end that has no point; the same arrays when none is missing. */
export function fillGrid(series: SortedSeries, startMs: number, endMs: number, stepMs: number): SortedSeries {
  const { timestamps } = series;
  let missing = 0;
  let j = 0;
  for (let t = startMs; t < endMs; t += stepMs) {
    while (j < timestamps.length && timestamps[j] < t) {
      j++;
    }
    if (timestamps[j] !== t) {
      missing++;
    }
  }
  if (missing === 0) {
    return arraysOf(series);
  }
  const grid: SortedSeries = { timestamps: [], values: [] };
  for (let t = startMs; t < endMs; t += stepMs) {
    grid.timestamps.push(t);
    grid.values.push(0);
  }
  return overlaySorted(grid, series);
}
