/**
 * Redis Sentinel (issue 24): a real master, a replica and a Sentinel (Debian's redis-server, both
 * data nodes and the Sentinel password-protected), three in-process replicas of the plugin
 * configured with CLOUDTRAIL_REDIS_SENTINELS, the simulator allowing 2 calls per second (the
 * plugin's quota set to match: without the shared line, 3 replicas would make 6).
 */
import { logger } from '../../../sdk/logger';
import { replicaBurst, startUpstream, type Upstream } from '../../testing/replicaBurst';
import { startRedisSentinel, type RunningSentinel } from './testing/redisSentinel';

jest.setTimeout(120_000);

const PASSWORD = 'sentinel-data-pw-2b7e';
const SENTINEL_PASSWORD = 'sentinel-own-pw-81d0';

let sentinel: RunningSentinel;
let upstream: Upstream;
let prefixes = 0;

beforeAll(async () => {
  [sentinel, upstream] = await Promise.all([
    startRedisSentinel({ password: PASSWORD, sentinelPassword: SENTINEL_PASSWORD }),
    startUpstream('redis-sentinel', { ListInsightsMetricData: 2 }),
  ]);
});
afterAll(async () => {
  await upstream?.stop();
  await sentinel?.stop();
});

let warn: jest.SpyInstance;
beforeEach(() => {
  warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

/** grafana.ini spelling (GF_PLUGIN_*), as Grafana hands [plugin.<id>] keys to the plugin. */
const settings = (extra: Record<string, string> = {}) => ({
  GF_PLUGIN_QUOTAS: 'ListInsightsMetricData=2',
  GF_PLUGIN_REDIS_SENTINELS: `127.0.0.1:${sentinel.port}`,
  GF_PLUGIN_REDIS_SENTINEL_NAME: sentinel.name,
  GF_PLUGIN_REDIS_SENTINEL_PASSWORD: SENTINEL_PASSWORD,
  GF_PLUGIN_REDIS_PASSWORD: PASSWORD,
  GF_PLUGIN_REDIS_PREFIX: `sentinel-test-${++prefixes}:`,
  ...extra,
});

const threeReplicas = (env: Record<string, string>) => Promise.all([0, 1, 2].map(() => upstream.replica(env)));

test('3 replicas × 10 series through the master Sentinel names: 10 calls, 0 errors, 0 throttled', async () => {
  const replicas = await threeReplicas(settings());
  const series = upstream.freshSeries(10);
  const outcome = await replicaBurst(upstream, replicas, series);
  expect(outcome.errors).toEqual(outcome.errors.map(() => ''));
  expect({ calls: outcome.calls, throttled: outcome.throttled }).toEqual({ calls: 10, throttled: 0 });
  expect(outcome.perSeries).toEqual(series.map(() => 1));
  const health = await replicas[0].health();
  expect(health.message).toContain(
    `shared quota and cache: Redis master "mymaster" of Sentinel 127.0.0.1:${sentinel.port} reachable`
  );
  expect(JSON.stringify([health, warn.mock.calls])).not.toMatch(new RegExp(`${PASSWORD}|${SENTINEL_PASSWORD}`));
  expect(warn).not.toHaveBeenCalled();
});

test('the master killed mid-run: the Sentinel promotes the replica, no query error, at most one extra call per series', async () => {
  const replicas = await threeReplicas(settings());
  const series = upstream.freshSeries(10);
  let old: Awaited<ReturnType<RunningSentinel['killMaster']>> | undefined;
  const outcome = await replicaBurst(upstream, replicas, series, {
    midRun: {
      atMs: 2_000,
      action: async () => {
        old = await sentinel.killMaster();
      },
    },
  });
  expect(outcome.errors).toEqual(outcome.errors.map(() => ''));
  expect(Math.max(...outcome.answeredPerSeries)).toBeLessThanOrEqual(2);
  expect(Math.min(...outcome.answeredPerSeries)).toBe(1);
  expect(outcome.calls).toBeLessThanOrEqual(2 * series.length);
  const promoted = await sentinel.failedOver(old!);
  expect(promoted).not.toBe(old);
  // Shared again, on the promoted master.
  const deadline = Date.now() + 10_000;
  while (!(await replicas[0].health()).message.includes(' reachable;') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
  expect((await replicas[0].health()).message).toContain(`of Sentinel 127.0.0.1:${sentinel.port} reachable;`);
});

test.each<{ name: string; env: Record<string, string>; says: string }>([
  {
    name: 'a master name the Sentinel does not watch',
    env: { GF_PLUGIN_REDIS_SENTINEL_NAME: 'othermaster' },
    says: 'the Sentinels watch no master named "othermaster": check redis_sentinel_name (CLOUDTRAIL_REDIS_SENTINEL_NAME)',
  },
  {
    name: 'a wrong Sentinel password',
    env: { GF_PLUGIN_REDIS_SENTINEL_PASSWORD: 'not-the-sentinel-pw' },
    says: 'the Sentinels refused the user name or password (WRONGPASS): check redis_sentinel_password (CLOUDTRAIL_REDIS_SENTINEL_PASSWORD)',
  },
])('$name: queries answer at the local share and the health check names the setting', async ({ env, says }) => {
  const replica = await upstream.replica(settings(env));
  const [series] = upstream.freshSeries(1);
  expect((await replica.query(series)).error ?? '').toBe('');
  const health = await replica.health();
  expect(health.message).toContain('this replica uses 1/3 of each quota and its own cache until it answers: ');
  expect(health.message).toContain(says);
  expect(JSON.stringify([health, warn.mock.calls])).not.toMatch(new RegExp(`${PASSWORD}|${SENTINEL_PASSWORD}`));
});
