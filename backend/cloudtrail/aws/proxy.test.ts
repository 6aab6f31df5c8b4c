/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY for every AWS call, through a real proxy on loopback and the
 * simulator (which verifies each SigV4 signature, so a proxied call is a real, accepted call).
 * Over TLS with CONNECT through the built executable: e2e/proxy.test.ts.
 */
import { startSimulator, type RunningSimulator } from '../../../simulator';
import { HealthStatus } from '../../sdk/types';
import { AccountResolver } from './accounts';
import { pacingOf } from '../pacing/quotas';
import { RateLimiter } from '../pacing/rateLimiter';
import { ClientPool } from './clients';
import { checkHealth } from '../plugin/health';
import { proxyFor, proxyLabel } from './proxy';
import { authPolicy, type CloudTrailSettings } from './settings';
import { startLoopbackProxy, type LoopbackProxy } from '../testing/loopbackProxy';

const VARIABLES = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy',
  'ALL_PROXY',
  'all_proxy',
];
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));

function setProxyEnv(values: Record<string, string>): void {
  VARIABLES.forEach((name) => delete process.env[name]);
  Object.assign(process.env, values);
}

afterEach(() => {
  VARIABLES.forEach((name) =>
    saved[name] === undefined ? delete process.env[name] : (process.env[name] = saved[name])
  );
});

describe('which proxy a request uses', () => {
  test.each([
    [
      { HTTPS_PROXY: 'http://proxy.corp:3128' },
      'https://cloudtrail.us-east-1.amazonaws.com',
      'http://proxy.corp:3128/',
    ],
    [{ https_proxy: 'http://proxy.corp:3128' }, 'https://sts.eu-west-1.amazonaws.com', 'http://proxy.corp:3128/'],
    [{ HTTP_PROXY: 'http://web.corp:80' }, 'http://127.0.0.1:4599', 'http://web.corp/'],
    [{ http_proxy: 'http://web.corp:8080' }, 'http://simulator:4599', 'http://web.corp:8080/'],
    [{ HTTP_PROXY: 'http://web.corp:80' }, 'https://cloudtrail.us-east-1.amazonaws.com', undefined],
    [{ HTTPS_PROXY: 'http://p:1', NO_PROXY: 'amazonaws.com' }, 'https://cloudtrail.us-east-1.amazonaws.com', undefined],
    [{ HTTPS_PROXY: 'http://p:1', no_proxy: '.amazonaws.com' }, 'https://sts.us-east-1.amazonaws.com', undefined],
    [{ HTTPS_PROXY: 'http://p:1', NO_PROXY: 'other.example,*' }, 'https://sts.us-east-1.amazonaws.com', undefined],
    [{ HTTPS_PROXY: 'http://p:1', NO_PROXY: 'vpce.example' }, 'https://sts.us-east-1.amazonaws.com', 'http://p:1/'],
  ])('%j: %s → %s', (env, url, expected) => {
    setProxyEnv(env);
    expect(proxyFor(url)?.href).toBe(expected);
  });

  test('a proxy is named without its credentials', () => {
    expect(proxyLabel(new URL('http://svc-grafana:S3cr%2Ft@proxy.corp:3128'))).toBe('http://proxy.corp:3128');
  });
});

describe('AWS calls through a real proxy', () => {
  const ACCOUNT = '210987654321';
  const KEYS = { accessKeyId: 'AKIDPROXYTEST', secretAccessKey: 'proxy-test-secret', accountId: ACCOUNT };
  let sim: RunningSimulator;
  let proxy: LoopbackProxy;
  const pools: ClientPool[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ seed: 'proxy', quotas: false, credentials: [KEYS] });
  });
  afterAll(() => sim.stop());
  afterEach(async () => {
    pools.splice(0).forEach((pool) => pool.dispose());
    await proxy?.close();
  });

  const settings: CloudTrailSettings = {
    authType: 'keys',
    defaultRegion: 'us-east-1',
    accessKey: KEYS.accessKeyId,
    secretKey: KEYS.secretAccessKey,
    assumeRoleArn: `arn:aws:iam::${ACCOUNT}:role/grafana-reader`,
  };
  const health = () => {
    const pool = new ClientPool({ ...settings, endpoint: sim.url }, authPolicy({}, {}), {
      pacing: pacingOf(new RateLimiter()),
      accounts: new AccountResolver(),
      hostEnv: process.env,
    });
    pools.push(pool);
    return checkHealth(pool, { signal: new AbortController().signal, deadlineMs: Date.now() + 30_000 });
  };

  test('CloudTrail, STS GetCallerIdentity and the credential provider’s AssumeRole all go through HTTP_PROXY, with its credentials', async () => {
    proxy = await startLoopbackProxy({ requireCredentials: 'grafana:pr0xy pass' });
    setProxyEnv({ HTTP_PROXY: `http://grafana:pr0xy%20pass@127.0.0.1:${proxy.port}` });
    const result = await health();
    expect({ status: result.status, message: result.message }).toEqual({
      status: HealthStatus.Ok,
      message: expect.any(String),
    });
    const operations = new Set(proxy.calls.map((call) => call.operation));
    expect([...operations]).toEqual(
      expect.arrayContaining([
        'AssumeRole',
        'GetCallerIdentity',
        'DescribeTrails',
        'GetInsightSelectors',
        'LookupEvents',
      ])
    );
    expect(
      proxy.calls.every((call) => call.target.startsWith(`${sim.url}/`) && call.credentials === 'grafana:pr0xy pass')
    ).toBe(true);
  });

  test('NO_PROXY bypasses it: the same checks reach the simulator directly', async () => {
    proxy = await startLoopbackProxy();
    setProxyEnv({ http_proxy: proxy.url, no_proxy: 'localhost,127.0.0.1' });
    sim.resetCounts();
    expect(await health()).toMatchObject({ status: HealthStatus.Ok });
    expect(proxy.calls).toEqual([]);
    expect(sim.calls().DescribeTrails).toBeGreaterThan(0);
  });

  test('a proxy refusing its credentials (407) is named once, without retries or the password', async () => {
    proxy = await startLoopbackProxy({ requireCredentials: 'grafana:right' });
    setProxyEnv({ HTTP_PROXY: `http://grafana:wrong-do-not-log@127.0.0.1:${proxy.port}` });
    const result = await health();
    expect(result.status).toBe(HealthStatus.Error);
    expect(result.message).toContain(`through the proxy http://127.0.0.1:${proxy.port}`);
    expect(result.message).toContain('407 Proxy Authentication Required');
    expect(JSON.stringify(result)).not.toContain('wrong-do-not-log');
    // AssumeRole through the STS client: 2 attempts (its maxAttempts), none retried by us.
    expect(proxy.calls.length).toBeLessThanOrEqual(2);
  });

  test('a proxy that cannot be reached is named by the health check, without its password', async () => {
    proxy = await startLoopbackProxy();
    const port = proxy.port;
    await proxy.close();
    setProxyEnv({ HTTP_PROXY: `http://grafana:do-not-log-me@127.0.0.1:${port}` });
    const result = await health();
    expect(result.status).toBe(HealthStatus.Error);
    expect(result.message).toContain(`through the proxy http://127.0.0.1:${port}`);
    expect(JSON.stringify(result)).not.toContain('do-not-log-me');
  });
});
