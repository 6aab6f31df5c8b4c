/**
 * A TLS Redis (issue 24): a real redis-server serving only TLS with a throwaway CA and an ACL user,
 * three in-process replicas of the plugin on rediss://, the simulator allowing 2 calls per second
 * (the plugin's quota set to match). Killed mid-run, it comes back empty a second later (a crashed
 * primary restarted).
 */
import { logger } from '../../../sdk/logger';
import { replicaBurst, startUpstream, type Upstream } from '../../testing/replicaBurst';
import { startRedisServer, type RunningRedis } from './testing/redisServer';
import { makeTestCertificates } from './testing/testCertificates';

jest.setTimeout(120_000);

const PASSWORD = 'tls-acl-pw-6d2a';
const acl = ['--user', 'default', 'off', '--user', 'grafana', 'on', `>${PASSWORD}`, '~*', '&*', '+@all'];

let redis: RunningRedis;
let caFile: string;
let upstream: Upstream;
let prefixes = 0;

beforeAll(async () => {
  const certificates = makeTestCertificates();
  caFile = certificates.caFile;
  [redis, upstream] = await Promise.all([
    startRedisServer({ tls: certificates, args: acl }),
    startUpstream('redis-tls', { ListInsightsMetricData: 2 }),
  ]);
});
afterAll(async () => {
  await upstream?.stop();
  await redis?.stop();
});

let warn: jest.SpyInstance;
beforeEach(() => {
  warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

const settings = () => ({
  CLOUDTRAIL_QUOTAS: 'ListInsightsMetricData=2',
  CLOUDTRAIL_REDIS_URL: redis.url.replace('rediss://', 'rediss://grafana@'),
  CLOUDTRAIL_REDIS_PASSWORD: PASSWORD,
  CLOUDTRAIL_REDIS_CA_FILE: caFile,
  CLOUDTRAIL_REDIS_PREFIX: `tls-test-${++prefixes}:`,
});

const threeReplicas = () => {
  const env = settings();
  return Promise.all([0, 1, 2].map(() => upstream.replica(env)));
};

test('3 replicas × 10 series over rediss://: 10 calls, 0 errors, 0 throttled', async () => {
  const replicas = await threeReplicas();
  const series = upstream.freshSeries(10);
  const outcome = await replicaBurst(upstream, replicas, series);
  expect(outcome.errors).toEqual(outcome.errors.map(() => ''));
  expect({ calls: outcome.calls, throttled: outcome.throttled }).toEqual({ calls: 10, throttled: 0 });
  expect(outcome.perSeries).toEqual(series.map(() => 1));
  expect((await replicas[0].health()).message).toContain(
    `shared quota and cache: Redis at 127.0.0.1:${redis.port} reachable;`
  );
  expect(warn).not.toHaveBeenCalled();
});

test('Redis killed mid-run and back a second later (empty): no query error, at most one extra call per series', async () => {
  const replicas = await threeReplicas();
  const series = upstream.freshSeries(10);
  const outcome = await replicaBurst(upstream, replicas, series, {
    midRun: {
      atMs: 2_500,
      action: async () => {
        await redis.stop();
        await new Promise((r) => setTimeout(r, 1_000));
        await redis.start();
      },
    },
  });
  expect(outcome.errors).toEqual(outcome.errors.map(() => ''));
  expect(Math.max(...outcome.answeredPerSeries)).toBeLessThanOrEqual(2);
  expect(Math.min(...outcome.answeredPerSeries)).toBe(1);
  expect(outcome.calls).toBeLessThanOrEqual(2 * series.length);
  const deadline = Date.now() + 10_000;
  while (!(await replicas[0].health()).message.includes(' reachable;') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
  expect((await replicas[0].health()).message).toContain(`Redis at 127.0.0.1:${redis.port} reachable;`);
});
