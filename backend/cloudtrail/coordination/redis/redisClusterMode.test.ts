/**
 * Redis Cluster (issue 24): a real cluster of Debian redis-servers (3 masters, each with a
 * replica) made by `redis-cli --cluster create`, three in-process replicas of the plugin, the
 * simulator at its real quota of 1 call per second.
 */
import { logger } from '../../../sdk/logger';
import { redisConfig } from './redisConfig';
import { RedisInsightLists } from './redisInsightLists';
import { RedisLink } from './redisLink';
import { RedisRefreshLeases } from './redisRefreshLeases';
import { RedisSeriesTracking } from './redisSeriesTracking';
import { replicaBurst, startUpstream, type Upstream } from '../../testing/replicaBurst';
import { startRedisCluster, type RunningCluster } from './testing/redisCluster';

jest.setTimeout(120_000);

let cluster: RunningCluster;
let upstream: Upstream;
let prefixes = 0;
const nextPrefix = () => `cluster-test-${++prefixes}:`;

beforeAll(async () => {
  [cluster, upstream] = await Promise.all([
    startRedisCluster({ masters: 3, replicasPerMaster: 1 }),
    startUpstream('redis-cluster'),
  ]);
});
afterAll(async () => {
  await upstream?.stop();
  await cluster?.stop();
});

let warn: jest.SpyInstance;
beforeEach(() => {
  warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

const threeReplicas = (env: Record<string, string>) => Promise.all([0, 1, 2].map(() => upstream.replica(env)));

test('CLOUDTRAIL_REDIS_URL naming one node, cluster mode asked of it: 3 replicas × 10 series cost 10 calls, 0 errors, 0 throttled', async () => {
  const prefix = nextPrefix();
  const replicas = await threeReplicas({ CLOUDTRAIL_REDIS_URL: cluster.url, CLOUDTRAIL_REDIS_PREFIX: prefix });
  const series = upstream.freshSeries(10);
  const outcome = await replicaBurst(upstream, replicas, series);
  expect(outcome.errors).toEqual(outcome.errors.map(() => ''));
  expect({ calls: outcome.calls, throttled: outcome.throttled }).toEqual({ calls: 10, throttled: 0 });
  expect(outcome.perSeries).toEqual(series.map(() => 1));
  const health = await replicas[0].health();
  expect(health.message).toContain(
    `shared quota and cache: Redis Cluster at 127.0.0.1:${cluster.nodes[0].port} (3 masters) reachable`
  );
  expect(warn).not.toHaveBeenCalled();

  // Every key this run wrote expires (each master scanned).
  const keys: Array<{ key: string; ttl: number }> = [];
  for (const master of await cluster.masters()) {
    const client = cluster.client(master);
    try {
      for (const key of await client.keys(`${prefix}*`)) {
        keys.push({ key, ttl: await client.pttl(key) });
      }
    } finally {
      client.disconnect();
    }
  }
  expect(keys.length).toBeGreaterThan(10);
  expect(keys.filter((k) => !(k.ttl > 0))).toEqual([]);
});

test('a master killed mid-run: no query error, at most one extra call per series', async () => {
  const replicas = await threeReplicas({
    CLOUDTRAIL_REDIS_URL: cluster.url,
    CLOUDTRAIL_REDIS_CLUSTER: 'true',
    CLOUDTRAIL_REDIS_PREFIX: nextPrefix(),
  });
  const series = upstream.freshSeries(10);
  const outcome = await replicaBurst(upstream, replicas, series, {
    midRun: { atMs: 3_500, action: () => cluster.killMaster() },
  });
  expect(outcome.errors).toEqual(outcome.errors.map(() => ''));
  expect(Math.max(...outcome.answeredPerSeries)).toBeLessThanOrEqual(2);
  expect(Math.min(...outcome.answeredPerSeries)).toBe(1);
  expect(outcome.calls).toBeLessThanOrEqual(2 * series.length);
  await cluster.healthy();
  // Shared again once a replica took over the killed master's slots.
  const deadline = Date.now() + 10_000;
  while (!(await replicas[0].health()).message.includes('reachable;') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
  expect((await replicas[0].health()).message).toContain('(3 masters) reachable');
});

test('the work list, refresh leases and Insights lists work on the Cluster too (keys of many slots)', async () => {
  const prefix = nextPrefix();
  // A live node: the first one may be the master the test above killed.
  const [node] = await cluster.masters();
  const open = () => new RedisLink(redisConfig({ CLOUDTRAIL_REDIS_URL: node.url, CLOUDTRAIL_REDIS_PREFIX: prefix })!);
  const [a, b] = [open(), open()];
  try {
    const scopes = Array.from({ length: 20 }, (_, i) => ({
      id: `account:1234567890${String(i).padStart(2, '0')}|us-east-1|aws`,
    }));
    const now = Date.now();
    const tracking = new RedisSeriesTracking(a);
    const leasesA = new RedisRefreshLeases(a);
    const leasesB = new RedisRefreshLeases(b);
    const lists = new RedisInsightLists(a);
    for (const scope of scopes) {
      await tracking.note(scope, [{ member: `series of ${scope.id}`, askedAtMs: now }], {
        oldestMs: now - 60_000,
        max: 10,
        ttlMs: 60_000,
      });
      expect(await tracking.list(scope, now - 60_000, 10)).toEqual([
        { member: `series of ${scope.id}`, askedAtMs: now },
      ]);
      expect(await leasesA.claim(scope)).toEqual({ state: 'held' });
      expect(await leasesB.claim(scope)).toEqual({ state: 'elsewhere' });
      const list = { insights: [], fetchedAtMs: now, truncated: false, pages: 1 };
      await lists.write(scope, list);
      expect(await lists.read(scope)).toEqual(list);
    }
    expect([a.mode, b.mode]).toEqual(['connected', 'connected']);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});
