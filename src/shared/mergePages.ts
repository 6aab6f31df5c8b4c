/**
 * Merges the pages of a ListInsightsMetricData answer into one ordered series.
 * Pages may overlap (duplicate timestamps are dropped, first seen wins) and, with FillWithZeros,
 * a page may still omit buckets: those are filled with zeros so the series is gap-free.
 * The usual case, one page of epoch-ms timestamps already in order, is handled in one pass and
 * returns the page's own arrays when nothing is missing.
 */
import { fillGrid, isStrictlyIncreasing } from './sortedSeries';

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

/** The one page holding points, when its timestamps strictly increase. */
function singleOrderedPage(pages: MetricPage[]): MergedSeries | undefined {
  const nonEmpty = pages.filter((page) => (page.Timestamps?.length ?? 0) > 0 || (page.Values?.length ?? 0) > 0);
  if (nonEmpty.length === 0) {
    return { timestamps: [], values: [] };
  }
  const [page] = nonEmpty;
  const given = page.Timestamps ?? [];
  if (nonEmpty.length > 1 || given.length !== (page.Values ?? []).length) {
    return undefined;
  }
  const timestamps = given.some((t) => t instanceof Date) ? given.map(toMs) : given;
  return isStrictlyIncreasing(timestamps) ? { timestamps, values: page.Values! } : undefined;
}

export function mergePages(pages: MetricPage[], options: MergeOptions = {}): MergedSeries {
  const { fillWithZeros, periodSeconds, startTimeMs, endTimeMs } = options;
  const fill = fillWithZeros && periodSeconds && startTimeMs !== undefined && endTimeMs !== undefined;
  const ordered = singleOrderedPage(pages);
  if (ordered) {
    return fill ? fillGrid(ordered, startTimeMs, endTimeMs, periodSeconds * 1000) : ordered;
  }
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

  if (fill) {
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
