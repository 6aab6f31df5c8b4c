import { RedisRefreshLeases } from './redisRefreshLeases';
import { redisForEachTest } from './testing/replicas';

jest.setTimeout(30_000);

const t = redisForEachTest();
const scope = { id: 'account:111122223333|us-east-1|aws' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RedisRefreshLeases (real redis-server)', () => {
  it('gives each account and region to one replica, which keeps it while it renews', async () => {
    const env = { CLOUDTRAIL_REDIS_LOCK_MS: '600' };
    const a = new RedisRefreshLeases(t.open(env));
    const b = new RedisRefreshLeases(t.open(env));
    expect(await a.claim(scope)).toEqual({ state: 'held' });
    expect(await b.claim(scope)).toEqual({ state: 'elsewhere' });
    expect(await b.claim({ id: 'account:111122223333|eu-west-1|aws' })).toEqual({ state: 'held' });
    // Renewed at every tick, well past its lifetime.
    for (let i = 0; i < 6; i++) {
      await sleep(200);
      expect(await a.claim(scope)).toEqual({ state: 'held' });
      expect(await b.claim(scope)).toEqual({ state: 'elsewhere' });
    }
  });

  it('hands over after the lifetime when the holder dies, and at once when it lets go', async () => {
    const env = { CLOUDTRAIL_REDIS_LOCK_MS: '400' };
    const holderLink = t.open(env);
    const a = new RedisRefreshLeases(holderLink);
    const b = new RedisRefreshLeases(t.open(env));
    const c = new RedisRefreshLeases(t.open(env));
    expect((await a.claim(scope)).state).toBe('held');
    await holderLink.close();
    expect((await b.claim(scope)).state).toBe('elsewhere');
    await sleep(500);
    expect((await b.claim(scope)).state).toBe('held');
    // A late release by someone else does not drop b's lease; b's own release does.
    await c.release(scope);
    expect((await c.claim(scope)).state).toBe('elsewhere');
    await b.release(scope);
    expect((await c.claim(scope)).state).toBe('held');
  });

  it('claims nothing while Redis is down (each replica keeps its own cache warm at its fallback share)', async () => {
    const env = { CLOUDTRAIL_REPLICAS: '4' };
    const a = new RedisRefreshLeases(t.open(env));
    const b = new RedisRefreshLeases(t.open(env));
    expect((await a.claim(scope)).state).toBe('held');
    await t.redis.stop();
    try {
      expect(await a.claim(scope)).toEqual({ state: 'local', quotaShare: 0.25 });
      expect(await b.claim(scope)).toEqual({ state: 'local', quotaShare: 0.25 });
    } finally {
      await t.redis.start();
    }
  });
});
