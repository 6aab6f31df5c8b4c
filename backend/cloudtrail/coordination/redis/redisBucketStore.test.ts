import { DAY_MS, HOUR_MS, RETENTION_MS } from '../../../../src/shared/retention';
import { RedisBucketStore } from './redisBucketStore';
import { redisKey } from './redisKeys';
import { redisForEachTest } from './testing/replicas';
import type { StoredSeries } from '../types';

jest.setTimeout(30_000);

const t = redisForEachTest();

const key = { id: 'account=123456789012|region=eu-west-1|eventSource=s3.amazonaws.com|period=300' };
const start = Date.UTC(2026, 11, 1);
const series: StoredSeries = {
  period: 300,
  range: { startMs: start, endMs: start + HOUR_MS },
  fetchedAtMs: start + HOUR_MS - 1_000,
  points: { timestamps: [start, start + 300_000, start + 600_000], values: [0, 2.5, 17] },
};

describe('RedisBucketStore', () => {
  it('gives one replica what another stored', async () => {
    const a = new RedisBucketStore(t.open());
    const b = new RedisBucketStore(t.open());
    expect(await b.read(key)).toBeUndefined();
    await a.write(key, series);
    expect(await b.read(key)).toEqual(series);
  });

  it("keeps a series for its period's retention, under a key that names nothing but a hash", async () => {
    const link = t.open();
    await new RedisBucketStore(link).write(key, series);
    const keys = await link.client.keys(`${t.prefix}*`);
    expect(keys).toEqual([redisKey(t.prefix, 'series', key)]);
    expect(keys[0]).not.toMatch(/123456789012|eu-west-1|s3/);
    const ttl = await link.client.pttl(keys[0]);
    expect(ttl).toBeGreaterThan(RETENTION_MS[300]);
    expect(ttl).toBeLessThanOrEqual(RETENTION_MS[300] + HOUR_MS);
    expect(RETENTION_MS[300]).toBe(63 * DAY_MS);
  });

  it('treats damaged or foreign values as a miss, never as data', async () => {
    const link = t.open();
    const store = new RedisBucketStore(link);
    const name = redisKey(t.prefix, 'series', key);
    await store.write(key, series);
    await link.client.hset(name, 'points', Buffer.from('not a multiple of 16'));
    expect(await store.read(key)).toBeUndefined();
    await store.write(key, series);
    await link.client.hset(name, 'meta', '{"v":99}');
    expect(await store.read(key)).toBeUndefined();
    const nan = Buffer.alloc(16);
    nan.writeDoubleLE(start, 0);
    nan.writeDoubleLE(NaN, 8);
    await store.write(key, series);
    await link.client.hset(name, 'points', nan);
    expect(await store.read(key)).toBeUndefined();
  });

  it('is a miss, not an error, while Redis is down, and works again after a restart (empty)', async () => {
    const link = t.open();
    const store = new RedisBucketStore(link);
    await store.write(key, series);
    await t.redis.stop();
    try {
      expect(await store.read(key)).toBeUndefined();
      await expect(store.write(key, series)).resolves.toBeUndefined();
    } finally {
      await t.redis.start();
    }
    const deadline = Date.now() + 10_000;
    while (link.mode !== 'connected' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await store.read(key)).toBeUndefined();
    await store.write(key, series);
    expect(await store.read(key)).toEqual(series);
  });
});
