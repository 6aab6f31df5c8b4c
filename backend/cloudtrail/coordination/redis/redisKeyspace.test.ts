/**
 * Every key the backend writes to Redis has a TTL (issue 24: a quota's state key had none after
 * its first grant): each store writes what it writes in use — a quota granted once, a throttle's
 * block, a line with a waiter, a series entry, a fetch lock held, a refresh lease, the work list,
 * an Insights list, the probe written after an outage — and a scan of the keyspace finds no key
 * without an expiry.
 */
import { logger } from '../../../sdk/logger';
import { RateLimiter } from '../../pacing/rateLimiter';
import { LocalQuotaGate } from '../localCoordination';
import { RedisBucketStore } from './redisBucketStore';
import { RedisFetchLock } from './redisFetchLock';
import { RedisInsightLists } from './redisInsightLists';
import { RedisQuotaGate } from './redisQuotaGate';
import { RedisRefreshLeases } from './redisRefreshLeases';
import { RedisSeriesTracking } from './redisSeriesTracking';
import { redisForEachTest } from './testing/replicas';

jest.setTimeout(30_000);

const t = redisForEachTest();

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a scan of the keyspace finds a TTL on every key of every kind', async () => {
  const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  try {
    const link = t.open({ CLOUDTRAIL_REDIS_TIMEOUT_MS: '200' });
    const gate = new RedisQuotaGate(link, new LocalQuotaGate(new RateLimiter(), 1 / 3));
    const quota = { id: 'account:123456789012|us-east-1|aws|ListInsightsMetricData' };
    // A quota granted once (no waiter left): its state alone remains.
    await gate.acquire(quota, 1);
    // Another quota blocked by a throttle, with a waiter in its line.
    const blocked = { id: 'account:123456789012|eu-west-1|aws|ListInsightsMetricData' };
    gate.backOff(blocked, 5_000);
    const waiter = new AbortController();
    const waiting = gate.acquire(blocked, 1, { signal: waiter.signal }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    const series = { id: 'account:123456789012|us-east-1|aws|series|s3.amazonaws.com|GetObject' };
    await new RedisBucketStore(link).write(series, {
      period: 60,
      range: { startMs: 0, endMs: 60_000 },
      fetchedAtMs: 1,
      points: { timestamps: [0], values: [3] },
    });
    const lock = await new RedisFetchLock(link).tryAcquire(series);
    const scope = { id: 'account:123456789012|us-east-1|aws' };
    expect(await new RedisRefreshLeases(link).claim(scope)).toEqual({ state: 'held' });
    await new RedisSeriesTracking(link).note(scope, [{ member: '{"span":1}', askedAtMs: Date.now() }], {
      oldestMs: 0,
      max: 10,
      ttlMs: 60_000,
    });
    await new RedisInsightLists(link).write(scope, { insights: [], fetchedAtMs: Date.now(), truncated: false });
    // An outage: once Redis answers again, the probe's write brings the link back.
    t.redis.pause();
    await new RedisBucketStore(link).read(series);
    t.redis.resume();
    await until(() => link.mode === 'connected');
    expect(link.mode).toBe('connected');

    const keys = await link.client.keys(`${t.prefix}*`);
    const kinds = [...new Set(keys.map((k) => k.slice(t.prefix.length).split(':')[0]))].sort();
    expect(kinds).toEqual(['insights', 'lease', 'lock', 'probe', 'quota', 'series', 'tracked']);
    const withoutTtl: string[] = [];
    for (const key of keys) {
      if (!((await link.client.pttl(key)) > 0)) {
        withoutTtl.push(key);
      }
    }
    expect(withoutTtl).toEqual([]);
    waiter.abort();
    await waiting;
    if (lock.acquired) {
      await lock.handle.release();
    }
  } finally {
    warn.mockRestore();
  }
});
