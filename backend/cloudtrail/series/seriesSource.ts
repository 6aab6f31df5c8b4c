/**
 * Serves one series for one planned range: from the bucket cache when it can, otherwise by one
 * fetch of the missing range. Requests for the same series coalesce: while a fetch is still
 * waiting for its quota slot, joiners widen its range, so N panels and alert rules asking for the
 * same series cost one call; joiners who arrive after it was sent wait for it and reuse it.
 *
 * A fetch is a JoinedCall: it is cancelled when its last query is (no call if its turn had not
 * come) and takes the priority of the most urgent query waiting. When a dashboard query's deadline
 * comes first (a cold dashboard of more series than the quota serves in time), that query answers
 * with what is cached plus `loading` (the queryRunner turns that into a notice), and the fetch goes
 * on in the background within the quota, so a refresh finds it done. Alert queries never get such
 * a partial answer: the data or a clear error. Background fetches are bounded in number and
 * dropped when nobody asks for their series again in time.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { QueryError } from '../../sdk/types';
import type { PeriodSeconds } from '../../../src/shared/queryModel';
import { retentionCutoff } from '../../../src/shared/retention';
import type { CallBudget, CallScope, CallPriority } from '../core/calls';
import { noBucketStore, noFetchLock } from '../coordination/localCoordination';
import { ReplicatedSeries } from './replicatedSeries';
import type { Coordination } from '../coordination/types';
import type { Keyed } from '../core/keys';
import { cacheLookups, coalescedRequests } from '../core/metrics';
import type { MetricParams, Range, SeriesPoints } from '../core/series';
import { SeriesCache, overlay, slice, type Lookup } from './seriesCache';
import { OPERATION, fetchAllPages, type FetchOptions, type FetchStats } from './seriesFetcher';
import { DeadlineExceededError, STATUS, stoppedError } from '../core/errors';
import { LATE, JoinedCall } from '../pacing/joinedCall';
import { abortableSleep } from '../core/sleep';
import { toQueryError } from '../aws/awsFailures';
import { AttemptTimeoutError } from '../aws/retry';
import type { AnswerSource } from './answerSource';

export interface SeriesRequest {
  /** The series' identity (a SeriesKey): cache entry and coalescing share it. */
  key: Keyed;
  client: CloudTrailClient;
  /**
   * Aborted when the data source instance that owns `client` is disposed (its settings or secrets
   * changed, or it was deleted): whoever keeps the client for later (the refresher) lets it go.
   */
  lifetime?: AbortSignal;
  scope: CallScope;
  params: MetricParams;
  period: PeriodSeconds;
  range: Range;
}

export interface QueryBudget {
  signal?: AbortSignal;
  deadlineMs: number;
  /** Default interactive; `alert` for alert rule evaluations (never answered partially). */
  priority?: CallPriority;
  /**
   * Cached data that stops being fresh within this long counts as stale already (ms, default 0):
   * the background refresher renews entries before they expire, so that no request finds them stale.
   */
  renewWithinMs?: number;
}

export interface SeriesResult extends SeriesPoints {
  /** The ranges actually requested from AWS for this answer (empty when served from cache). */
  fetchedRanges: Range[];
  /** Where it came from (answerSource.ts says what each means). */
  source: AnswerSource;
  /** Buckets starting before this had ended when their data was read: a missing one is a zero. */
  completeUntilMs: number;
  /** Set when `missing` is not in the answer: its fetch is expected at `readyAtMs`, or was not queued. */
  loading?: StillLoading;
}

export interface StillLoading {
  missing: Range;
  readyAtMs: number;
  queued: boolean;
}

interface Fetched {
  /** What the answer covers; `sent` what was asked of AWS (after the retention clamp), if anything. */
  range: Range;
  sent?: Range;
  points: SeriesPoints;
  completeUntilMs: number;
}

interface Pending {
  want: Range;
  sent: boolean;
  call: JoinedCall<Fetched>;
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

/** A fetch whose queries gave up is kept this long after its expected turn for them to ask again. */
export const BACKGROUND_KEEP_MS = 60_000;
/** Fetches nobody waits for any more, at most (all quotas together): bounds background work. */
export const DEFAULT_MAX_BACKGROUND_FETCHES = 500;

export interface SeriesSourceOptions extends Omit<FetchOptions, 'stats'> {
  /**
   * A new fetch waits this long before taking its quota slot, so the other panels and alert rules
   * of the same burst (arriving within milliseconds) join it and widen its range instead of
   * costing a second call.
   */
  gatherMs?: number;
  /** How long after its expected turn a fetch whose queries gave up waits for them to ask again. */
  backgroundKeepMs?: number;
  maxBackgroundFetches?: number;
  /** The cache and fetch locks shared with other replicas (Redis); default none (in-process only). */
  coordination?: Pick<Coordination, 'buckets' | 'locks'>;
  now?: () => number;
}

const inProcess = { buckets: noBucketStore, locks: noFetchLock };

export const DEFAULT_GATHER_MS = 20;

/** Joins of a fetch already in flight before a query fetches on its own (see get()). */
const MAX_JOINS = 3;

type Miss = Extract<Lookup, { hit: false }>;

const cancelled = () => stoppedError('The query');

export class SeriesSource {
  private readonly inflight = new Map<string, Pending>();
  private readonly now: () => number;
  private readonly gatherMs: number;
  private readonly maxBackground: number;
  private readonly keepMs: number;

  private readonly replicated: ReplicatedSeries;

  constructor(
    readonly cache: SeriesCache,
    private readonly fetchOptions: SeriesSourceOptions
  ) {
    this.now = fetchOptions.now ?? Date.now;
    this.replicated = new ReplicatedSeries(fetchOptions.coordination ?? inProcess, cache, this.now);
    this.gatherMs = fetchOptions.gatherMs ?? DEFAULT_GATHER_MS;
    this.maxBackground = fetchOptions.maxBackgroundFetches ?? DEFAULT_MAX_BACKGROUND_FETCHES;
    this.keepMs = fetchOptions.backgroundKeepMs ?? BACKGROUND_KEEP_MS;
  }

  /** Fetches in progress or queued, and how many of them nobody waits for (background work). */
  get fetches(): { total: number; background: number } {
    const all = [...this.inflight.values()];
    return { total: all.length, background: all.filter((p) => !p.call.waiting).length };
  }

  /**
   * The series over `request.range`: from the cache when it answers; otherwise by joining the fetch
   * of this series already in flight (widening its range while it is unsent), or by a fetch of its
   * own for the missing part. A joined fetch sent before this query joined may lack its range; then
   * it looks again, and after MAX_JOINS joins it fetches on its own.
   */
  async get(request: SeriesRequest, budget: QueryBudget, stats: FetchStats): Promise<SeriesResult> {
    const { key, range } = request;
    const aheadMs = budget.renewWithinMs ?? 0;
    const startedMs = this.now();
    for (let joins = 0; ; joins++) {
      const look = this.cache.lookup(key, range, this.now() + aheadMs);
      if (look.hit) {
        cacheLookups.inc({ result: 'hit' });
        return {
          ...look.points,
          fetchedRanges: [],
          source: joins === 0 ? 'cache' : 'coalesced',
          completeUntilMs: look.completeUntilMs,
        };
      }
      const inflight = joins < MAX_JOINS ? this.inflight.get(key.id) : undefined;
      const pending = inflight ? this.join(inflight, look.missing) : this.startOwnFetch(request, look, stats, aheadMs);
      const outcome = await this.waitFor(pending, budget);
      if (outcome === LATE) {
        return this.stillLoading(request, pending, look, budget, budget.deadlineMs - startedMs);
      }
      if (!inflight) {
        return {
          ...combine(outcome.points, look.cached, range),
          fetchedRanges: outcome.sent ? [outcome.sent] : [],
          // No range sent: another replica's call filled the cache.
          source: !outcome.sent ? 'replicated' : look.partial ? 'partial' : 'fetched',
          completeUntilMs: outcome.completeUntilMs,
        };
      }
      if (covers(outcome.range, look.missing)) {
        return {
          ...combine(outcome.points, look.cached, range),
          fetchedRanges: [],
          source: 'coalesced',
          completeUntilMs: outcome.completeUntilMs,
        };
      }
    }
  }

  /** Joins a fetch in flight: while it is unsent, its range grows to cover `missing` too. */
  private join(pending: Pending, missing: Range): Pending {
    coalescedRequests.inc();
    if (!pending.sent) {
      pending.want = {
        startMs: Math.min(pending.want.startMs, missing.startMs),
        endMs: Math.max(pending.want.endMs, missing.endMs),
      };
    }
    return pending;
  }

  private startOwnFetch(request: SeriesRequest, look: Miss, stats: FetchStats, aheadMs: number): Pending {
    cacheLookups.inc({ result: look.partial ? 'partial' : 'miss' });
    return this.startFetch(request, look.missing, stats, aheadMs);
  }

  /** The fetch's outcome, or LATE at this query's deadline (the fetch goes on for the others). */
  private waitFor(pending: Pending, budget: QueryBudget): Promise<Fetched | typeof LATE> {
    const priority = budget.priority ?? 'interactive';
    return pending.call
      .wait({ signal: budget.signal, deadlineMs: budget.deadlineMs, priority, keepMs: this.keepMs })
      .catch((error) => {
        throw budget.signal?.aborted ? cancelled() : error;
      });
  }

  /** The deadline came before the fetch: what is cached, and when the rest should be ready. */
  private stillLoading(
    { key, scope: { endpointLabel } }: SeriesRequest,
    pending: Pending,
    look: Miss,
    { priority = 'interactive' }: QueryBudget,
    timeoutMs: number
  ): SeriesResult {
    const readyAtMs = pending.call.etaMs();
    const untilTurnMs = pending.call.msUntilTurn();
    if (pending.sent && untilTurnMs <= 0) {
      // Not waiting for the quota but for the endpoint: that is a slow endpoint, not a loading series.
      throw toQueryError(new AttemptTimeoutError(timeoutMs), OPERATION, endpointLabel);
    }
    if (priority === 'alert') {
      const seconds = Math.max(1, Math.round(untilTurnMs / 1000));
      throw new QueryError(
        `The alert query reached its deadline before its turn under the CloudTrail quota of ${this.fetchOptions.pacing.tps(OPERATION)} call(s) per second (expected in about ${seconds} s). Alert queries get complete data or this error; the data is still being fetched for the next evaluation.`,
        'plugin',
        STATUS.stopped
      );
    }
    let queued = true;
    if (!pending.call.waiting && this.fetches.background > this.maxBackground) {
      pending.call.cancel(new Error('too many series are waiting for the quota'));
      this.forget(key, pending);
      queued = false;
    }
    return {
      ...look.cached,
      fetchedRanges: [],
      source: 'loading',
      completeUntilMs: look.completeUntilMs,
      loading: { missing: look.missing, readyAtMs, queued },
    };
  }

  private startFetch(request: SeriesRequest, missing: Range, stats: FetchStats, aheadMs: number): Pending {
    const pending: Pending = { want: missing, sent: false, call: undefined! };
    pending.call = new JoinedCall(async (budget) => {
      try {
        await abortableSleep(this.gatherMs, budget.signal);
        for (;;) {
          // Another replica may have this series already, or be fetching it: then no call of ours.
          const once = await this.replicated.once(
            request.key,
            () => pending.want,
            {
              fetch: () => this.fetch(request, pending, budget, stats),
              signal: budget.signal,
              deadlineMs: budget.deadlineMs,
              onTimeout: () =>
                new DeadlineExceededError('the deadline came while another replica was fetching this series'),
            },
            aheadMs
          );
          if (!once.served) {
            return once.value;
          }
          const served = this.fromCache(request, pending.want);
          if (served) {
            return served;
          }
          // Joiners widened the range while the store was read (the lock's release is a round
          // trip): the cache has part of it now; look again, and fetch what is still missing.
        }
      } finally {
        this.forget(request.key, pending);
      }
    });
    this.inflight.set(request.key.id, pending);
    return pending;
  }

  /** The one call (all its pages) for `pending.want`, stored in the cache. */
  private async fetch(request: SeriesRequest, pending: Pending, budget: CallBudget, stats: FetchStats) {
    let fetchedAtMs = 0;
    let asked: Range = pending.want;
    const result = await fetchAllPages(
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
      budget,
      { ...this.fetchOptions, stats }
    );
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
  }

  /** What the cache (just filled from the replicated store) answers for `want`, if it does. */
  private fromCache(request: SeriesRequest, want: Range): Fetched | undefined {
    const look = this.cache.lookup(request.key, want, this.now());
    return look.hit ? { range: want, points: look.points, completeUntilMs: look.completeUntilMs } : undefined;
  }

  private forget(key: Keyed, pending: Pending): void {
    if (this.inflight.get(key.id) === pending) {
      this.inflight.delete(key.id);
    }
  }
}
