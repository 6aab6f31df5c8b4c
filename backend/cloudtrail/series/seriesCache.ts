/**
 * A bounded-memory LRU of fetched buckets per series (a SeriesKey: proven account, region, event
 * source/name, insight type, error code, trail, period, data type).
 *
 * Why it is safe: a bucket whose period has ended no longer changes, so once fetched it is kept.
 * Only the newest bucket (the one containing the fetch time) is partial; it is trusted for a
 * freshness window of min(60 s, period) after the fetch and then refetched — and so are the
 * buckets that began after the fetch, empty as of it (see freshEnd). Alert evaluations use the
 * same window, so they never see data older than that.
 *
 * Each series keeps one contiguous covered range; a request outside it (or with a gap) replaces it.
 * Memory is bounded by the total number of points kept plus a per-entry overhead counted in points
 * (so empty series count too); least recently used series go first.
 */
import { HOUR_MS, retentionCutoff } from '../../../src/shared/retention';
import type { PeriodSeconds } from '../../../src/shared/queryModel';
import { isStrictlyIncreasing, lowerBound, overlaySorted, sliceSorted } from '../../../src/shared/sortedSeries';
import type { Keyed } from '../core/keys';
import type { CachedSeries, Range, SeriesPoints } from '../core/series';

interface Entry extends SeriesPoints, Range {
  periodMs: number;
  /** Buckets ending at or before this were complete when fetched. */
  completeUntilMs: number;
  /** When the newest (possibly partial) bucket was fetched. */
  fetchedAtMs: number;
  /** The last part of the entry served that was not all of it, so asking again copies nothing. */
  served?: { from: number; to: number; points: SeriesPoints };
}

const NO_POINTS: SeriesPoints = { timestamps: [], values: [] };
const servedLength = (entry: Entry) => (entry.served ? entry.served.to - entry.served.from : 0);

export type Lookup =
  /** `completeUntilMs`: buckets before it were complete when fetched (safe to zero-fill). */
  | { hit: true; points: SeriesPoints; completeUntilMs: number }
  /** `cached` holds the points outside `missing` that can be reused (complete before `completeUntilMs`). */
  | { hit: false; missing: Range; cached: SeriesPoints; partial: boolean; completeUntilMs: number };

export interface SeriesCacheOptions {
  /** Total cost kept across all series: points, plus ENTRY_OVERHEAD_POINTS per series. */
  maxPoints?: number;
  /** How long the newest partial bucket is trusted (capped by its period). */
  freshnessMs?: number;
}

export const DEFAULT_MAX_POINTS = 1_000_000;
export const DEFAULT_FRESHNESS_MS = 60_000;
/**
 * What one series costs beyond its points, in points (~16 bytes each): measured ~420 bytes of heap
 * per empty entry (key, entry object, empty arrays), rounded up. Without it, empty answers
 * (NonZeroData of a quiet series) would not count at all and could grow the heap without bound.
 */
export const ENTRY_OVERHEAD_POINTS = 32;

const costOf = (entry: SeriesPoints) => entry.timestamps.length + ENTRY_OVERHEAD_POINTS;

/**
 * The points of [range.startMs, range.endMs), leaving out those inside `exclude`. Cached points
 * strictly increase, so this cuts the arrays without visiting every point and returns the
 * entry's own arrays when the range holds all of them (see sortedSeries.ts).
 */
export function slice(points: SeriesPoints, range: Range, exclude?: Range): SeriesPoints {
  if (!isStrictlyIncreasing(points.timestamps)) {
    return sliceUnordered(points, range, exclude);
  }
  if (!exclude) {
    return sliceSorted(points, range.startMs, range.endMs);
  }
  const before = sliceSorted(points, range.startMs, Math.min(range.endMs, exclude.startMs));
  const after = sliceSorted(points, Math.max(range.startMs, exclude.endMs), range.endMs);
  if (after.timestamps.length === 0) {
    return before;
  }
  return before.timestamps.length === 0
    ? after
    : { timestamps: before.timestamps.concat(after.timestamps), values: before.values.concat(after.values) };
}

/** `base` with `top` laid over it: one point per timestamp (top's value wins), in time order. */
export function overlay(base: SeriesPoints, top: SeriesPoints): SeriesPoints {
  if (isStrictlyIncreasing(base.timestamps) && isStrictlyIncreasing(top.timestamps)) {
    return overlaySorted(base, top);
  }
  const byTime = new Map<number, number>();
  base.timestamps.forEach((t, i) => byTime.set(t, base.values[i]));
  top.timestamps.forEach((t, i) => byTime.set(t, top.values[i]));
  const timestamps = [...byTime.keys()].sort((a, b) => a - b);
  return { timestamps, values: timestamps.map((t) => byTime.get(t)!) };
}

/** slice() for points not in time order (never what the cache stores; kept correct anyway). */
function sliceUnordered(points: SeriesPoints, range: Range, exclude?: Range): SeriesPoints {
  const out: SeriesPoints = { timestamps: [], values: [] };
  points.timestamps.forEach((t, i) => {
    const inside = t >= range.startMs && t < range.endMs;
    const excluded = exclude !== undefined && t >= exclude.startMs && t < exclude.endMs;
    if (inside && !excluded) {
      out.timestamps.push(t);
      out.values.push(points.values[i]);
    }
  });
  return out;
}

export class SeriesCache {
  private readonly entries = new Map<string, Entry>();
  private points = 0;
  private cost = 0;
  readonly maxPoints: number;
  readonly freshnessMs: number;

  constructor(options: SeriesCacheOptions = {}) {
    this.maxPoints = options.maxPoints ?? DEFAULT_MAX_POINTS;
    this.freshnessMs = options.freshnessMs ?? DEFAULT_FRESHNESS_MS;
  }

  get totalPoints(): number {
    return this.points;
  }

  /** Points plus the per-entry overhead: what `maxPoints` bounds. */
  get totalCost(): number {
    return this.cost;
  }

  get size(): number {
    return this.entries.size;
  }

  /** What of [startMs, endMs) can be served now, and the one range to fetch otherwise. */
  lookup(series: Keyed, want: Range, nowMs: number): Lookup {
    const key = series.id;
    const entry = this.entries.get(key);
    const miss: Lookup = {
      hit: false,
      missing: want,
      cached: { timestamps: [], values: [] },
      partial: false,
      completeUntilMs: want.startMs,
    };
    if (!entry) {
      return miss;
    }
    // Touch for LRU order.
    this.entries.delete(key);
    this.entries.set(key, entry);

    const freshEnd = this.freshEnd(entry, nowMs);
    if (want.startMs >= entry.startMs && want.endMs <= freshEnd) {
      return { hit: true, points: this.served(entry, want), completeUntilMs: entry.completeUntilMs };
    }
    if (want.endMs <= entry.startMs || want.startMs >= freshEnd) {
      return miss;
    }
    // One call covers everything missing: the head before the entry and/or the tail after freshEnd.
    const missing: Range = {
      startMs: want.startMs < entry.startMs ? want.startMs : freshEnd,
      endMs: want.endMs > freshEnd ? want.endMs : entry.startMs,
    };
    return {
      hit: false,
      missing,
      cached: slice(entry, want, missing),
      partial: true,
      completeUntilMs: entry.completeUntilMs,
    };
  }

  /**
   * Where the entry stops answering at `nowMs`. While fresh: its end, or — when it reached its
   * fetch time — every bucket up to the window's end, since buckets that began after the fetch
   * held nothing as of it, and such an answer is no older than any fresh hit (a dashboard opened
   * just after a bucket boundary is served by the fetch made just before it). Once stale: the
   * buckets that had ended when it was fetched.
   */
  private freshEnd(entry: Entry, nowMs: number): number {
    const window = Math.min(this.freshnessMs, entry.periodMs);
    if (nowMs - entry.fetchedAtMs > window) {
      return Math.max(entry.startMs, entry.completeUntilMs);
    }
    if (entry.endMs < entry.fetchedAtMs) {
      return entry.endMs;
    }
    return Math.max(entry.endMs, Math.ceil((entry.fetchedAtMs + window) / entry.periodMs) * entry.periodMs);
  }

  /**
   * The entry's points in `want` (entries are in time order, see store): its own arrays when that
   * is all of them, else the same copy as last time when the same part is asked for again. The
   * copy kept counts toward maxPoints (and is not kept when the entry and it would not fit).
   */
  private served(entry: Entry, want: Range): SeriesPoints {
    const from = lowerBound(entry.timestamps, want.startMs);
    const to = Math.max(from, lowerBound(entry.timestamps, want.endMs));
    if (from === 0 && to === entry.timestamps.length) {
      return { timestamps: entry.timestamps, values: entry.values };
    }
    if (entry.served?.from !== from || entry.served.to !== to) {
      const copy = { timestamps: entry.timestamps.slice(from, to), values: entry.values.slice(from, to) };
      if (costOf(entry) + copy.timestamps.length > this.maxPoints) {
        return copy;
      }
      const grown = to - from - servedLength(entry);
      this.points += grown;
      this.cost += grown;
      entry.served = { from, to, points: copy };
      this.evictOverBound();
      return copy;
    }
    return entry.served.points;
  }

  /** Records the points fetched for `range` at `fetchedAtMs` (epoch ms, same clock as lookups). */
  store(series: Keyed, period: PeriodSeconds, range: Range, fetchedAtMs: number, given: SeriesPoints): void {
    const key = series.id;
    // Entries are kept in time order with one point per time, whatever the source handed over.
    const fetched = isStrictlyIncreasing(given.timestamps) ? given : overlay(NO_POINTS, given);
    const periodMs = period * 1000;
    const completeUntil = Math.min(range.endMs, Math.floor(fetchedAtMs / periodMs) * periodMs);
    const old = this.entries.get(key);
    let next: Entry;
    const joins = old && range.startMs <= old.endMs && range.endMs >= old.startMs;
    if (old && joins) {
      const tail = range.endMs >= old.endMs;
      next = {
        periodMs,
        startMs: Math.min(old.startMs, range.startMs),
        endMs: Math.max(old.endMs, range.endMs),
        completeUntilMs: tail ? Math.max(old.completeUntilMs, completeUntil) : old.completeUntilMs,
        fetchedAtMs: tail ? fetchedAtMs : old.fetchedAtMs,
        ...overlay(slice(old, old, range), fetched),
      };
    } else {
      next = { periodMs, ...range, completeUntilMs: completeUntil, fetchedAtMs, ...slice(fetched, range) };
    }
    // Nothing older than the period's retention can be asked for again (an hour of slack keeps
    // the start a planner computed a little earlier inside the entry).
    const oldest = retentionCutoff(period, fetchedAtMs) - HOUR_MS;
    if (next.startMs < oldest) {
      next = { ...next, ...slice(next, { startMs: oldest, endMs: next.endMs }), startMs: oldest };
    }
    this.remove(key);
    if (costOf(next) > this.maxPoints) {
      return;
    }
    this.entries.set(key, next);
    this.points += next.timestamps.length;
    this.cost += costOf(next);
    this.evictOverBound();
  }

  /** Drops least recently used entries until what is kept fits maxPoints. */
  private evictOverBound(): void {
    for (const [victim] of this.entries) {
      if (this.cost <= this.maxPoints) {
        break;
      }
      this.remove(victim);
    }
  }

  /** The series' entry as kept (to share it with other replicas); does not touch its LRU place. */
  peek(series: Keyed): CachedSeries | undefined {
    const entry = this.entries.get(series.id);
    return (
      entry && {
        period: (entry.periodMs / 1000) as PeriodSeconds,
        range: { startMs: entry.startMs, endMs: entry.endMs },
        fetchedAtMs: entry.fetchedAtMs,
        points: { timestamps: entry.timestamps, values: entry.values },
      }
    );
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (entry) {
      const kept = servedLength(entry);
      this.points -= entry.timestamps.length + kept;
      this.cost -= costOf(entry) + kept;
      this.entries.delete(key);
    }
  }
}
