/**
 * What several backend processes (Grafana replicas) coordinate through: one quota gate per
 * CloudTrail quota, one store of fetched buckets per series, and a short fetch lock per series.
 * Each has an in-process implementation (today's behaviour, the default) and a Redis one.
 * Keys are anything with a stable, secret-free `id` (keys.ts' QuotaKey and SeriesKey).
 */
import type { Keyed } from '../keys';
import type { CachedSeries } from '../seriesCache';

export type { Keyed } from '../keys';

/** Alert evaluations first, then dashboards and Explore, then background refreshes. */
export type CallPriority = 'alert' | 'interactive' | 'background';

/** A waiting caller's place in line. */
export interface QueuedCall {
  /** When its turn is expected (epoch ms); once served or gone, when that was. */
  etaMs(): number;
}

export interface GateOptions {
  signal?: AbortSignal;
  /** Epoch ms (this process's clock; read again while waiting); a later turn is refused. */
  deadlineMs?: number | (() => number);
  /** Read at every step: a shared call's priority follows its callers. */
  priority?: CallPriority | (() => CallPriority);
  /** Told the caller's place in line once it is queued. */
  onQueued?: (call: QueuedCall) => void;
}

export interface QuotaGate {
  /** Waits for this caller's slot under `tps` calls per second for `key`. */
  acquire(key: Keyed, tps: number, options?: GateOptions): Promise<void>;
  /** After a throttled answer: keep every caller of `key` off it for `ms`. */
  backOff(key: Keyed, ms: number): void;
}

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

export type LockAttempt =
  | { acquired: true; handle: FetchLockHandle }
  /** Another process fetches this series; `retryInMs` is when to look again. */
  | { acquired: false; retryInMs: number };

export interface FetchLock {
  /** Takes the fetch lock of `key` unless another live process holds it. */
  tryAcquire(key: Keyed): Promise<LockAttempt>;
}

/** Everything the series source and awsCall need, plus a line for the health check. */
export interface Coordination {
  readonly quota: QuotaGate;
  readonly buckets: BucketStore;
  readonly locks: FetchLock;
  /** e.g. "shared quota and cache: Redis at redis:6379 reachable"; undefined when in-process. */
  describe(): Promise<string | undefined>;
  close(): Promise<void>;
}
