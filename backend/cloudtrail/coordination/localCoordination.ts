/**
 * In-process coordination, today's behaviour and the default: the process-wide rate limiter is
 * the quota gate, the series cache in memory is the only cache (no second level), and the series
 * source's own coalescing is the only fetch lock. Also the fallback while Redis is unreachable,
 * then at 1/N of each quota.
 */
import { RateLimiter } from '../pacing/rateLimiter';
import type {
  BucketStore,
  Coordination,
  FetchLock,
  GateOptions,
  InsightListStore,
  Keyed,
  QuotaGate,
  RefreshLeases,
  SeriesTracking,
} from './types';

/** A local limiter that uses only `share` of each quota: the fallback while Redis is unreachable. */
export class LocalQuotaGate implements QuotaGate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly share: number
  ) {}

  acquire(key: Keyed, tps: number, options: GateOptions = {}): Promise<void> {
    return this.limiter.acquire(key, tps * this.share, options);
  }

  backOff(key: Keyed, ms: number): void {
    this.limiter.backOff(key, ms);
  }
}

export const noBucketStore: BucketStore = {
  read: async () => undefined,
  write: async () => undefined,
};

export const noInsightLists: InsightListStore = {
  read: async () => undefined,
  write: async () => undefined,
};

export const noFetchLock: FetchLock = {
  tryAcquire: async () => ({ acquired: true, handle: { release: async () => undefined } }),
};

/** Nothing shared: the refresher's own notes are its whole work list. */
export const noTracking: SeriesTracking = {
  note: async () => undefined,
  list: async () => undefined,
};

/** One process: it refreshes every account + region it knows. */
export const ownLeases: RefreshLeases = {
  claim: async () => ({ state: 'held' }),
  release: async () => undefined,
};

export function localCoordination(quota: QuotaGate, note?: string): Coordination {
  return {
    quota,
    buckets: noBucketStore,
    insightLists: noInsightLists,
    locks: noFetchLock,
    tracking: noTracking,
    leases: ownLeases,
    describe: async () => note,
    close: async () => undefined,
  };
}
