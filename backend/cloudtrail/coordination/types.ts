/**
 * What several backend processes (Grafana replicas) coordinate through: one quota gate per
 * CloudTrail quota, one store of fetched buckets per series and of Insights lists per account +
 * region, and a short fetch lock per series or list.
 * Each has an in-process implementation (today's behaviour, the default) and a Redis one.
 * Keys are anything with a stable, secret-free `id` (keys.ts' QuotaKey, SeriesKey, InsightsListKey).
 */
import type { InsightList } from '../core/insights';
import type { Keyed } from '../core/keys';
import type { QuotaGate } from '../core/calls';
import type { CachedSeries } from '../core/series';

export type { Keyed } from '../core/keys';

export type { CallPriority } from '../core/calls';
/** The quota gate is the local limiter's interface, so either implementation can pace awsCall. */
export type { AcquireOptions as GateOptions, QueuedCall, QuotaGate } from '../core/calls';

/**
 * One series' fetched buckets as one contiguous range, as the series cache keeps them; the
 * newest (possibly partial) bucket follows the cache's freshness rule from `fetchedAtMs`.
 */
export type StoredSeries = CachedSeries;

export interface BucketStore {
  /** The stored buckets of `key`, or undefined when there are none (or the store is unavailable). */
  read(key: Keyed): Promise<StoredSeries | undefined>;
  /** Replaces what is stored for `key`; failures are absorbed (the store is only a cache). */
  write(key: Keyed, series: StoredSeries): Promise<void>;
}

export interface FetchLockHandle {
  /** Gives the lock up (only if still ours) and stops renewing it. */
  release(): Promise<void>;
}

/**
 * Nothing to coordinate through right now (Redis unusable): the lock is held nowhere. A caller that
 * was waiting for another replica's fetch may keep waiting up to `graceMs` (that replica's lock
 * lifetime), looking again every `retryInMs`, in case Redis answers again with that fetch's result
 * (a failover takes seconds); anyone else fetches alone.
 */
export interface Outage {
  graceMs: number;
  retryInMs: number;
}

export type LockAttempt =
  | { acquired: true; handle: FetchLockHandle; outage?: Outage }
  /** Another process fetches this series; `retryInMs` is when to look again. */
  | { acquired: false; retryInMs: number };

export interface FetchLock {
  /** Takes the fetch lock of `key` unless another live process holds it. */
  tryAcquire(key: Keyed): Promise<LockAttempt>;
}

/** A series some replica's user asked for: the refresher's descriptor (secret-free) and when. */
export interface TrackedEntry {
  member: string;
  askedAtMs: number;
}

export interface TrackingBounds {
  /** Entries asked for before this are dropped. */
  oldestMs: number;
  /** At most this many entries per scope, the most recently asked kept. */
  max: number;
  /** The set expires this long after its last note (nobody asks any more). */
  ttlMs: number;
}

/** The series asked for recently in each account + region, on any replica (the refresher's work list). */
export interface SeriesTracking {
  note(scope: Keyed, entries: TrackedEntry[], bounds: TrackingBounds): Promise<void>;
  /** The entries asked for since `oldestMs`, newest first, at most `max`; undefined when nothing is shared. */
  list(scope: Keyed, oldestMs: number, max: number): Promise<TrackedEntry[] | undefined>;
}

/**
 * Who refreshes an account + region: `held` by this replica, `elsewhere` by a live other one, or
 * `unshared` when there is nothing to share it through (Redis unreachable): then each replica keeps
 * its own cache warm, within `quotaShare` of the quota (its fallback share).
 */
export type LeaseClaim = { state: 'held' } | { state: 'elsewhere' } | { state: 'local'; quotaShare: number };

export interface RefreshLeases {
  /** Takes or renews the lease of `key` (call it more often than the lease lives). */
  claim(key: Keyed): Promise<LeaseClaim>;
  /** Gives it up, if still ours. */
  release(key: Keyed): Promise<void>;
}

/** The Insights lists (insightEvents.ts) per account + region, kept for the other replicas. */
export interface InsightListStore {
  /** The stored list of `key`, or undefined when there is none (or the store is unavailable). */
  read(key: Keyed): Promise<InsightList | undefined>;
  /** Replaces the stored list of `key`; failures are absorbed (the store is only a cache). */
  write(key: Keyed, list: InsightList): Promise<void>;
}

/** Everything the series source and awsCall need, plus a line for the health check. */
export interface Coordination {
  readonly quota: QuotaGate;
  readonly buckets: BucketStore;
  readonly insightLists: InsightListStore;
  readonly locks: FetchLock;
  readonly tracking: SeriesTracking;
  readonly leases: RefreshLeases;
  /** e.g. "shared quota and cache: Redis at redis:6379 reachable"; undefined when in-process. */
  describe(): Promise<string | undefined>;
  close(): Promise<void>;
}
