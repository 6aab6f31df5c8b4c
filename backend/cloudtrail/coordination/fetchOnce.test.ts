import { fetchOnce } from './fetchOnce';
import { RedisBucketStore } from './redis/redisBucketStore';
import { RedisFetchLock } from './redis/redisFetchLock';
import { redisForEachTest } from './redis/testing/replicas';
import type { StoredSeries } from './types';

jest.setTimeout(30_000);

const t = redisForEachTest();

const key = { id: 'series-a' };
const result: StoredSeries = {
  period: 60,
  range: { startMs: 0, endMs: 120_000 },
  fetchedAtMs: 120_000,
  points: { timestamps: [0, 60_000], values: [1, 2] },
};

/** A replica whose "call" takes `callMs` and publishes its result to the shared store. */
function replica(env: Record<string, string> = {}, callMs = 300) {
  const link = t.open(env);
  const store = new RedisBucketStore(link);
  const locks = new RedisFetchLock(link);
  const calls = { count: 0 };
  const run = () =>
    fetchOnce(locks, key, {
      served: async () => (await store.read(key)) !== undefined,
      fetch: async () => {
        calls.count++;
        await new Promise((r) => setTimeout(r, callMs));
        await store.write(key, result);
        return 'fetched';
      },
      deadlineMs: () => Date.now() + 10_000,
      onTimeout: () => new Error('timed out waiting'),
    });
  return { link, run, calls };
}

describe('fetchOnce', () => {
  it('makes one call when three replicas miss the same series at once', async () => {
    const replicas = [replica(), replica(), replica()];
    const answers = await Promise.all(replicas.map((r) => r.run()));
    expect(replicas.map((r) => r.calls.count).reduce((a, b) => a + b)).toBe(1);
    expect(answers.filter((a) => !a.served)).toHaveLength(1);
  });

  it("takes over after the lock's lifetime when the replica holding it died", async () => {
    const env = { CLOUDTRAIL_REDIS_LOCK_MS: '1500' };
    const holder = replica(env, 2_500);
    const other = replica(env);
    const killed = holder.run().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    expect(holder.calls.count).toBe(1);
    // Killed mid-call: no renewals, no release, no result.
    await holder.link.close();
    const started = Date.now();
    expect(await other.run()).toEqual({ served: false, value: 'fetched' });
    expect(other.calls.count).toBe(1);
    // The lock was renewed every 500 ms until the kill, so about a second of it was left.
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    await killed;
  });

  it("stops waiting at the caller's deadline with the caller's error", async () => {
    const holder = replica({}, 1_500);
    const waiting = t.open();
    const holding = holder.run();
    await new Promise((r) => setTimeout(r, 100));
    const deadline = Date.now() + 300;
    await expect(
      fetchOnce(new RedisFetchLock(waiting), key, {
        served: async () => false,
        fetch: async () => 'never',
        deadlineMs: () => deadline,
        onTimeout: () => new Error('the query reached its deadline while another replica fetched this series'),
      })
    ).rejects.toThrow('another replica fetched this series');
    expect(Date.now()).toBeLessThan(deadline + 1_000);
    await holding;
  });
});
