/**
 * Keeps the series people asked for recently fresh in the cache with spare quota, so that the
 * next dashboard open or alert evaluation is a cache hit instead of one call per stale series.
 *
 * Bounds (refresherConfig.ts): per account + region, at most `maxSeriesPerScope` series are
 * tracked (least recently asked dropped first) and only while they were asked for within
 * `windowMs`; refreshes spend at most `share` of the quota (a token bucket holding one minute of
 * that share), one at a time per account + region and at `background` priority, so alert and
 * dashboard calls always go first and wait at most for the one refresh already in flight. A
 * throttled refresh (other tools may share the account's quota) pauses the account + region,
 * doubling the pause while throttles continue. With Redis, a lease per account + region (the
 * coordination's lock) lets one replica refresh it; its results land in the shared cache.
 *
 * A series is due when the bucket its newest data fell in has ended, or when that data is about
 * to leave the cache's freshness window; a refresh asks only for the buckets from there to now.
 */
import { logger } from '../sdk/logger';
import { errorMessage } from '../sdk/errorMessage';
import type { FetchLock, FetchLockHandle } from './coordination/types';
import { noFetchLock } from './coordination/localCoordination';
import type { Keyed } from './keys';
import { backgroundCalls, refreshLag, refreshSeriesTracked } from './metrics';
import type { CachedSeries } from './seriesCache';
import { OPERATION, type FetchStats } from './seriesFetcher';
import type { QueryBudget, SeriesRequest, SeriesResult } from './seriesSource';
import type { RefresherConfig } from './refresherConfig';

/** What the refresher needs of the series source. */
export interface RefreshTarget {
  get(request: SeriesRequest, budget: QueryBudget, stats: FetchStats): Promise<SeriesResult>;
  readonly cache: { peek(key: Keyed): CachedSeries | undefined; readonly freshnessMs: number };
}

export interface RefresherOptions extends RefresherConfig {
  /** Calls per second of the quota the share is of (ListInsightsMetricData's). */
  tps: number;
  /** Where the per-account + region lease is taken (Redis across replicas; always granted in-process). */
  lease?: FetchLock;
  now?: () => number;
  /** How often due series are looked for (the background loop's tick). */
  tickMs?: number;
}

/** Refresh this long before the newest data leaves the cache's freshness window. */
export const REFRESH_LEAD_MS = 5_000;
export const FIRST_BACKOFF_MS = 30_000;
export const MAX_BACKOFF_MS = 10 * 60_000;
/** The token bucket holds this much of the share: a burst after a bucket end, never more. */
const BUCKET_SECONDS = 60;

interface Tracked {
  request: SeriesRequest;
  askedAtMs: number;
}

interface ScopeState {
  series: Map<string, Tracked>;
  tokens: number;
  refilledAtMs: number;
  pausedUntilMs: number;
  backoffMs: number;
  running: boolean;
  lease?: FetchLockHandle;
}

class LeaseKey implements Keyed {
  readonly id: string;
  constructor(scopeId: string) {
    this.id = `${scopeId}|refresh-lease`;
  }
}

export class Refresher {
  private readonly scopes = new Map<string, ScopeState>();
  private readonly now: () => number;
  private readonly lease: FetchLock;
  private readonly stop = new AbortController();
  private timer?: ReturnType<typeof setInterval>;
  /** Background calls sent, for the health line. */
  calls = 0;

  constructor(
    private readonly target: RefreshTarget,
    readonly options: RefresherOptions
  ) {
    this.now = options.now ?? Date.now;
    this.lease = options.lease ?? noFetchLock;
  }

  get enabled(): boolean {
    return this.options.share > 0;
  }

  /** Series tracked across all accounts and regions. */
  get tracked(): number {
    let n = 0;
    for (const state of this.scopes.values()) {
      n += state.series.size;
    }
    return n;
  }

  /** Calls per minute the share allows. */
  get callsPerMinute(): number {
    return this.options.share * this.options.tps * 60;
  }

  /** A user (dashboard, Explore, alert rule) asked for this series: keep it fresh for a while. */
  note(request: SeriesRequest): void {
    if (!this.enabled) {
      return;
    }
    const scopeId = request.scope.account.id;
    let state = this.scopes.get(scopeId);
    if (!state) {
      const tokens = this.options.share * this.options.tps * BUCKET_SECONDS;
      state = { series: new Map(), tokens, refilledAtMs: this.now(), pausedUntilMs: 0, backoffMs: 0, running: false };
      this.scopes.set(scopeId, state);
    }
    state.series.delete(request.key.id);
    state.series.set(request.key.id, { request, askedAtMs: this.now() });
    for (const [id] of state.series) {
      if (state.series.size <= this.options.maxSeriesPerScope) {
        break;
      }
      state.series.delete(id);
    }
    this.start();
  }

  /** Seconds the most overdue tracked series has been waiting for its refresh (0: none overdue). */
  lagSeconds(): number {
    const nowMs = this.now();
    let lag = 0;
    for (const state of this.scopes.values()) {
      for (const { request } of state.series.values()) {
        const due = this.dueAtMs(request);
        if (due !== undefined && due < nowMs) {
          lag = Math.max(lag, (nowMs - due) / 1000);
        }
      }
    }
    return lag;
  }

  /** One pass: forget expired series, then refresh what is due in every account + region (awaited). */
  async tick(): Promise<void> {
    await Promise.all([...this.scopes.entries()].map(([id, state]) => this.runScope(id, state)));
    refreshSeriesTracked.set(this.tracked);
    refreshLag.set(this.lagSeconds());
  }

  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stop.abort(new Error('the refresher was stopped'));
    for (const state of this.scopes.values()) {
      void state.lease?.release();
    }
    this.scopes.clear();
  }

  private start(): void {
    if (!this.timer && !this.stop.signal.aborted) {
      this.timer = setInterval(() => void this.tick(), this.options.tickMs ?? 1_000);
      this.timer.unref?.();
    }
  }

  /** When `request`'s cached data stops being enough for a fresh answer; undefined if not cached. */
  private dueAtMs(request: SeriesRequest): number | undefined {
    const entry = this.target.cache.peek(request.key);
    if (!entry) {
      return undefined;
    }
    const periodMs = request.period * 1000;
    const bucketEnd = (Math.floor(entry.fetchedAtMs / periodMs) + 1) * periodMs;
    const window = Math.min(this.target.cache.freshnessMs, periodMs);
    const staleAt = entry.fetchedAtMs + window;
    // The bucket end comes first (60 s buckets): one refresh per bucket, just after it ends.
    return bucketEnd <= staleAt ? bucketEnd : staleAt - REFRESH_LEAD_MS;
  }

  private async runScope(scopeId: string, state: ScopeState): Promise<void> {
    if (state.running) {
      return;
    }
    state.running = true;
    try {
      this.expire(state);
      if (!state.series.size) {
        await state.lease?.release();
        this.scopes.delete(scopeId);
        return;
      }
      if (!(await this.holdLease(scopeId, state))) {
        return;
      }
      for (;;) {
        const nowMs = this.now();
        this.refill(state, nowMs);
        if (state.pausedUntilMs > nowMs || state.tokens < 1 || this.stop.signal.aborted) {
          return;
        }
        const next = this.mostOverdue(state, nowMs);
        if (!next) {
          return;
        }
        await this.refresh(state, next);
      }
    } finally {
      state.running = false;
    }
  }

  private expire(state: ScopeState): void {
    const oldest = this.now() - this.options.windowMs;
    for (const [id, tracked] of state.series) {
      if (tracked.askedAtMs < oldest) {
        state.series.delete(id);
      }
    }
  }

  private async holdLease(scopeId: string, state: ScopeState): Promise<boolean> {
    if (state.lease) {
      return true;
    }
    const attempt = await this.lease.tryAcquire(new LeaseKey(scopeId));
    if (attempt.acquired) {
      state.lease = attempt.handle;
    }
    return attempt.acquired;
  }

  private refill(state: ScopeState, nowMs: number): void {
    const rate = this.options.share * this.options.tps;
    state.tokens = Math.min(rate * BUCKET_SECONDS, state.tokens + ((nowMs - state.refilledAtMs) / 1000) * rate);
    state.refilledAtMs = nowMs;
  }

  private mostOverdue(state: ScopeState, nowMs: number): SeriesRequest | undefined {
    let best: { request: SeriesRequest; due: number } | undefined;
    for (const { request } of state.series.values()) {
      const due = this.dueAtMs(request);
      if (due !== undefined && due <= nowMs && (!best || due < best.due)) {
        best = { request, due };
      }
    }
    return best?.request;
  }

  private async refresh(state: ScopeState, request: SeriesRequest): Promise<void> {
    const entry = this.target.cache.peek(request.key)!;
    const nowMs = this.now();
    const periodMs = request.period * 1000;
    // From the bucket that was still open at the last fetch up to the end of the current one.
    const range = {
      startMs: Math.max(entry.range.startMs, Math.floor(entry.fetchedAtMs / periodMs) * periodMs),
      endMs: Math.ceil((nowMs + 1) / periodMs) * periodMs,
    };
    const stats: FetchStats = { apiCalls: 0, retries: 0, pages: 0, throttles: 0 };
    state.tokens -= 1;
    try {
      await this.target.get(
        { ...request, range },
        { signal: this.stop.signal, deadlineMs: nowMs + Math.min(periodMs, 60_000), priority: 'background' },
        stats
      );
    } catch (error) {
      logger.debug('Background refresh failed', { operation: OPERATION, error: errorMessage(error) });
      // A series whose refresh fails is left to the next user request (which reports the error).
      state.series.delete(request.key.id);
    } finally {
      // Pages beyond the first cost quota too.
      state.tokens -= Math.max(0, stats.apiCalls - 1);
      this.calls += stats.apiCalls;
      backgroundCalls.inc({ outcome: stats.throttles ? 'throttled' : 'ok' }, stats.apiCalls);
      this.throttled(state, (stats.throttles ?? 0) > 0);
    }
  }

  private throttled(state: ScopeState, throttled: boolean): void {
    if (!throttled) {
      state.backoffMs = 0;
      return;
    }
    state.backoffMs = Math.min(MAX_BACKOFF_MS, state.backoffMs ? state.backoffMs * 2 : FIRST_BACKOFF_MS);
    state.pausedUntilMs = this.now() + state.backoffMs;
    state.tokens = Math.min(state.tokens, 0);
    logger.info('CloudTrail throttled a background refresh; pausing refreshes of this account and region', {
      seconds: state.backoffMs / 1000,
    });
  }
}
