/**
 * A process-wide pacer for CloudTrail's per-account, per-region, per-operation quotas
 * (ListInsightsMetricData 1 TPS, LookupEvents 2 TPS, other reads 10 TPS). Calls are spaced by
 * 1/TPS plus a small margin so the service never sees two calls inside one quota window; a
 * throttled answer pushes the next slot back. Waiting ends early on abort or when the slot would
 * fall after the caller's deadline, so a queue that cannot finish in time fails fast and clearly.
 */
import type { Keyed } from './keys';
import { abortableSleep } from './sleep';

/** Documented CloudTrail quotas (calls per second per account and region; not raisable). */
export const OPERATION_TPS: Record<string, number> = {
  ListInsightsMetricData: 1,
  LookupEvents: 2,
};
export const DEFAULT_TPS = 10;

/**
 * Env CLOUDTRAIL_QUOTAS (e.g. `ListInsightsMetricData=50,LookupEvents=50,default=100`) replaces
 * the documented rates: for simulators and benchmarks with relaxed quotas, never needed on AWS.
 */
export function parseQuotaOverrides(text: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of (text ?? '').split(',')) {
    const [name, value] = part.split('=').map((p) => p.trim());
    const tps = Number(value);
    if (name && Number.isFinite(tps) && tps > 0) {
      out[name] = tps;
    }
  }
  return out;
}

const overrides = parseQuotaOverrides(process.env.CLOUDTRAIL_QUOTAS);

export function operationTps(operation: string): number {
  return overrides[operation] ?? OPERATION_TPS[operation] ?? overrides.default ?? DEFAULT_TPS;
}

export class DeadlineExceededError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineExceededError';
  }
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Epoch ms; a slot later than this is refused. */
  deadlineMs?: number;
}

export interface RateLimiterOptions {
  /** Extra spacing per call as a fraction of 1/TPS (100 ms at 1 TPS), absorbing network jitter. */
  marginFraction?: number;
  now?: () => number;
}

export class RateLimiter {
  /** Next free slot per key: reservations keep callers in order and let us refuse late slots early. */
  private readonly nextSlot = new Map<string, number>();
  /** When the last caller per key really went: a late wake-up must not shrink the next gap. */
  private readonly lastGrant = new Map<string, number>();
  /** Set by a throttled answer; holds back callers that had reserved earlier slots too. */
  private readonly blockedUntil = new Map<string, number>();
  private readonly marginFraction: number;
  private readonly now: () => number;

  constructor(options: RateLimiterOptions = {}) {
    this.marginFraction = options.marginFraction ?? 0.1;
    this.now = options.now ?? Date.now;
  }

  /** Reserves the next slot for `key` and waits for it. */
  async acquire(quota: Keyed, tps: number, options: AcquireOptions = {}): Promise<void> {
    const key = quota.id;
    options.signal?.throwIfAborted();
    const spacing = (1000 / tps) * (1 + this.marginFraction);
    const now = this.now();
    const slot = Math.max(now, this.nextSlot.get(key) ?? 0);
    if (options.deadlineMs !== undefined && slot > options.deadlineMs) {
      const queued = Math.round((slot - now) / 1000);
      throw new DeadlineExceededError(
        `the request would wait about ${queued} s for its turn under the CloudTrail quota of ${tps} call(s) per second, past its deadline`
      );
    }
    this.nextSlot.set(key, slot + spacing);
    for (;;) {
      const readyAt = Math.max(slot, (this.lastGrant.get(key) ?? -Infinity) + spacing, this.blockedUntil.get(key) ?? 0);
      const wait = readyAt - this.now();
      if (wait <= 0) {
        break;
      }
      await abortableSleep(wait, options.signal);
    }
    const granted = this.now();
    this.lastGrant.set(key, granted);
    this.nextSlot.set(key, Math.max(this.nextSlot.get(key) ?? 0, granted + spacing));
  }

  /** After a throttled answer: keep everyone off this key for `ms`. */
  backOff(quota: Keyed, ms: number): void {
    const key = quota.id;
    const until = this.now() + ms;
    this.nextSlot.set(key, Math.max(this.nextSlot.get(key) ?? 0, until));
    this.blockedUntil.set(key, Math.max(this.blockedUntil.get(key) ?? 0, until));
  }
}

/** The one limiter of this process: quotas are per account, not per data source instance. */
export const sharedRateLimiter = new RateLimiter();
