/**
 * The refresher across replicas, against a real redis-server and the simulator's real 1 TPS
 * quota: two "replicas" (each its own Redis connection, series cache, series source and
 * refresher, as two Grafana replicas' plugin processes) share the work list, the lease and the
 * bucket store. The cache's freshness window is shortened to 8 s so renewals come every ~3 s.
 */
import { pacingOf } from '../../pacing/quotas';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { startSimulator, type RunningSimulator } from '../../../../simulator';
import { RedisBucketStore } from '../../coordination/redis/redisBucketStore';
import { RedisFetchLock } from '../../coordination/redis/redisFetchLock';
import { RedisRefreshLeases } from '../../coordination/redis/redisRefreshLeases';
import { RedisSeriesTracking } from '../../coordination/redis/redisSeriesTracking';
import { redisForEachTest } from '../../coordination/redis/testing/replicas';
import { AccountScope, SeriesKey } from '../../core/keys';
import { RateLimiter } from '../../pacing/rateLimiter';
import { Refresher } from './refresher';
import { SeriesCache } from '../seriesCache';
import { SeriesSource, type SeriesRequest } from '../seriesSource';

jest.setTimeout(60_000);

const KEYS = { accessKeyId: 'AKIDREFRESHHA', secretAccessKey: 'refresh-ha-secret' };
const HOUR = 3_600_000;
const MINUTE = 60_000;
const t = redisForEachTest();
let sim: RunningSimulator;
let client: CloudTrailClient;
// Both replicas in one process: one limiter keeps them within the simulator's 1 call/s.
const limiter = new RateLimiter();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  sim = await startSimulator({ seed: 'refresh-ha', credentials: [KEYS] });
  client = new CloudTrailClient({ region: 'us-east-1', endpoint: sim.url, credentials: KEYS, maxAttempts: 1 });
});

afterAll(async () => {
  client.destroy();
  await sim.stop();
});

function request(index: number): SeriesRequest {
  const info = sim.catalog('us-east-1').series[index];
  const account = new AccountScope(
    { kind: 'account', accountId: sim.accountIdFor(KEYS.accessKeyId) },
    'us-east-1',
    sim.url
  );
  const params = {
    EventSource: info.eventSource,
    EventName: info.eventName,
    InsightType: info.insightType,
    Period: 60,
    DataType: 'FillWithZeros',
  } as const;
  const nowMs = Date.now();
  return {
    key: new SeriesKey(account, params),
    client,
    scope: { account, endpointLabel: sim.url },
    params,
    period: 60,
    range: { startMs: Math.floor((nowMs - HOUR) / MINUTE) * MINUTE, endMs: Math.ceil(nowMs / MINUTE) * MINUTE },
  };
}

function replica() {
  const link = t.open({ CLOUDTRAIL_REDIS_LOCK_MS: '1000' });
  const source = new SeriesSource(new SeriesCache({ freshnessMs: 8_000 }), {
    pacing: pacingOf(limiter),
    coordination: { buckets: new RedisBucketStore(link), locks: new RedisFetchLock(link) },
  });
  const refresher = new Refresher(source, {
    share: 1,
    windowMs: 2 * HOUR,
    maxSeriesPerScope: 100,
    tps: 1,
    tracking: new RedisSeriesTracking(link),
    leases: new RedisRefreshLeases(link),
    tickMs: 200,
  });
  /** A user's query on this replica, then noted as queryRunner does. */
  const ask = async (r: SeriesRequest) => {
    const result = await source.get(r, { deadlineMs: Date.now() + 20_000 }, { apiCalls: 0, retries: 0, pages: 0 });
    refresher.note(r);
    return result;
  };
  return { source, refresher, ask };
}

describe('Refresher with Redis (real redis-server, simulator at 1 TPS)', () => {
  it('one replica holds the lease, refreshes what users of EVERY replica asked for, into the shared cache; the other takes over when it goes', async () => {
    const a = replica();
    const b = replica();
    const x = request(0);
    const y = request(1);
    try {
      await a.ask(x); // asked on replica A only
      await b.ask(y); // asked on replica B only
      await sleep(12_000);
      const [holder, other] = a.refresher.leasesHeld ? [a, b] : [b, a];
      expect(holder.refresher.leasesHeld).toBe(1);
      expect(other.refresher.leasesHeld).toBe(0);
      // Renewed every ~3 s each: both series, by the holder alone.
      expect(holder.refresher.calls).toBeGreaterThanOrEqual(4);
      expect(other.refresher.calls).toBe(0);
      expect(holder.refresher.tracked).toBe(2);
      // Both replicas' users find both series fresh with no call: the holder's results are in Redis.
      const before = sim.calls().ListInsightsMetricData ?? 0;
      for (const r of [request(0), request(1)]) {
        const fromOther = await other.ask(r);
        expect(['cache', 'replicated']).toContain(fromOther.source);
        expect((await holder.ask(r)).source).toBe('cache');
      }
      expect((sim.calls().ListInsightsMetricData ?? 0) - before).toBeLessThanOrEqual(1); // at most one renewal in between

      // The holder goes away (a replica stopped): its lease expires and the other refreshes both.
      holder.refresher.dispose();
      const handedOver = other.refresher.calls;
      await sleep(8_000);
      expect(other.refresher.leasesHeld).toBe(1);
      expect(other.refresher.calls - handedOver).toBeGreaterThanOrEqual(2);
      expect(other.refresher.tracked).toBe(2);
    } finally {
      a.refresher.dispose();
      b.refresher.dispose();
    }
  });
});
