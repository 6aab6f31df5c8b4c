import { mergePages } from './mergePages';
import { fillGrid, isStrictlyIncreasing, overlaySorted, sliceSorted } from './sortedSeries';

const MIN = 60_000;
const series = (minutes: number[], value = (m: number) => m * 10) => ({
  timestamps: minutes.map((m) => m * MIN),
  values: minutes.map(value),
});

/** The plain definition: a map of time → value, the later argument winning, sorted. */
function reference(...layers: Array<{ timestamps: number[]; values: number[] }>) {
  const byTime = new Map<number, number>();
  layers.forEach((layer) => layer.timestamps.forEach((t, i) => byTime.set(t, layer.values[i])));
  const timestamps = [...byTime.keys()].sort((a, b) => a - b);
  return { timestamps, values: timestamps.map((t) => byTime.get(t)) };
}

describe('sorted series', () => {
  it('recognises strictly increasing numeric timestamps only', () => {
    expect(isStrictlyIncreasing([1, 2, 3])).toBe(true);
    expect(isStrictlyIncreasing([])).toBe(true);
    expect(isStrictlyIncreasing([1, 1])).toBe(false);
    expect(isStrictlyIncreasing([2, 1])).toBe(false);
    expect(isStrictlyIncreasing([1, NaN])).toBe(false);
    expect(isStrictlyIncreasing([new Date(1)])).toBe(false);
  });

  it('slices [start, end) and returns the very same arrays when nothing is cut', () => {
    const all = series([0, 1, 2, 3, 4]);
    expect(sliceSorted(all, 1 * MIN, 3 * MIN)).toEqual(series([1, 2]));
    expect(sliceSorted(all, 1.5 * MIN, 10 * MIN)).toEqual(series([2, 3, 4]));
    expect(sliceSorted(all, 10 * MIN, 20 * MIN)).toEqual(series([]));
    expect(sliceSorted(all, 3 * MIN, 1 * MIN)).toEqual(series([]));
    expect(sliceSorted(all, -MIN, 2 * MIN)).toEqual(series([0, 1])); // from the first point, not to the last
    expect(sliceSorted(all, -MIN, 5 * MIN).timestamps).toBe(all.timestamps);
    expect(sliceSorted(all, -MIN, 5 * MIN).values).toBe(all.values);
  });

  it('overlays like a time → value map with the top winning, in one pass', () => {
    const base = series([0, 2, 3, 5, 9]);
    const top = series([1, 2, 5, 6, 12], (m) => m * 100 + 1);
    expect(overlaySorted(base, top)).toEqual(reference(base, top));
    expect(overlaySorted(base, series([])).values).toBe(base.values);
    expect(overlaySorted(series([]), top).values).toBe(top.values);
  });

  it('fills missing grid buckets with zeros, keeps off-grid points, and changes nothing that is complete', () => {
    const gappy = series([1, 4]);
    const offGrid = { timestamps: [2.5 * MIN], values: [7] };
    const grid = series([0, 1, 2, 3, 4, 5], () => 0);
    expect(fillGrid(gappy, 0, 6 * MIN, MIN)).toEqual(reference(grid, gappy));
    expect(fillGrid(offGrid, 0, 6 * MIN, MIN)).toEqual(reference(grid, offGrid));
    const complete = series([0, 1, 2, 3, 4, 5]);
    expect(fillGrid(complete, 0, 6 * MIN, MIN).values).toBe(complete.values);
  });

  it('gives mergePages the same answer on its one-pass path as on its general one', () => {
    const page = series([0, 1, 3, 4, 7]);
    const options = { fillWithZeros: true, periodSeconds: 60, startTimeMs: 0, endTimeMs: 9 * MIN };
    const onePass = mergePages([{ Timestamps: page.timestamps, Values: page.values }], options);
    // Two pages take the general (map and sort) path.
    const general = mergePages(
      [
        { Timestamps: page.timestamps.slice(0, 2), Values: page.values.slice(0, 2) },
        { Timestamps: page.timestamps.slice(2), Values: page.values.slice(2) },
      ],
      options
    );
    expect(onePass).toEqual(general);
    const dates = mergePages([{ Timestamps: page.timestamps.map((t) => new Date(t)), Values: page.values }]);
    expect(dates).toEqual(page);
    const complete = series([0, 1, 2]);
    const kept = mergePages([{ Timestamps: complete.timestamps, Values: complete.values }], {
      ...options,
      endTimeMs: 3 * MIN,
    });
    expect(kept.timestamps).toBe(complete.timestamps);
  });
});
