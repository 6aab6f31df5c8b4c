/**
 * What a Grafana admin governs, through the built executable: the health check says when Grafana
 * forwards no `[aws]` settings to the plugin and lists the operator settings in force (secrets
 * withheld); one QueryData request runs at most `max_queries_per_request` queries (the rest answer
 * 400); a browser's forged `FromAlert` header does not buy alert priority; and when Grafana
 * disposes a data source instance (its secrets changed), the background refresher never uses that
 * instance's client again: a live data source of the same account refreshes its series, the others
 * are dropped.
 */
import { startSimulator, type RunningSimulator } from '../../../simulator';
import { startRecordingForwarder, type RecordingForwarder } from '../testing/recordingForwarder';
import { HOUR_MS, PluginUnderTest, seriesQuery, type DataSourceConfig, type QuerySpec } from './harness';
import { keysDataSource, REFRESHER_OFF } from './stack';

jest.setTimeout(120_000);

const ACCOUNT = '100200300400';
const OTHER_ACCOUNT = '500600700800';
const KEYS = { accessKeyId: 'AKIDGOVERNANCE', secretAccessKey: 'governance-secret', accountId: ACCOUNT };
const KEYS_A = { accessKeyId: 'AKIDRETIRED', secretAccessKey: 'retired-secret', accountId: ACCOUNT };
const KEYS_A2 = { accessKeyId: 'AKIDREPLACEMENT', secretAccessKey: 'replacement-secret', accountId: ACCOUNT };
const KEYS_B = { accessKeyId: 'AKIDLIVE', secretAccessKey: 'live-secret', accountId: ACCOUNT };
const KEYS_C = { accessKeyId: 'AKIDOTHERACCOUNT', secretAccessKey: 'other-secret', accountId: OTHER_ACCOUNT };
const KEYS_C2 = { accessKeyId: 'AKIDOTHERROTATED', secretAccessKey: 'other-rotated', accountId: OTHER_ACCOUNT };
const REDIS_PASSWORD = 'redis-password-never-shown';

let sim: RunningSimulator;
let forwarder: RecordingForwarder;
const plugins: PluginUnderTest[] = [];

beforeAll(async () => {
  sim = await startSimulator({
    seed: 'governance',
    quotas: false,
    credentials: [KEYS, KEYS_A, KEYS_A2, KEYS_B, KEYS_C, KEYS_C2],
  });
  forwarder = await startRecordingForwarder(sim.url);
});

afterAll(async () => {
  for (const plugin of plugins) {
    expect(plugin.plugin.stderr()).not.toContain(REDIS_PASSWORD);
  }
  await Promise.all(plugins.map((p) => p.stop()));
  await forwarder?.close();
  await sim?.stop();
});

const launch = async (env: Record<string, string> = {}) => {
  const plugin = await PluginUnderTest.launch(env);
  plugins.push(plugin);
  return plugin;
};

const FORWARDED = { AWS_AUTH_AllowedAuthProviders: 'default,keys,credentials', AWS_AUTH_SESSION_DURATION: '15m' };

describe('the health check', () => {
  test('no AWS_AUTH_* keys: it says Grafana forwards no [aws] settings and names forward_settings_to_plugins and the plugin id', async () => {
    const plugin = await launch({ ...REFRESHER_OFF, CLOUDTRAIL_REDIS_PASSWORD: REDIS_PASSWORD });
    const ds = keysDataSource(sim.url, KEYS);
    const unforwarded = await plugin.health(ds);
    expect(unforwarded.status).toBe(1);
    expect(unforwarded.details.message).toContain('Grafana forwards no [aws] settings to this plugin');
    expect(unforwarded.details.message).toContain(
      'add trailwatch-cloudtrailinsights-datasource to [aws] forward_settings_to_plugins'
    );
    expect(unforwarded.details.awsPolicy).toMatchObject({ forwarded: false });

    const forwarded = await plugin.health({ ...ds, grafanaConfig: FORWARDED });
    expect(forwarded.status).toBe(1);
    expect(forwarded.details.message).toBeUndefined();
    expect(forwarded.details.awsPolicy).toEqual({
      forwarded: true,
      allowedAuthProviders: ['default', 'keys', 'credentials'],
      assumeRoleEnabled: true,
      sessionDurationSeconds: 900,
    });
  });

  test('its details list every operator setting in force and where it came from, never a secret', async () => {
    const plugin = await launch({
      ...REFRESHER_OFF,
      GF_PLUGIN_MAX_QUERIES_PER_REQUEST: '40',
      CLOUDTRAIL_MAX_QUERIES_PER_REQUEST: '70',
      CLOUDTRAIL_REDIS_PASSWORD: REDIS_PASSWORD,
    });
    const health = await plugin.health({ ...keysDataSource(sim.url, KEYS), grafanaConfig: FORWARDED });
    expect(health.details.settings).toMatchObject({
      max_queries_per_request: { value: '40', from: 'grafana.ini' },
      refresh_share: { value: '0', from: 'CLOUDTRAIL_REFRESH_SHARE' },
      redis_password: { value: '(set)', from: 'CLOUDTRAIL_REDIS_PASSWORD' },
      cache_max_points: { value: '1000000', from: 'default' },
      allowed_endpoints: { from: 'default' },
    });
    expect(health.details.verboseMessage).toContain('max_queries_per_request = 40 (from grafana.ini)');
    expect(JSON.stringify(health)).not.toContain(REDIS_PASSWORD);
  });
});

describe('quota protection', () => {
  let plugin: PluginUnderTest;
  beforeAll(async () => {
    // The simulator answers at any rate here; the plugin paces above 150 calls/s so the test is quick.
    plugin = await launch({
      ...REFRESHER_OFF,
      CLOUDTRAIL_QUOTAS: 'ListInsightsMetricData=500,LookupEvents=500,default=500',
    });
  });

  test('150 queries in one request: the first 100 run, the other 50 answer 400 naming the limit and the setting', async () => {
    const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'sa-east-1'];
    const distinct = regions.flatMap((region) =>
      sim.catalog(region, ACCOUNT).series.map((series) => ({ series, region }))
    );
    expect(distinct.length).toBeGreaterThanOrEqual(150);
    const now = Date.now();
    const queries: QuerySpec[] = distinct.slice(0, 150).map(({ series, region }, i) => ({
      refId: `Q${i}`,
      json: seriesQuery(series, { region }),
      fromMs: now - HOUR_MS,
      toMs: now,
    }));
    sim.resetCounts();
    const answers = await plugin.query(keysDataSource(sim.url, KEYS), queries, { deadlineMs: 90_000 });
    const ran = queries.filter((q) => answers[q.refId].status === 200).map((q) => q.refId);
    const refused = queries.filter((q) => answers[q.refId].status === 400);
    expect(ran).toEqual(queries.slice(0, 100).map((q) => q.refId));
    expect(refused.map((q) => q.refId)).toEqual(queries.slice(100).map((q) => q.refId));
    for (const q of refused) {
      expect(answers[q.refId]).toMatchObject({ errorSource: 'plugin', frames: [] });
      expect(answers[q.refId].error).toContain('this Grafana server runs at most 100 of one request');
      expect(answers[q.refId].error).toContain(
        'max_queries_per_request in [plugin.trailwatch-cloudtrailinsights-datasource] of grafana.ini (or CLOUDTRAIL_MAX_QUERIES_PER_REQUEST)'
      );
    }
    // One call per distinct series that ran; none for the refused ones.
    expect(sim.calls().ListInsightsMetricData).toBe(100);
  });
});

describe('credentials lifecycle', () => {
  /** The same data source id with new secrets (Grafana rebuilds the instance and disposes the old one). */
  const ds = (uid: string, lastUpdatedMS: number, keys: typeof KEYS): DataSourceConfig => ({
    ...keysDataSource(forwarder.url, keys),
    uid,
    lastUpdatedMS,
    grafanaConfig: FORWARDED,
  });

  test("a disposed instance's client is not used by the background refresher afterwards", async () => {
    // The refresher on, as shipped.
    const plugin = await launch();
    const now = Date.now();
    const spec = (i: number, refId: string) => ({
      refId,
      json: seriesQuery(sim.catalog('us-east-1', ACCOUNT).series[i], { period: 60 }),
      fromMs: now - HOUR_MS,
      toMs: now,
    });
    const other = {
      refId: 'C',
      json: seriesQuery(sim.catalog('us-east-1', OTHER_ACCOUNT).series[2], { period: 60 }),
      fromMs: now - HOUR_MS,
      toMs: now,
    };
    // B (a live data source of the account) asks first, then A asks for that series and another:
    // A's client is the newest of the account, the one a refresher would take.
    expect((await plugin.query(ds('ds-b', 1, KEYS_B), [spec(0, 'S1')])).S1.status).toBe(200);
    const asA = await plugin.query(ds('ds-a', 1, KEYS_A), [spec(0, 'S1'), spec(1, 'S2')]);
    expect([asA.S1.status, asA.S2.status]).toEqual([200, 200]);
    // C is the only data source of the other account.
    expect((await plugin.query(ds('ds-c', 1, KEYS_C), [other])).C.status).toBe(200);

    // Their secrets change: Grafana sends the new settings, and the old instances are disposed.
    expect(await plugin.health(ds('ds-a', 2, KEYS_A2))).toMatchObject({ status: 1 });
    expect(await plugin.health(ds('ds-c', 2, KEYS_C2))).toMatchObject({ status: 1 });
    const disposedAt = Date.now();

    // Past the moment the series' cached newest bucket is renewed (55 s after its fetch).
    await new Promise((r) => setTimeout(r, 65_000));
    const after = forwarder.requests.filter((r) => r.atMs >= disposedAt);
    expect(after.filter((r) => r.accessKeyId === KEYS_A.accessKeyId)).toEqual([]);
    expect(after.filter((r) => r.accessKeyId === KEYS_C.accessKeyId)).toEqual([]);
    // The account's series are still refreshed, through the live data source's client.
    const refreshed = after.filter((r) => r.operation === 'ListInsightsMetricData');
    expect(refreshed.length).toBeGreaterThanOrEqual(2);
    expect(new Set(refreshed.map((r) => r.accessKeyId))).toEqual(new Set([KEYS_B.accessKeyId]));
  });
});
