/**
 * Grafana HA end to end: built backend processes (the replicas) over gRPC, the simulator at its
 * real quotas, and a real redis-server that the tests stop, restart and outlive replicas with.
 */
import { startSimulator, type RunningSimulator, type SeriesInfo } from '../../../simulator';
import { startRedisServer, type RunningRedis } from '../coordination/redis/testing/redisServer';
import { startRedisCluster } from '../coordination/redis/testing/redisCluster';
import { eventsTableQuery, HOUR_MS, PluginUnderTest, seriesQuery, type DataSourceConfig } from './harness';
import { keysDataSource } from './stack';

jest.setTimeout(120_000);

const KEYS = { accessKeyId: 'AKIDHAE2E0000001', secretAccessKey: 'ha-e2e-secret-4b1d' };

let sim: RunningSimulator;
let redis: RunningRedis;
let ds: DataSourceConfig;
let series: SeriesInfo[];
const replicas: PluginUnderTest[] = [];
let prefixCounter = 0;

beforeAll(async () => {
  sim = await startSimulator({ seed: 'ha-e2e', credentials: [KEYS] });
  redis = await startRedisServer();
  ds = keysDataSource(sim.url, KEYS);
  series = sim.catalog('us-east-1').series.slice(0, 8);
});
afterEach(async () => {
  sim.setFaults({ slowMs: 0 });
  await Promise.all(replicas.splice(0).map((r) => r.stop().catch(() => undefined)));
});
afterAll(async () => {
  await redis?.stop();
  await sim?.stop();
});

/** A replica on the shared Redis (its own key prefix per test, so tests do not share a cache). */
async function replica(prefix: string, env: Record<string, string> = {}): Promise<PluginUnderTest> {
  const plugin = await PluginUnderTest.launch({
    CLOUDTRAIL_REDIS_URL: redis.url,
    CLOUDTRAIL_REDIS_PREFIX: prefix,
    CLOUDTRAIL_REPLICAS: '2',
    ...env,
  });
  replicas.push(plugin);
  return plugin;
}

const nextPrefix = () => `ha-e2e-${++prefixCounter}:`;

function query(s: SeriesInfo, refId = 'A') {
  const now = Date.now();
  return { refId, json: seriesQuery(s), fromMs: now - 6 * HOUR_MS, toMs: now, intervalMs: 300_000 };
}

async function metric(plugin: PluginUnderTest, name: string): Promise<number> {
  const text = await plugin.metricsText();
  return Number(new RegExp(`^${name} ([\\d.e+-]+)$`, 'm').exec(text)?.[1] ?? NaN);
}

const warnings = (plugin: PluginUnderTest) =>
  plugin.plugin
    .stderr()
    .split('\n')
    .filter((line) => line.includes('"@level":"warn"') && line.includes('Redis unreachable'));

test('two replicas: one call per series, the health check names Redis, and Redis holds no credentials', async () => {
  const prefix = nextPrefix();
  const [a, b] = [await replica(prefix), await replica(prefix)];
  sim.resetCounts();
  const q = query(series[0]);
  const [fromA, fromB] = await Promise.all([a.query(ds, [q]), b.query(ds, [q])]);
  expect([fromA.A.error, fromB.A.error]).toEqual(['', '']);
  expect(fromB.A.frames[0].fields[1].values).toEqual(fromA.A.frames[0].fields[1].values);
  expect(sim.calls().ListInsightsMetricData).toBe(1);

  const health = await a.health(ds);
  expect(health.message).toContain(`shared quota and cache: Redis at 127.0.0.1:${redis.port} reachable`);

  const { default: Redis } = await import('ioredis');
  const client = new Redis(redis.port, '127.0.0.1');
  try {
    const keys = await client.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    const dump = [...keys];
    for (const key of keys) {
      const type = await client.type(key);
      if (type === 'hash') {
        dump.push(...(await client.hgetallBuffer(key).then((h) => Object.values(h).map((v) => v.toString('latin1')))));
      } else if (type === 'string') {
        dump.push((await client.getBuffer(key))?.toString('latin1') ?? '');
      } else if (type === 'zset') {
        dump.push(...(await client.zrange(key, 0, -1)));
      }
    }
    const text = dump.join('\n');
    for (const secret of [KEYS.accessKeyId, KEYS.secretAccessKey, sim.url]) {
      expect(text).not.toContain(secret);
    }
  } finally {
    client.disconnect();
  }
});

test('Insights events: one LookupEvents listing for all replicas, the same rows on each', async () => {
  const q = eventsTableQuery(Date.now());
  const ids = (answer: Record<string, { frames: Array<{ fields: Array<{ name: string; values: unknown[] }> }> }>) =>
    answer.E.frames[0].fields.find((f) => f.name === 'eventId')!.values;
  // What one replica alone spends: its access proof (one LookupEvents of one event, every
  // replica makes its own before it reads anything shared) and the listing's pages.
  sim.resetCounts();
  const alone = await (await replica(nextPrefix())).query(ds, [q]);
  const proofAndListing = sim.calls().LookupEvents;
  expect(proofAndListing).toBeGreaterThan(2);

  const prefix = nextPrefix();
  const [a, b] = [await replica(prefix), await replica(prefix)];
  sim.resetCounts();
  // At once: one replica lists (paged, 2 calls per second), the other waits for its list.
  const [fromA, fromB] = await Promise.all([a.query(ds, [q]), b.query(ds, [q])]);
  expect([fromA.E.error, fromB.E.error]).toEqual(['', '']);
  expect(sim.calls().LookupEvents).toBe(proofAndListing + 1);
  expect(ids(fromA).length).toBeGreaterThan(0);
  expect(ids(fromA)).toEqual(ids(alone));
  expect(ids(fromB)).toEqual(ids(fromA));
  // A replica that starts later reads the stored list: only its own proof.
  const fromC = await (await replica(prefix)).query(ds, [q]);
  expect(ids(fromC)).toEqual(ids(fromA));
  expect(sim.calls().LookupEvents).toBe(proofAndListing + 2);
  expect(sim.throttled().LookupEvents ?? 0).toBe(0);

  const { default: Redis } = await import('ioredis');
  const client = new Redis(redis.port, '127.0.0.1');
  try {
    const [stored] = await client.keys(`${prefix}insights:*`);
    const text = (await client.get(stored)) ?? '';
    expect(text).toContain(String(ids(fromA)[0]));
    for (const secret of [KEYS.accessKeyId, KEYS.secretAccessKey, sim.url]) {
      expect(text).not.toContain(secret);
    }
  } finally {
    client.disconnect();
  }
});

test('Redis stopped mid-burst: every query still answers, one warning; Redis back: shared again', async () => {
  const a = await replica(nextPrefix());
  const burst = Promise.all(series.map((s, i) => a.query(ds, [query(s, `Q${i}`)])));
  // A few calls in (1 per second), Redis goes away.
  await new Promise((r) => setTimeout(r, 2_500));
  await redis.stop();
  let answers: Array<Record<string, { error: string }>>;
  try {
    answers = await burst;
  } finally {
    await redis.start();
  }
  expect(answers.map((a, i) => a[`Q${i}`].error)).toEqual(series.map(() => ''));
  expect(await a.alive()).toBe(true);
  expect(await metric(a, 'cloudtrail_insights_redis_coordinated')).toBe(0);
  expect(warnings(a)).toHaveLength(1);

  const deadline = Date.now() + 15_000;
  while ((await metric(a, 'cloudtrail_insights_redis_coordinated')) !== 1 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(await metric(a, 'cloudtrail_insights_redis_coordinated')).toBe(1);
  expect(await metric(a, 'cloudtrail_insights_redis_fallbacks_total')).toBe(1);
  expect(warnings(a)).toHaveLength(1);
  expect((await a.health(ds)).message).toContain('reachable');
});

test("a replica killed while holding a fetch lock: another takes over after the lock's lifetime", async () => {
  const prefix = nextPrefix();
  const env = { CLOUDTRAIL_REDIS_LOCK_MS: '1500' };
  const [a, b] = [await replica(prefix, env), await replica(prefix, env)];
  // Both have proven their account (STS) already, so the next call of A is the series fetch.
  await Promise.all([a.query(ds, [query(series[1])]), b.query(ds, [query(series[2])])]);
  sim.resetCounts();
  sim.setFaults({ slowMs: 60_000 });
  const hanging = a.query(ds, [query(series[3])]).catch(() => undefined);
  const sentBy = Date.now() + 10_000;
  while (!sim.calls().ListInsightsMetricData && Date.now() < sentBy) {
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(sim.calls().ListInsightsMetricData).toBe(1);
  // A holds the lock with its call in flight; now it dies without releasing it.
  a.plugin.child.kill('SIGKILL');
  await hanging;
  sim.setFaults({ slowMs: 0 });

  const answer = await b.query(ds, [query(series[3])]);
  expect(answer.A.error).toBe('');
  expect(answer.A.frames[0].meta?.custom?.source).toBe('fetched');
  expect(sim.calls().ListInsightsMetricData).toBe(2);
  expect(await metric(b, 'cloudtrail_insights_fetch_lock_waits_total')).toBe(1);
});

test('background refresh: one replica holds the lease and tracks the series asked on every replica; the health check says so', async () => {
  const prefix = nextPrefix();
  const [a, b] = [await replica(prefix), await replica(prefix)];
  // Each replica's users ask for their own series.
  await a.query(ds, [query(series[4])]);
  await b.query(ds, [query(series[5])]);
  const settled = Date.now() + 15_000;
  let held: number[] = [];
  let tracked: number[] = [];
  // The lease is claimed within a tick; the holder reads the shared work list every 5 s.
  while (Date.now() < settled) {
    held = [
      await metric(a, 'cloudtrail_insights_refresh_leases_held'),
      await metric(b, 'cloudtrail_insights_refresh_leases_held'),
    ];
    tracked = [
      await metric(a, 'cloudtrail_insights_refresh_series_tracked'),
      await metric(b, 'cloudtrail_insights_refresh_series_tracked'),
    ];
    if (held[0] + held[1] === 1 && Math.max(...tracked) === 2) {
      break;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  expect([...held].sort()).toEqual([0, 1]);
  const [holder, other] = held[0] === 1 ? [a, b] : [b, a];
  expect(await metric(holder, 'cloudtrail_insights_refresh_series_tracked')).toBe(2);
  expect((await holder.health(ds)).details.refresh).toMatch(
    /^background refresh: on, at most 50% of each ListInsightsMetricData quota \(30 calls\/min per account and region, CLOUDTRAIL_REFRESH_SHARE=0 turns it off\).* 2 series tracked in 1 account\/region\(s\), \d+ background calls in the last minute/
  );
  expect((await other.health(ds)).details.refresh).toContain(
    "this replica refreshes 0 of 1 (the others: another replica's lease)"
  );
});

test('a Redis Cluster named by one node (grafana.ini settings): 3 replicas × the same 10 series cost 10 calls; the secret appears nowhere', async () => {
  const cluster = await startRedisCluster({ masters: 3 });
  const SECRET = 'ha-e2e-replication-secret-7Qe2';
  try {
    const env = {
      GF_PLUGIN_REDIS_URL: cluster.url,
      GF_PLUGIN_REDIS_SHARED_SECRET: SECRET,
      GF_PLUGIN_REDIS_PREFIX: nextPrefix(),
      GF_PLUGIN_REPLICAS: '3',
    };
    const three = await Promise.all([0, 1, 2].map(() => PluginUnderTest.launch(env)));
    replicas.push(...three);
    const ten = sim.catalog('us-east-1').series.slice(10, 20);
    // Every replica proves the account first (STS, one LookupEvents): not ListInsightsMetricData.
    await Promise.all(three.map((r) => r.health(ds)));
    sim.resetCounts();
    const answers = await Promise.all(
      three.flatMap((r) => ten.map((s, i) => r.query(ds, [query(s, `Q${i}`)]).then((a) => a[`Q${i}`].error)))
    );
    expect(answers).toEqual(answers.map(() => ''));
    expect(sim.calls().ListInsightsMetricData).toBe(10);
    expect(sim.throttled().ListInsightsMetricData ?? 0).toBe(0);

    const health = await three[0].health(ds);
    expect(health.message).toContain(
      `shared quota and cache: Redis Cluster at 127.0.0.1:${cluster.nodes[0].port} (3 masters) reachable; replicated values carry a MAC keyed by redis_shared_secret (CLOUDTRAIL_REDIS_SHARED_SECRET)`
    );
    const seen = [
      JSON.stringify(health),
      ...(await Promise.all(three.map((r) => r.metricsText()))),
      ...three.map((r) => r.plugin.stderr()),
    ];
    for (const node of await cluster.masters()) {
      const client = cluster.client(node);
      try {
        await client.connect();
        for (const key of await client.keys(`${env.GF_PLUGIN_REDIS_PREFIX}*`)) {
          seen.push(key, JSON.stringify(await client.dump(key)));
        }
      } finally {
        client.disconnect();
      }
    }
    expect(seen.join('\n')).not.toContain(SECRET);
  } finally {
    await Promise.all(replicas.splice(0).map((r) => r.stop().catch(() => undefined)));
    await cluster.stop();
  }
});
