import { RedisFetchLock } from './redisFetchLock';
import { redisForEachTest } from './testing/replicas';

jest.setTimeout(30_000);

const t = redisForEachTest();

const key = { id: 'series-1' };

describe('RedisFetchLock', () => {
  it('lets one replica fetch a series while the other waits, until it releases', async () => {
    const a = new RedisFetchLock(t.open());
    const b = new RedisFetchLock(t.open());
    const first = await a.tryAcquire(key);
    expect(first.acquired).toBe(true);
    const second = await b.tryAcquire(key);
    expect(second).toEqual({ acquired: false, retryInMs: expect.any(Number) });
    expect(await b.tryAcquire({ id: 'series-2' })).toMatchObject({ acquired: true });
    if (first.acquired) {
      await first.handle.release();
    }
    expect(await b.tryAcquire(key)).toMatchObject({ acquired: true });
  });

  it('renews the lock while its owner lives, past its lifetime', async () => {
    const env = { CLOUDTRAIL_REDIS_LOCK_MS: '900' };
    const a = new RedisFetchLock(t.open(env));
    const b = new RedisFetchLock(t.open(env));
    expect((await a.tryAcquire(key)).acquired).toBe(true);
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await b.tryAcquire(key)).acquired).toBe(false);
  });

  it("frees the lock of a replica that died after the lock's lifetime", async () => {
    const env = { CLOUDTRAIL_REDIS_LOCK_MS: '300' };
    const ownerLink = t.open(env);
    const a = new RedisFetchLock(ownerLink);
    const b = new RedisFetchLock(t.open(env));
    expect((await a.tryAcquire(key)).acquired).toBe(true);
    // The owner's process is gone: no renewals, no release.
    await ownerLink.close();
    expect((await b.tryAcquire(key)).acquired).toBe(false);
    await new Promise((r) => setTimeout(r, 400));
    expect((await b.tryAcquire(key)).acquired).toBe(true);
  });

  it("does not drop another owner's lock on a late release", async () => {
    const env = { CLOUDTRAIL_REDIS_LOCK_MS: '200' };
    const aLink = t.open(env);
    const a = new RedisFetchLock(aLink);
    const b = new RedisFetchLock(t.open(env));
    const c = new RedisFetchLock(t.open(env));
    const stale = await a.tryAcquire(key);
    // a stalls (its renewals cannot reach Redis), its lock expires and b takes over.
    aLink.client.disconnect();
    await new Promise((r) => setTimeout(r, 300));
    expect((await b.tryAcquire(key)).acquired).toBe(true);
    await aLink.client.connect();
    if (stale.acquired) {
      await stale.handle.release();
    }
    expect((await c.tryAcquire(key)).acquired).toBe(false);
  });

  it('lets every fetch go ahead while Redis is down', async () => {
    const a = new RedisFetchLock(t.open());
    const b = new RedisFetchLock(t.open());
    expect((await a.tryAcquire(key)).acquired).toBe(true);
    await t.redis.stop();
    try {
      expect((await b.tryAcquire(key)).acquired).toBe(true);
    } finally {
      await t.redis.start();
    }
  });
});
