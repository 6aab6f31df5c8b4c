/**
 * Merges the pages of a ListInsightsMetricData answer into one ordered series.
 * Pages may overlap (duplicate timestamps are dropped, first seen wins) and, with FillWithZeros,
 * a page may still omit buckets: those are filled with zeros so the series is gap-free.
 */

export interface MetricPage {
  /** Epoch milliseconds or Dates, as the SDK returns them. */
  Timestamps?: Array<Date | number>;
  Values?: number[];
}

export interface MergedSeries {
  /** Epoch ms, strictly increasing. */
  timestamps: number[];
  values: number[];
}

export interface MergeOptions {
  /** Fill every missing bucket of [startTimeMs, endTimeMs) with 0. */
  fillWithZeros?: boolean;
  periodSeconds?: number;
  startTimeMs?: number;
  endTimeMs?: number;
}

const toMs = (t: Date | number) => (t instanceof Date ? t.getTime() : t);

export function mergePages(pages: MetricPage[], options: MergeOptions = {}): MergedSeries {
  const byTime = new Map<number, number>();
  for (const page of pages) {
    const timestamps = page.Timestamps ?? [];
    const values = page.Values ?? [];
    if (timestamps.length !== values.length) {
      throw new Error(`A page has ${timestamps.length} timestamps but ${values.length} values.`);
    }
    timestamps.forEach((t, i) => {
      const ms = toMs(t);
      if (!byTime.has(ms)) {
        byTime.set(ms, values[i]);
      }
    });
  }

  const { fillWithZeros, periodSeconds, startTimeMs, endTimeMs } = options;
  if (fillWithZeros && periodSeconds && startTimeMs !== undefined && endTimeMs !== undefined) {
    const stepMs = periodSeconds * 1000;
    for (let t = startTimeMs; t < endTimeMs; t += stepMs) {
      if (!byTime.has(t)) {
        byTime.set(t, 0);
      }
    }
  }

  const timestamps = [...byTime.keys()].sort((a, b) => a - b);
  return { timestamps, values: timestamps.map((t) => byTime.get(t)!) };
}
