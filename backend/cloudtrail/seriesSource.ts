/**
 * Serves one series for one planned range: from the bucket cache when it can, otherwise by one
 * fetch of the missing range. Requests for the same series coalesce: while a fetch is still
 * waiting for its quota slot, joiners widen its range, so N panels and alert rules asking for the
 * same series cost one call; joiners who arrive after it was sent wait for it and reuse it.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { QueryError } from '../sdk/types';
import type { PeriodSeconds } from '../../src/shared/queryModel';
import { retentionCutoff } from '../../src/shared/retention';
import type { CallScope } from './awsCall';
import type { Keyed } from './keys';
import { cacheLookups, coalescedRequests } from './metrics';
import { SeriesCache, overlay, slice, type Range, type SeriesPoints } from './seriesCache';
import { fetchAllPages, type FetchOptions, type FetchStats, type MetricParams } from './seriesFetcher';
import { abortableSleep } from './sleep';

export interface SeriesRequest {
  /** The series' identity (a SeriesKey): cache entry and coalescing share it. */
  key: Keyed;
  client: CloudTrailClient;
  scope: CallScope;
  params: MetricParams;
  period: PeriodSeconds;
  range: Range;
}

export interface QueryBudget {
  signal?: AbortSignal;
  deadlineMs: number;
}

export interface SeriesResult extends SeriesPoints {
  /** The ranges actually requested from AWS for this answer (empty when served from cache). */
  fetchedRanges: Range[];
  source: 'cache' | 'partial' | 'fetched' | 'coalesced';
  /** Buckets starting before this had ended when their data was read: a missing one is a zero. */
  completeUntilMs: number;
}

interface Pending {
  want: Range;
  sent: boolean;
  deadlineMs: number;
  /** `range` is what the answer covers; `sent` what was asked of AWS (after the retention clamp). */
  promise: Promise<{ range: Range; sent: Range; points: SeriesPoints; completeUntilMs: number }>;
}

/** Margin for time spent queueing and for clock skew with the service. */
export const RETENTION_SAFETY_MS = 15_000;

/**
 * The planner aligned the start to the retention cutoff at plan time; by the time the call leaves
 * (possibly seconds later, queued at 1 TPS) the cutoff has moved, and a start older than it is an
 * InvalidParameterException. Trim the start to the first bucket safely inside retention.
 */
export function clampToRetention(range: Range, period: PeriodSeconds, nowMs: number): Range {
  const periodMs = period * 1000;
  const oldest = Math.ceil(retentionCutoff(period, nowMs + RETENTION_SAFETY_MS) / periodMs) * periodMs;
  if (range.startMs >= oldest) {
    return range;
  }
  return { startMs: Math.min(oldest, range.endMs - periodMs), endMs: range.endMs };
}

const covers = (outer: Range, inner: Range) => outer.startMs <= inner.startMs && outer.endMs >= inner.endMs;

/** The cached points of `range` with the fetched ones (which may cover more) laid over them. */
const combine = (fetched: SeriesPoints, cached: SeriesPoints, range: Range) => overlay(cached, slice(fetched, range));

export const SHARED_WAIT_GRACE_MS = 100;

/** Waits for `promise`, but gives up for this query alone on its abort or deadline. */
async function withinBudget<T>(promise: Promise<T>, budget: QueryBudget): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    // A moment after the deadline, so the fetch's own (more precise) timeout error wins the race.
    timer = setTimeout(
      () =>
        reject(
          new QueryError(
            'The query reached its deadline while waiting for CloudTrail data shared with other queries.',
            'plugin',
            504
          )
        ),
      Math.max(0, budget.deadlineMs + SHARED_WAIT_GRACE_MS - Date.now())
    );
    onAbort = () => reject(new QueryError('The query was cancelled or ran out of time.', 'plugin', 504));
    if (budget.signal?.aborted) {
      onAbort();
    }
    budget.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, stop]);
  } finally {
    clearTimeout(timer);
    budget.signal?.removeEventListener('abort', onAbort!);
    stop.catch(() => undefined);
  }
}

export interface SeriesSourceOptions extends Omit<FetchOptions, 'stats'> {
  /**
   * A new fetch waits this long before taking its quota slot, so the other panels and alert rules
   * of the same burst (arriving within milliseconds) join it and widen its range instead of
   * costing a second call.
   */
  gatherMs?: number;
  now?: () => number;
}

export const DEFAULT_GATHER_MS = 20;

export class SeriesSource {
  private readonly inflight = new Map<string, Pending>();
  private readonly now: () => number;
  private readonly gatherMs: number;

  constructor(
    readonly cache: SeriesCache,
    private readonly fetchOptions: SeriesSourceOptions = {}
  ) {
    this.now = fetchOptions.now ?? Date.now;
    this.gatherMs = fetchOptions.gatherMs ?? DEFAULT_GATHER_MS;
  }

  async get(request: SeriesRequest, budget: QueryBudget, stats: FetchStats): Promise<SeriesResult> {
    const { key, range } = request;
    for (let round = 0; ; round++) {
      const look = this.cache.lookup(key, range, this.now());
      if (look.hit) {
        cacheLookups.inc({ result: 'hit' });
        return {
          ...look.points,
          fetchedRanges: [],
          source: round === 0 ? 'cache' : 'coalesced',
          completeUntilMs: look.completeUntilMs,
        };
      }
      const pending = this.inflight.get(key.id);
      if (pending && round < 3) {
        coalescedRequests.inc();
        if (!pending.sent) {
          pending.want = {
            startMs: Math.min(pending.want.startMs, look.missing.startMs),
            endMs: Math.max(pending.want.endMs, look.missing.endMs),
          };
        }
        pending.deadlineMs = Math.max(pending.deadlineMs, budget.deadlineMs);
        const shared = await withinBudget(pending.promise, budget);
        if (covers(shared.range, look.missing)) {
          return {
            ...combine(shared.points, look.cached, range),
            fetchedRanges: [],
            source: 'coalesced',
            completeUntilMs: shared.completeUntilMs,
          };
        }
        continue; // It was sent before we joined and lacks our range: look again.
      }
      cacheLookups.inc({ result: look.partial ? 'partial' : 'miss' });
      const fetched = await withinBudget(this.startFetch(request, look.missing, budget, stats), budget);
      return {
        ...combine(fetched.points, look.cached, range),
        fetchedRanges: [fetched.sent],
        source: look.partial ? 'partial' : 'fetched',
        completeUntilMs: fetched.completeUntilMs,
      };
    }
  }

  private startFetch(request: SeriesRequest, missing: Range, budget: QueryBudget, stats: FetchStats) {
    const pending: Pending = { want: missing, sent: false, deadlineMs: budget.deadlineMs, promise: undefined! };
    let fetchedAtMs = 0;
    let asked: Range = missing;
    pending.promise = abortableSleep(this.gatherMs)
      .then(() =>
        fetchAllPages(
          request.client,
          request.scope,
          request.params,
          () => {
            // Read when the first page is sent, so joiners could widen the range until then.
            pending.sent = true;
            fetchedAtMs = this.now();
            asked = pending.want;
            return clampToRetention(asked, request.period, fetchedAtMs);
          },
          // The shared call lives as long as its latest participant; each query still stops at its own deadline.
          { deadlineMs: () => pending.deadlineMs },
          { ...this.fetchOptions, stats }
        )
      )
      .then((result) => {
        // Buckets trimmed by the retention clamp no longer exist: the asked range is fully known.
        const known = { startMs: Math.min(asked.startMs, result.range.startMs), endMs: result.range.endMs };
        this.cache.store(request.key, request.period, known, fetchedAtMs, result.points);
        const periodMs = request.period * 1000;
        return {
          range: known,
          sent: result.range,
          points: result.points,
          completeUntilMs: Math.floor(fetchedAtMs / periodMs) * periodMs,
        };
      })
      .finally(() => {
        if (this.inflight.get(request.key.id) === pending) {
          this.inflight.delete(request.key.id);
        }
      });
    // Joiners that gave up must not leave an unhandled rejection behind.
    pending.promise.catch(() => undefined);
    this.inflight.set(request.key.id, pending);
    return pending.promise;
  }
}
