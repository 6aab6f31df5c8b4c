// Token buckets per account + region + operation. AWS documents the sustained rates (not raisable):
// ListInsightsMetricData 1 TPS, LookupEvents 2 TPS, ListInsightsData 2 TPS, other Describe/Get/List
// APIs 10 TPS. It does not document bursts; we allow one second's worth (capacity = rate, at least 1).
// Buckets refill on real monotonic time even when the data clock is fixed, so tests of throttling
// measure real rates.
import type { QuotaOperation } from '../types';

export const AWS_RATES: Record<QuotaOperation, number> = {
  ListInsightsMetricData: 1,
  LookupEvents: 2,
  ListInsightsData: 2,
  other: 10,
};
const OWN_QUOTA: readonly string[] = ['ListInsightsMetricData', 'LookupEvents', 'ListInsightsData'];

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export function quotaOperation(operation: string): QuotaOperation {
  return OWN_QUOTA.includes(operation) ? (operation as QuotaOperation) : 'other';
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly rates: Record<QuotaOperation, number> | undefined;

  constructor(
    setting: boolean | Partial<Record<QuotaOperation, number>> = true,
    private readonly clock: () => number = () => performance.now()
  ) {
    this.rates = setting === false ? undefined : { ...AWS_RATES, ...(setting === true ? {} : setting) };
  }

  /** Takes a token if one is available; false means the call must be throttled. */
  tryAcquire(accountId: string, region: string, operation: string): boolean {
    if (!this.rates) {
      return true;
    }
    const op = quotaOperation(operation);
    const rate = this.rates[op];
    const capacity = Math.max(1, rate);
    const key = `${accountId}|${region}|${op}`;
    const now = this.clock();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedMs: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedMs) / 1000) * rate);
    bucket.updatedMs = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      return false;
    }
    bucket.tokens -= 1;
    return true;
  }
}
