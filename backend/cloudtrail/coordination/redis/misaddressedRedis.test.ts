/**
 * A mis-addressed Redis never fails a query (issue 24): a Cluster node used as a single Redis, a
 * single Redis used as a Cluster, a wrong password, TLS on one side only, an untrusted
 * certificate, Sentinels that do not answer. Each time one in-process replica answers every
 * query at its local share of the quota (1/N, as when Redis is down), an alert rule's query
 * still goes before dashboard queries that were waiting, it switches to the fallback once (no
 * flapping), and the health check names the problem and the setting that fixes it.
 */
import { logger } from '../../../sdk/logger';
import { startUpstream, type Upstream } from '../../testing/replicaBurst';
import { startRedisCluster, type RunningCluster } from './testing/redisCluster';
import { freePort, startRedisServer, type RunningRedis } from './testing/redisServer';
import { makeTestCertificates, type TestCertificates } from './testing/testCertificates';

jest.setTimeout(60_000);

const PASSWORD = 'misaddressed-pw-93c1';
// Locally 6/3 = 2 calls per second (the simulator allows 6), so each case takes about 2 s.
const PACING = { CLOUDTRAIL_QUOTAS: 'ListInsightsMetricData=6', CLOUDTRAIL_REPLICAS: '3' };

let upstream: Upstream;
let cluster: RunningCluster;
let plain: RunningRedis;
let tls: RunningRedis;
let certificates: TestCertificates;

beforeAll(async () => {
  certificates = makeTestCertificates();
  [upstream, cluster, plain, tls] = await Promise.all([
    startUpstream('misaddressed-redis', { ListInsightsMetricData: 6 }),
    startRedisCluster({ masters: 3 }),
    startRedisServer({ args: ['--requirepass', PASSWORD] }),
    startRedisServer({ tls: makeTestCertificates() }),
  ]);
});
afterAll(async () => {
  await upstream?.stop();
  await Promise.all([cluster?.stop(), plain?.stop(), tls?.stop()]);
});

interface Case {
  name: string;
  env: () => Record<string, string>;
  /** What the health check says, naming the setting. */
  says: RegExp;
}

const cases: Case[] = [
  {
    name: 'a Redis Cluster node with CLOUDTRAIL_REDIS_CLUSTER=false',
    env: () => ({ CLOUDTRAIL_REDIS_URL: cluster.url, CLOUDTRAIL_REDIS_CLUSTER: 'false' }),
    says: /is a Redis Cluster node, but redis_cluster \(CLOUDTRAIL_REDIS_CLUSTER\) is false: set it to true/,
  },
  {
    name: 'a single Redis with CLOUDTRAIL_REDIS_CLUSTER=true',
    env: () => ({
      CLOUDTRAIL_REDIS_URL: plain.url,
      CLOUDTRAIL_REDIS_PASSWORD: PASSWORD,
      CLOUDTRAIL_REDIS_CLUSTER: 'true',
    }),
    says: /is not a Redis Cluster \(its cluster support is disabled\): remove redis_cluster \(CLOUDTRAIL_REDIS_CLUSTER\)/,
  },
  {
    name: 'a wrong password',
    env: () => ({ CLOUDTRAIL_REDIS_URL: plain.url, CLOUDTRAIL_REDIS_PASSWORD: `${PASSWORD}-wrong` }),
    says: /Redis refused the user name or password \(WRONGPASS\): check redis_password \(CLOUDTRAIL_REDIS_PASSWORD\)/,
  },
  {
    name: 'no password where one is required',
    env: () => ({ CLOUDTRAIL_REDIS_URL: plain.url }),
    says: /Redis asked for a password \(NOAUTH\): check redis_password \(CLOUDTRAIL_REDIS_PASSWORD\)/,
  },
  {
    name: 'rediss:// to a Redis without TLS',
    env: () => ({
      CLOUDTRAIL_REDIS_URL: plain.url.replace('redis://', 'rediss://'),
      CLOUDTRAIL_REDIS_PASSWORD: PASSWORD,
    }),
    says: /did not complete a TLS handshake .*use redis:\/\/ in redis_url \(CLOUDTRAIL_REDIS_URL\)/,
  },
  {
    name: 'redis:// to a Redis that requires TLS',
    env: () => ({ CLOUDTRAIL_REDIS_URL: tls.url.replace('rediss://', 'redis://') }),
    says: /reset the connection as soon as it opened \(ECONNRESET\): if it requires TLS, use rediss:\/\/ in redis_url \(CLOUDTRAIL_REDIS_URL\)/,
  },
  {
    name: 'a TLS certificate signed by a CA not configured',
    env: () => ({ CLOUDTRAIL_REDIS_URL: tls.url, CLOUDTRAIL_REDIS_CA_FILE: certificates.caFile }),
    says: /TLS certificate is not trusted \(\w+\): set redis_ca_file \(CLOUDTRAIL_REDIS_CA_FILE\)/,
  },
  {
    name: 'Sentinels that do not answer',
    env: () => ({ CLOUDTRAIL_REDIS_SENTINELS: `127.0.0.1:${unused}` }),
    says: /none of the Sentinels \(127\.0\.0\.1:\d+\) answered .*check redis_sentinels \(CLOUDTRAIL_REDIS_SENTINELS\)/,
  },
];
let unused = 0;
beforeAll(async () => {
  unused = await freePort();
});

test.each(cases)('$name: queries answer at 1/N, alerts first, one warning, the health check names it', async (c) => {
  const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  try {
    const replica = await upstream.replica({ ...PACING, ...c.env() });
    const [a, b, c2, alertSeries] = upstream.freshSeries(4);
    const started = Date.now();
    const done: Record<string, number> = {};
    const timed = (name: string, answer: Promise<{ error?: string }>) =>
      answer.then((r) => {
        done[name] = Date.now() - started;
        return r.error ?? '';
      });
    const dashboards = [a, b, c2].map((s, i) => timed(`P${i}`, replica.query(s, { refId: `P${i}` })));
    // An alert rule evaluation arrives while the dashboard queries wait for their turns.
    await new Promise((r) => setTimeout(r, 50));
    const alert = timed('R', replica.query(alertSeries, { alert: true, refId: 'R' }));
    expect(await Promise.all([...dashboards, alert])).toEqual(['', '', '', '']);
    // 4 calls at the local share (2 per second): the alert took the turn after the first call.
    expect(done.R).toBeLessThan(Math.min(done.P1, done.P2));
    expect(Math.max(...Object.values(done))).toBeGreaterThanOrEqual(3 * 500);

    const health = await replica.health();
    expect(health.message).toContain('this replica uses 1/3 of each quota and its own cache until it answers: ');
    expect(health.message).toMatch(c.says);
    const switches = warn.mock.calls.filter(([message]) => String(message).startsWith('Redis unreachable'));
    expect(switches).toHaveLength(1);
    expect(JSON.stringify([health, warn.mock.calls])).not.toContain(PASSWORD);
    await replica.close();
  } finally {
    warn.mockRestore();
  }
});
