import { redisKey } from './redisKeys';
import { RedisSeriesTracking } from './redisSeriesTracking';
import { redisForEachTest } from './testing/replicas';

jest.setTimeout(30_000);

const t = redisForEachTest();
const scope = { id: 'account:111122223333|us-east-1|aws' };
const bounds = (nowMs: number, max = 100) => ({ oldestMs: nowMs - 60_000, max, ttlMs: 60_000 });

describe('RedisSeriesTracking (real redis-server)', () => {
  it('lists what every replica noted, newest first, one entry per series at its latest ask', async () => {
    const a = new RedisSeriesTracking(t.open());
    const b = new RedisSeriesTracking(t.open());
    const now = Date.now();
    await a.note(
      scope,
      [
        { member: 'A', askedAtMs: now - 3_000 },
        { member: 'B', askedAtMs: now - 2_000 },
      ],
      bounds(now)
    );
    await b.note(
      scope,
      [
        { member: 'C', askedAtMs: now - 1_000 },
        { member: 'A', askedAtMs: now },
      ],
      bounds(now)
    );
    // A late note of an older ask does not move A back.
    await b.note(scope, [{ member: 'A', askedAtMs: now - 10_000 }], bounds(now));
    expect(await a.list(scope, now - 60_000, 10)).toEqual([
      { member: 'A', askedAtMs: now },
      { member: 'C', askedAtMs: now - 1_000 },
      { member: 'B', askedAtMs: now - 2_000 },
    ]);
    expect(await b.list({ id: 'account:444455556666|us-east-1|aws' }, now - 60_000, 10)).toEqual([]);
  });

  it('is bounded in Redis: the window drops old asks, the cap the least recent, the set expires', async () => {
    const link = t.open();
    const tracking = new RedisSeriesTracking(link);
    const now = Date.now();
    const entries = Array.from({ length: 10 }, (_, i) => ({ member: `S${i}`, askedAtMs: now - 1_000 * i }));
    await tracking.note(scope, [...entries, { member: 'old', askedAtMs: now - 120_000 }], {
      oldestMs: now - 60_000,
      max: 4,
      ttlMs: 300,
    });
    const name = redisKey(t.prefix, 'tracked', scope);
    // Each member is its MAC (43 characters), a dot, then the descriptor.
    const members = await link.client.zrange(name, 0, -1);
    expect(members.map((m) => m.slice(44))).toEqual(['S3', 'S2', 'S1', 'S0']);
    expect(members.map((m) => link.seal.openText({ name, id: scope.id }, m))).toEqual(
      ['S3', 'S2', 'S1', 'S0'].map((text) => ({ text }))
    );
    expect(await link.client.pttl(name)).toBeLessThanOrEqual(300);
    await new Promise((r) => setTimeout(r, 400));
    expect(await link.client.exists(name)).toBe(0);
  });

  it('names its key by a hash only: no account id or region in Redis key names', async () => {
    const link = t.open();
    const tracking = new RedisSeriesTracking(link);
    await tracking.note(scope, [{ member: 'A', askedAtMs: Date.now() }], bounds(Date.now()));
    const keys = await link.client.keys(`${t.prefix}*`);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toMatch(/111122223333|us-east-1/);
  });

  it('answers undefined (nothing shared) while Redis is down, and notes are dropped, not thrown', async () => {
    const tracking = new RedisSeriesTracking(t.open());
    await t.redis.stop();
    try {
      await expect(tracking.note(scope, [{ member: 'A', askedAtMs: Date.now() }], bounds(Date.now()))).resolves.toBe(
        undefined
      );
      expect(await tracking.list(scope, 0, 10)).toBeUndefined();
    } finally {
      await t.redis.start();
    }
  });
});
