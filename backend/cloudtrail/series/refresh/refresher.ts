/**
 * Keeps the series people asked for recently fresh in the cache with spare quota, so that the
 * next dashboard open or alert evaluation is a cache hit instead of one call per stale series.
 *
 * Schedule: a cached entry answers for the cache's freshness window (min(60 s, period)) after its
 * fetch, the buckets begun since included (seriesCache.ts' freshEnd); each tracked series is
 * renewed REFRESH_LEAD_MS before that window ends, so no request finds it stale. That is one call
 * per series per ~55 s whatever its Period, spread over the minute as the entries' fetch times are
 * (no burst after each bucket end). A refresh asks only from the bucket that was still open at
 * the last fetch to the end of the current one.
 *
 * Bounds (refresherConfig.ts), per account + region: at most `maxSeriesPerScope` series tracked
 * and only while asked for within `windowMs`; at most `share` of the quota in any 60 s
 * (refreshBudget.ts, a sliding minute); when that is not enough for all of them, the most
 * recently asked go first, so a subset stays fully fresh instead of all going a little stale.
 * One refresh at a time per account + region at `background` priority: alert and dashboard calls
 * always go first and wait at most for the one refresh already in flight. A throttled refresh
 * pauses the account + region (30 s, doubling).
 *
 * HA (coordination/): every replica shares what its users asked for in the Redis work list
 * (SeriesTracking); the one replica holding the account + region's lease (RefreshLeases) refreshes
 * the whole list with its own client of that account + region, through the series source, whose
 * fetch lands in the shared cache — and which costs no call when another replica's entry in Redis
 * is fresh enough already. A replica whose users stop asking for an account + region lets its
 * lease go, and one that still has them takes it over.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { PeriodSeconds } from '../../../../src/shared/queryModel';
import { logger } from '../../../sdk/logger';
import { errorMessage } from '../../../sdk/errorMessage';
import type { CallScope } from '../../core/calls';
import { noTracking, ownLeases } from '../../coordination/localCoordination';
import type { LeaseClaim, RefreshLeases, SeriesTracking } from '../../coordination/types';
import { SeriesKey, type Keyed } from '../../core/keys';
import { backgroundCalls, refreshLag, refreshLeasesHeld, refreshSeriesTracked } from '../../core/metrics';
import { RefreshBudget } from './refreshBudget';
import { decodeDescriptor, encodeDescriptor } from './refreshDescriptor';
import type { CachedSeries, MetricParams } from '../../core/series';
import { OPERATION, type FetchStats } from '../seriesFetcher';
import type { QueryBudget, SeriesRequest, SeriesResult } from '../seriesSource';
import type { RefresherConfig } from './refresherConfig';

/** What the refresher needs of the series source. */
export interface RefreshTarget {
  get(request: SeriesRequest, budget: QueryBudget, stats: FetchStats): Promise<SeriesResult>;
  readonly cache: { peek(key: Keyed): CachedSeries | undefined; readonly freshnessMs: number };
}

export interface RefresherOptions extends RefresherConfig {
  /** Calls per second of the quota the share is of (ListInsightsMetricData's). */
  tps: number;
  /** The work list shared by all replicas (Redis); default none: this process's own asks. */
  tracking?: SeriesTracking;
  /** Who refreshes each account + region (Redis); default this process, always. */
  leases?: RefreshLeases;
  now?: () => number;
  /** How often due series are looked for (the background loop's tick). */
  tickMs?: number;
}

/** Renew this long before an entry stops being fresh (covers the wait for a slot and the call). */
export const REFRESH_LEAD_MS = 5_000;
/** How often the lease holder reads the shared work list. */
export const SYNC_MS = 5_000;
const DEFAULT_TICK_MS = 1_000;
/** A query may be noted this long after it was planned (it waited for its answer). */
const ANSWER_SLACK_MS = 60_000;

interface Tracked {
  key: Keyed;
  params: MetricParams;
  period: PeriodSeconds;
  spanMs: number;
  askedAtMs: number;
  /** The ask whose refresh failed: skipped until asked again (the user's request reports the error). */
  failedAskedAtMs?: number;
  /** For a trail's series (keyed by caller, core/keys.ts): only a client of this caller refreshes it. */
  caller?: string;
}

/** What refreshes are made with: a data source instance's client in this account + region. */
interface Holder {
  scope: CallScope;
  client: CloudTrailClient;
  /** Aborted when its data source instance is disposed: from then on it is never used. */
  lifetime?: AbortSignal;
  seenAtMs: number;
}

/** A holder's identity: its instance's lifetime signal (or the client, without one). */
type HolderKey = AbortSignal | CloudTrailClient;

interface ScopeState {
  /** The live clients users of this replica used here, newest last (the refreshes' credentials). */
  holders: Map<HolderKey, Holder>;
  seenAtMs: number;
  series: Map<string, Tracked>;
  /** Asks not yet shared with the other replicas: descriptor → when. */
  notes: Map<string, number>;
  budget: RefreshBudget;
  lease: LeaseClaim['state'] | 'unknown';
  syncedAtMs: number;
  running: boolean;
}

const leaseKey = (scopeId: string): Keyed => ({ id: `${scopeId}|refresh-lease` });
const trackedKey = (scopeId: string): Keyed => ({ id: `${scopeId}|refresh-tracked` });

export class Refresher {
  private readonly scopes = new Map<string, ScopeState>();
  /** The account + regions each holder is known in (to let go of it everywhere when it is disposed). */
  private readonly holderScopes = new Map<HolderKey, Set<string>>();
  private readonly now: () => number;
  private readonly tracking: SeriesTracking;
  private readonly leases: RefreshLeases;
  private readonly stop = new AbortController();
  private timer?: ReturnType<typeof setInterval>;
  /** Background calls sent, for the health line. */
  calls = 0;

  constructor(
    private readonly target: RefreshTarget,
    readonly options: RefresherOptions
  ) {
    this.now = options.now ?? Date.now;
    this.tracking = options.tracking ?? noTracking;
    this.leases = options.leases ?? ownLeases;
  }

  get enabled(): boolean {
    return this.options.share > 0;
  }

  /** Series tracked across all accounts and regions (for those it refreshes: the shared list). */
  get tracked(): number {
    let n = 0;
    for (const state of this.scopes.values()) {
      n += state.series.size;
    }
    return n;
  }

  /** Account + regions this replica refreshes now. */
  get leasesHeld(): number {
    return [...this.scopes.values()].filter((s) => this.refreshes(s)).length;
  }

  get scopeCount(): number {
    return this.scopes.size;
  }

  /** Calls per minute the share allows, per account and region. */
  get callsPerMinute(): number {
    return this.perMinute(1);
  }

  /** Background calls counted in the last minute, all accounts and regions. */
  callsLastMinute(): number {
    const nowMs = this.now();
    let n = 0;
    for (const state of this.scopes.values()) {
      n += state.budget.spentInLastMinute(nowMs);
    }
    return n;
  }

  /** A user (dashboard, Explore, alert rule) asked for this series: keep it fresh for a while. */
  note(request: SeriesRequest): void {
    const nowMs = this.now();
    // A range whose every bucket had ended when it was planned never changes: nothing to keep fresh.
    if (!this.enabled || request.range.endMs < nowMs - ANSWER_SLACK_MS) {
      return;
    }
    // A disposed instance's client is never taken up again.
    if (request.lifetime?.aborted) {
      return;
    }
    const scopeId = request.scope.account.id;
    let state = this.scopes.get(scopeId);
    if (!state) {
      state = {
        holders: new Map(),
        seenAtMs: nowMs,
        series: new Map(),
        notes: new Map(),
        budget: new RefreshBudget(this.perMinute(1)),
        lease: 'unknown',
        syncedAtMs: -Infinity,
        running: false,
      };
      this.scopes.set(scopeId, state);
    }
    this.hold(scopeId, state, request, nowMs);
    state.seenAtMs = nowMs;
    const spanMs = request.range.endMs - request.range.startMs;
    const known = state.series.get(request.key.id);
    state.series.delete(request.key.id);
    state.series.set(request.key.id, {
      key: request.key,
      params: request.params,
      period: request.period,
      spanMs: Math.max(spanMs, known?.spanMs ?? 0),
      askedAtMs: nowMs,
      ...(request.params.TrailName ? { caller: request.scope.caller } : {}),
    });
    state.notes.set(encodeDescriptor({ params: request.params, period: request.period, spanMs }), nowMs);
    this.cap(state);
    this.start();
  }

  /** Records the client `request` came with as the newest holder of its account + region. */
  private hold(scopeId: string, state: ScopeState, request: SeriesRequest, nowMs: number): void {
    const key: HolderKey = request.lifetime ?? request.client;
    state.holders.delete(key);
    state.holders.set(key, {
      scope: request.scope,
      client: request.client,
      lifetime: request.lifetime,
      seenAtMs: nowMs,
    });
    let scopes = this.holderScopes.get(key);
    if (!scopes) {
      scopes = new Set();
      this.holderScopes.set(key, scopes);
      request.lifetime?.addEventListener('abort', () => this.release(key), { once: true });
    }
    scopes.add(scopeId);
  }

  /**
   * A data source instance was disposed (settings or secrets changed, data source deleted): its
   * client is dropped at once from every account + region. A series another live holder of the
   * same account can refresh stays (a trail's series only with a holder of its own caller); the
   * others are dropped, and an account + region left without holders is forgotten.
   */
  private release(key: HolderKey): void {
    const scopeIds = this.holderScopes.get(key);
    this.holderScopes.delete(key);
    for (const scopeId of scopeIds ?? []) {
      const state = this.scopes.get(scopeId);
      if (!state?.holders.delete(key)) {
        continue;
      }
      for (const [id, tracked] of state.series) {
        if (!this.holderFor(state, tracked)) {
          state.series.delete(id);
        }
      }
      if (state.holders.size === 0) {
        this.forget(scopeId, state);
      }
    }
    logger.debug('A data source instance was disposed; the background refresh no longer uses its client', {
      operation: OPERATION,
    });
  }

  /** Stops refreshing an account + region: its lease goes back, its series are dropped. */
  private forget(scopeId: string, state: ScopeState): void {
    if (state.lease === 'held') {
      void this.leases.release(leaseKey(scopeId));
    }
    this.scopes.delete(scopeId);
    for (const key of state.holders.keys()) {
      this.holderScopes.get(key)?.delete(scopeId);
    }
  }

  /** The newest live holder that may refresh `tracked` (for a trail's series: one of its caller). */
  private holderFor(state: ScopeState, tracked: Pick<Tracked, 'caller'>): Holder | undefined {
    let best: Holder | undefined;
    for (const holder of state.holders.values()) {
      if (holder.lifetime?.aborted || (tracked.caller !== undefined && holder.scope.caller !== tracked.caller)) {
        continue;
      }
      if (!best || holder.seenAtMs >= best.seenAtMs) {
        best = holder;
      }
    }
    return best;
  }

  /** Seconds the most overdue series this replica refreshes has waited past its renewal (0: none). */
  lagSeconds(): number {
    const nowMs = this.now();
    let lag = 0;
    for (const state of this.scopes.values()) {
      if (!this.refreshes(state)) {
        continue;
      }
      for (const tracked of state.series.values()) {
        const due = this.dueAtMs(tracked, nowMs);
        if (due < nowMs && tracked.failedAskedAtMs !== tracked.askedAtMs) {
          lag = Math.max(lag, (nowMs - due) / 1000);
        }
      }
    }
    return lag;
  }

  /** One pass over every account + region: share asks, expire, claim the lease, refresh what is due. */
  async tick(): Promise<void> {
    await Promise.all([...this.scopes.entries()].map(([id, state]) => this.runScope(id, state)));
    refreshSeriesTracked.set(this.tracked);
    refreshLag.set(this.lagSeconds());
    refreshLeasesHeld.set(this.leasesHeld);
  }

  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stop.abort(new Error('the refresher was stopped'));
    for (const [id, state] of this.scopes) {
      if (state.lease === 'held') {
        void this.leases.release(leaseKey(id));
      }
    }
    this.scopes.clear();
    this.holderScopes.clear();
  }

  private perMinute(quotaShare: number): number {
    return Math.floor(this.options.share * quotaShare * this.options.tps * 60 + 1e-9);
  }

  private refreshes(state: ScopeState): boolean {
    return state.lease === 'held' || state.lease === 'local';
  }

  private start(): void {
    if (!this.timer && !this.stop.signal.aborted) {
      this.timer = setInterval(() => void this.tick(), this.options.tickMs ?? DEFAULT_TICK_MS);
      this.timer.unref?.();
    }
  }

  /** Keeps the most recently asked `maxSeriesPerScope` series. */
  private cap(state: ScopeState): void {
    const over = state.series.size - this.options.maxSeriesPerScope;
    if (over <= 0) {
      return;
    }
    const oldest = [...state.series.values()].sort((a, b) => a.askedAtMs - b.askedAtMs).slice(0, over);
    for (const tracked of oldest) {
      state.series.delete(tracked.key.id);
    }
  }

  /**
   * When `tracked` must be renewed: REFRESH_LEAD_MS before its entry stops answering fresh; now
   * when nothing is cached or the entry does not reach its own fetch time (a bucket begun since
   * would be missing).
   */
  private dueAtMs(tracked: Tracked, nowMs: number): number {
    const entry = this.target.cache.peek(tracked.key);
    if (!entry || entry.range.endMs < entry.fetchedAtMs) {
      return nowMs;
    }
    const window = Math.min(this.target.cache.freshnessMs, tracked.period * 1000);
    return entry.fetchedAtMs + window - REFRESH_LEAD_MS;
  }

  private async runScope(scopeId: string, state: ScopeState): Promise<void> {
    if (state.running) {
      return;
    }
    state.running = true;
    try {
      const nowMs = this.now();
      const oldest = nowMs - this.options.windowMs;
      await this.share(scopeId, state, nowMs);
      for (const [id, tracked] of state.series) {
        if (tracked.askedAtMs < oldest) {
          state.series.delete(id);
        }
      }
      // Clients nobody used here within the window: their instances may be gone.
      for (const [key, holder] of state.holders) {
        if (holder.seenAtMs < oldest || holder.lifetime?.aborted) {
          state.holders.delete(key);
          this.holderScopes.get(key)?.delete(scopeId);
        }
      }
      // This replica's users stopped asking here: its client may be gone; another replica takes over.
      if (state.seenAtMs < oldest || state.holders.size === 0) {
        if (state.lease === 'held') {
          await this.leases.release(leaseKey(scopeId));
          state.lease = 'unknown';
        }
        this.forget(scopeId, state);
        return;
      }
      const claim = await this.leases.claim(leaseKey(scopeId));
      state.lease = claim.state;
      if (claim.state === 'elsewhere') {
        return;
      }
      state.budget.setPerMinute(this.perMinute(claim.state === 'local' ? claim.quotaShare : 1));
      if (claim.state === 'held' && nowMs - state.syncedAtMs >= SYNC_MS) {
        await this.sync(scopeId, state, nowMs);
      }
      const tried = new Set<string>();
      for (;;) {
        const at = this.now();
        if (this.stop.signal.aborted || !state.budget.allows(at)) {
          return;
        }
        const next = this.nextDue(state, at, tried);
        if (!next) {
          return;
        }
        tried.add(next.key.id);
        await this.refresh(state, next);
      }
    } catch (error) {
      logger.debug('Background refresh pass failed', { operation: OPERATION, error: errorMessage(error) });
    } finally {
      state.running = false;
    }
  }

  /** Sends this replica's asks to the shared work list (a no-op without Redis). */
  private async share(scopeId: string, state: ScopeState, nowMs: number): Promise<void> {
    if (!state.notes.size) {
      return;
    }
    const entries = [...state.notes].map(([member, askedAtMs]) => ({ member, askedAtMs }));
    state.notes.clear();
    await this.tracking.note(trackedKey(scopeId), entries, {
      oldestMs: nowMs - this.options.windowMs,
      max: this.options.maxSeriesPerScope,
      ttlMs: this.options.windowMs,
    });
  }

  /** Takes in the series other replicas' users asked for (the lease holder refreshes them all). */
  private async sync(scopeId: string, state: ScopeState, nowMs: number): Promise<void> {
    state.syncedAtMs = nowMs;
    const entries = await this.tracking.list(
      trackedKey(scopeId),
      nowMs - this.options.windowMs,
      this.options.maxSeriesPerScope
    );
    const holder = this.holderFor(state, {});
    if (!holder) {
      return;
    }
    for (const { member, askedAtMs } of entries ?? []) {
      const descriptor = decodeDescriptor(member);
      if (!descriptor) {
        continue;
      }
      // Another replica's trail series is refreshed into this holder's own entry, as this caller.
      const caller = descriptor.params.TrailName ? holder.scope.caller : undefined;
      const key = new SeriesKey(holder.scope.account, descriptor.params, caller);
      const known = state.series.get(key.id);
      if (known) {
        known.askedAtMs = Math.max(known.askedAtMs, askedAtMs);
        known.spanMs = Math.max(known.spanMs, descriptor.spanMs);
      } else {
        state.series.set(key.id, { key, ...descriptor, askedAtMs, ...(caller !== undefined ? { caller } : {}) });
      }
    }
    this.cap(state);
  }

  /** The most recently asked series that is due (and was not tried in this pass). */
  private nextDue(state: ScopeState, nowMs: number, tried: Set<string>): Tracked | undefined {
    let best: Tracked | undefined;
    for (const tracked of state.series.values()) {
      if (tried.has(tracked.key.id) || tracked.failedAskedAtMs === tracked.askedAtMs) {
        continue;
      }
      if (this.dueAtMs(tracked, nowMs) <= nowMs && (!best || tracked.askedAtMs > best.askedAtMs)) {
        best = tracked;
      }
    }
    return best;
  }

  private async refresh(state: ScopeState, tracked: Tracked): Promise<void> {
    const holder = this.holderFor(state, tracked);
    if (!holder) {
      state.series.delete(tracked.key.id);
      return;
    }
    const nowMs = this.now();
    const periodMs = tracked.period * 1000;
    const endMs = Math.floor(nowMs / periodMs) * periodMs + periodMs;
    const entry = this.target.cache.peek(tracked.key);
    // From the bucket still open at the last fetch (joined to the entry), else the span asked for.
    const startMs = entry
      ? Math.max(entry.range.startMs, Math.min(entry.range.endMs, Math.floor(entry.fetchedAtMs / periodMs) * periodMs))
      : Math.floor((endMs - tracked.spanMs) / periodMs) * periodMs;
    const stats: FetchStats = { apiCalls: 0, retries: 0, pages: 0, throttles: 0 };
    const request: SeriesRequest = {
      key: tracked.key,
      client: holder.client,
      lifetime: holder.lifetime,
      scope: holder.scope,
      params: tracked.params,
      period: tracked.period,
      range: { startMs, endMs },
    };
    // Ends with the refresher, or at once when the holder's instance is disposed.
    const linked = holder.lifetime ? linkedSignal(this.stop.signal, holder.lifetime) : undefined;
    const signal = linked?.signal ?? this.stop.signal;
    try {
      await this.target.get(
        request,
        {
          signal,
          deadlineMs: nowMs + Math.min(periodMs, 60_000),
          priority: 'background',
          // Another replica's entry in Redis fresh for longer than this spares the call.
          renewWithinMs: REFRESH_LEAD_MS + (this.options.tickMs ?? DEFAULT_TICK_MS),
        },
        stats
      );
    } catch (error) {
      if (!signal.aborted) {
        logger.debug('Background refresh failed', { operation: OPERATION, error: errorMessage(error) });
        tracked.failedAskedAtMs = tracked.askedAtMs;
      }
    } finally {
      linked?.release();
      const throttled = (stats.throttles ?? 0) > 0;
      this.calls += stats.apiCalls;
      if (stats.apiCalls) {
        backgroundCalls.inc({ outcome: throttled ? 'throttled' : 'ok' }, stats.apiCalls);
      }
      const pauseMs = state.budget.record(stats.apiCalls, throttled, this.now());
      if (pauseMs) {
        logger.info('CloudTrail throttled a background refresh; pausing refreshes of this account and region', {
          seconds: pauseMs / 1000,
        });
      }
    }
  }
}

/** A signal aborted when either of `a` and `b` is; `release` detaches it from them. */
function linkedSignal(a: AbortSignal, b: AbortSignal): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const detach = new AbortController();
  for (const source of [a, b]) {
    if (source.aborted) {
      controller.abort(source.reason);
    } else {
      source.addEventListener('abort', () => controller.abort(source.reason), { once: true, signal: detach.signal });
    }
  }
  return { signal: controller.signal, release: () => detach.abort() };
}
