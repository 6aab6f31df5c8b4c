import { SeriesCache } from './seriesCache';
import { RedisBucketStore } from '../coordination/redis/redisBucketStore';
import { RedisFetchLock } from '../coordination/redis/redisFetchLock';
import { ReplicatedSeries } from './replicatedSeries';
import { redisForEachTest } from '../coordination/redis/testing/replicas';

jest.setTimeout(30_000);

const t = redisForEachTest();

const MINUTE = 60_000;
const NOW = Date.UTC(2026, 11, 1, 12, 0, 30);
const key = { id: 'account:123456789012|us-east-1|aws|series|s3|GetObject|ApiCallRateInsight||||60|FillWithZeros' };
const want = { startMs: NOW - 30_000 - 60 * MINUTE, endMs: NOW - 30_000 + MINUTE };

/** A replica: its own connection, series cache and a "call" that fills the cache as the fetcher would. */
function replica(clock: { now: number }) {
  const link = t.open();
  const coordination = { buckets: new RedisBucketStore(link), locks: new RedisFetchLock(link) };
  const cache = new SeriesCache();
  const shared = new ReplicatedSeries(coordination, cache, () => clock.now);
  const calls = { count: 0 };
  const fetchInto = async () => {
    calls.count++;
    await new Promise((r) => setTimeout(r, 200));
    const timestamps = Array.from({ length: 61 }, (_, i) => want.startMs + i * MINUTE);
    cache.store(key, 60, want, clock.now, { timestamps, values: timestamps.map((_, i) => i) });
    return 'fetched';
  };
  const get = () =>
    shared.once(key, () => want, {
      fetch: fetchInto,
      deadlineMs: () => Date.now() + 10_000,
      onTimeout: () => new Error('timeout'),
    });
  return { cache, shared, calls, get };
}

describe('ReplicatedSeries', () => {
  it('serves a series another replica fetched from the shared store, with its fetch time', async () => {
    const clock = { now: NOW };
    const a = replica(clock);
    const b = replica(clock);
    const [first, second] = await Promise.all([a.get(), b.get()]);
    expect([first.served, second.served].sort()).toEqual([false, true]);
    expect(a.calls.count + b.calls.count).toBe(1);
    const lookA = a.cache.lookup(key, want, clock.now);
    const lookB = b.cache.lookup(key, want, clock.now);
    expect(lookB).toEqual(lookA);
    expect(lookB.hit).toBe(true);
  });

  it('keeps the freshness rule across replicas: the newest bucket is refetched after its window', async () => {
    const clock = { now: NOW };
    const a = replica(clock);
    await a.get();
    clock.now = NOW + 61_000;
    const late = replica(clock);
    // The store has the series, but its newest bucket was read 61 s ago: not served, fetched.
    expect(await late.get()).toEqual({ served: false, value: 'fetched' });
  });

  it('a restarted replica (empty memory) comes back warm', async () => {
    const clock = { now: NOW };
    await replica(clock).get();
    const restarted = replica(clock);
    expect(await restarted.get()).toEqual({ served: true });
    expect(restarted.calls.count).toBe(0);
  });
});
