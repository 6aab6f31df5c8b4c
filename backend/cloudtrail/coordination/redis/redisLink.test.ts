import { once } from 'node:events';

import { logger } from '../../../sdk/logger';
import { RateLimiter } from '../../pacing/rateLimiter';
import { LocalQuotaGate } from '../localCoordination';
import { RedisBucketStore } from './redisBucketStore';
import { RedisQuotaGate } from './redisQuotaGate';
import { redisForEachTest } from './testing/replicas';
import type { StoredSeries } from '../types';

jest.setTimeout(30_000);

const t = redisForEachTest();
const key = { id: 'account:123456789012|us-east-1|aws|series|x' };
const series: StoredSeries = {
  period: 60,
  range: { startMs: 0, endMs: 120_000 },
  fetchedAtMs: 1,
  points: { timestamps: [0, 60_000], values: [1, 2] },
};

/** A replica's store and gate on one connection, with warnings counted. */
function replica() {
  const link = t.open({ CLOUDTRAIL_REDIS_TIMEOUT_MS: '200' });
  const gate = new RedisQuotaGate(link, new LocalQuotaGate(new RateLimiter(), 1 / 3));
  return { link, store: new RedisBucketStore(link), gate };
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

let warn: jest.SpyInstance;
beforeEach(() => {
  warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

describe('RedisLink faults', () => {
  it('a Redis that stops answering: each operation costs at most the command timeout, then none', async () => {
    const { link, store, gate } = replica();
    await store.write(key, series);
    t.redis.pause();
    try {
      let started = Date.now();
      expect(await store.read(key)).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(2_000);
      started = Date.now();
      await gate.acquire(key, 10);
      expect(await store.read(key)).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(500);
      expect(link.mode).toBe('fallback');
    } finally {
      t.redis.resume();
    }
    await until(() => link.mode === 'connected');
    expect(await store.read(key)).toEqual(series);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('a flushed Redis: the scripts are loaded again and the data is simply gone', async () => {
    const { link, store, gate } = replica();
    await gate.acquire(key, 10);
    await store.write(key, series);
    await link.client.flushall();
    await link.client.script('FLUSH');
    await gate.acquire(key, 10);
    expect(await store.read(key)).toBeUndefined();
    await store.write(key, series);
    expect(await store.read(key)).toEqual(series);
    expect(link.mode).toBe('connected');
    expect(warn).not.toHaveBeenCalled();
  });

  it('a Redis answering errors (out of memory): fallback until writes work again', async () => {
    const { link, store, gate } = replica();
    const admin = t.open();
    // The admin connection sends raw commands, and the offline queue is off: wait until it is connected.
    if (admin.client.status !== 'ready') {
      await once(admin.client, 'ready');
    }
    await store.write(key, series);
    await admin.client.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.client.config('SET', 'maxmemory', '1');
    try {
      await store.write(key, series);
      await gate.acquire(key, 10);
      expect(link.mode).toBe('fallback');
      // The probe writes too: a Redis that reads but cannot write does not count as back.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(link.mode).toBe('fallback');
    } finally {
      await admin.client.config('SET', 'maxmemory', '0');
    }
    await until(() => link.mode === 'connected');
    expect(link.mode).toBe('connected');
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
