/**
 * Nothing cached or shared crosses tenants, over real gRPC against the simulator with signature
 * checking on: a data source with the right key id but a wrong secret, or a role ARN without its
 * external id, gets its own error (never another data source's cached series or editor lists);
 * one uid in two orgs runs on two instances; and two data sources with different keys of one
 * account share that account's quota.
 */
import { startSimulator, type RunningSimulator, type SeriesInfo } from '../../../simulator';
import { HOUR_MS, PluginUnderTest, seriesQuery, type DataSourceConfig, type QuerySpec } from './harness';
import { REFRESHER_OFF } from './stack';

jest.setTimeout(90_000);

const SHARED_ACCOUNT = '111122223333';
const TEAM_A = { accessKeyId: 'AKIDTEAMA', secretAccessKey: 'team-a-secret', accountId: SHARED_ACCOUNT };
const TEAM_A_CI = { accessKeyId: 'AKIDTEAMACI', secretAccessKey: 'team-a-ci-secret', accountId: SHARED_ACCOUNT };
const BASE = { accessKeyId: 'AKIDTEAMBBASE', secretAccessKey: 'team-b-base-secret', accountId: '777788889999' };
const ROLE = { arn: 'arn:aws:iam::444455556666:role/team-b-reader', externalId: 'team-b-external-id' };
const SECRETS = [TEAM_A, TEAM_A_CI, BASE].map((k) => k.secretAccessKey).concat(ROLE.externalId);

let sim: RunningSimulator;
let plugin: PluginUnderTest;

beforeAll(async () => {
  sim = await startSimulator({ seed: 'isolation', credentials: [TEAM_A, TEAM_A_CI, BASE], roles: [ROLE] });
  // The last test counts ListInsightsMetricData calls exactly.
  plugin = await PluginUnderTest.launch(REFRESHER_OFF);
});

afterAll(async () => {
  for (const secret of SECRETS) {
    expect(plugin?.plugin.stderr()).not.toContain(secret);
  }
  await plugin?.stop();
  await sim?.stop();
});

const keysDs = (
  keys: { accessKeyId: string; secretAccessKey: string },
  extra: Partial<DataSourceConfig> & { jsonData?: Record<string, unknown> } = {}
): DataSourceConfig => ({
  ...extra,
  jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: sim.url, ...extra.jsonData },
  secure: { accessKey: keys.accessKeyId, secretKey: keys.secretAccessKey },
});

const roleDs = (externalId?: string, extra: Partial<DataSourceConfig> = {}) =>
  keysDs(BASE, { ...extra, jsonData: { assumeRoleArn: ROLE.arn, ...(externalId ? { externalId } : {}) } });

function metricsQuery(series: SeriesInfo): QuerySpec {
  const now = Date.now();
  return { refId: 'A', json: seriesQuery(series, { period: 3600 }), fromMs: now - 7 * 24 * HOUR_MS, toMs: now };
}

/** The values of the query's one series, asserting it answered. */
async function valuesOf(ds: DataSourceConfig, query: QuerySpec): Promise<unknown[]> {
  const answer = await plugin.query(ds, [query]);
  expect(answer.A).toMatchObject({ error: '', status: 200 });
  return answer.A.frames[0].fields[1].values;
}

test('the right key id with a wrong secret gets its own InvalidSignature-type error, not the cached data or lists', async () => {
  const owner = keysDs(TEAM_A);
  const series = sim.catalog('us-east-1', SHARED_ACCOUNT).series[0];
  const query = metricsQuery(series);
  expect((await valuesOf(owner, query)).length).toBeGreaterThan(100);
  const ownerSources = await plugin.resource(owner, 'event-sources');
  expect(ownerSources.status).toBe(200);
  expect(ownerSources.body.length).toBeGreaterThan(0);

  const impostor = keysDs({ accessKeyId: TEAM_A.accessKeyId, secretAccessKey: 'guessed-secret' });
  const answer = await plugin.query(impostor, [query]);
  expect(answer.A).toMatchObject({ status: 401, errorSource: 'downstream', frames: [] });
  expect(answer.A.error).toMatch(/^AWS rejected the credentials \(SignatureDoesNotMatch: /);
  const lists = await plugin.resource(impostor, 'event-sources');
  expect(lists).toMatchObject({ status: 401, body: { error: expect.stringContaining('SignatureDoesNotMatch') } });
  const now = Date.now();
  const annotations = await plugin.query(impostor, [
    { refId: 'A', queryType: 'annotations', json: {}, fromMs: now - 24 * HOUR_MS, toMs: now },
  ]);
  expect(annotations.A).toMatchObject({ status: 401, errorSource: 'downstream', frames: [] });
});

test('a principal of the same account without cloudtrail:LookupEvents does not read what another one fetched', async () => {
  const series = sim.catalog('us-east-1', SHARED_ACCOUNT).series[11];
  const query = metricsQuery(series);
  expect((await valuesOf(keysDs(TEAM_A, { uid: 'reader-with-permission' }), query)).length).toBeGreaterThan(100);
  // The simulator denies LookupEvents (and so ListInsightsMetricData) to every caller from now on;
  // only the principal that has not proven its permission yet is affected here.
  sim.setFaults({ accessDenied: { operations: ['LookupEvents', 'ListInsightsMetricData'] } });
  try {
    const answer = await plugin.query(keysDs(TEAM_A_CI, { uid: 'reader-without-permission' }), [query]);
    expect(answer.A).toMatchObject({ status: 403, errorSource: 'downstream', frames: [] });
    expect(answer.A.error).toContain('cloudtrail:LookupEvents');
  } finally {
    sim.setFaults({ accessDenied: false });
  }
});

test('a role ARN without its external id gets AccessDenied naming sts:AssumeRole, not the cached data or lists', async () => {
  const owner = roleDs(ROLE.externalId);
  const series = sim.catalog('us-east-1', '444455556666').series[1];
  const query = metricsQuery(series);
  expect((await valuesOf(owner, query)).length).toBeGreaterThan(100);
  expect((await plugin.resource(owner, 'event-sources')).status).toBe(200);

  for (const intruder of [roleDs(), roleDs('another-tenants-guess')]) {
    const answer = await plugin.query(intruder, [query]);
    expect(answer.A).toMatchObject({ status: 403, errorSource: 'downstream', frames: [] });
    expect(answer.A.error).toContain('sts:AssumeRole');
    expect(answer.A.error).toContain(ROLE.arn);
    const lists = await plugin.resource(intruder, 'event-sources');
    expect(lists).toMatchObject({ status: 403, body: { error: expect.stringContaining('sts:AssumeRole') } });
  }
});

test('one uid in two orgs: each org runs on its own instance and credentials, without rebuilding back and forth', async () => {
  const series = sim.catalog('us-east-1', SHARED_ACCOUNT).series[2];
  const query = metricsQuery(series);
  // References through uids of their own.
  const expectedOrg1 = await valuesOf(keysDs(TEAM_A, { uid: 'ref-org-1' }), query);
  const expectedOrg2 = await valuesOf(roleDs(ROLE.externalId, { uid: 'ref-org-2' }), query);
  expect(expectedOrg2).not.toEqual(expectedOrg1);

  // The same provisioning file in both orgs: same uid, same lastUpdatedMS, different settings.
  const org1 = keysDs(TEAM_A, { uid: 'provisioned', orgId: 1, lastUpdatedMS: 5 });
  const org2 = roleDs(ROLE.externalId, { uid: 'provisioned', orgId: 2, lastUpdatedMS: 5 });
  expect(await valuesOf(org1, query)).toEqual(expectedOrg1);
  expect(await valuesOf(org2, query)).toEqual(expectedOrg2);

  // Different lastUpdatedMS: alternating requests must not rebuild (each build assumes the role anew).
  const org1b = { ...org1, uid: 'provisioned-b', lastUpdatedMS: 10 };
  const org2b = { ...org2, uid: 'provisioned-b', lastUpdatedMS: 20 };
  sim.resetCounts();
  for (let i = 0; i < 3; i++) {
    expect(await valuesOf(org1b, query)).toEqual(expectedOrg1);
    expect(await valuesOf(org2b, query)).toEqual(expectedOrg2);
  }
  expect(sim.calls().AssumeRole).toBe(1);
});

test('two data sources with different keys of one account share its quota: no call is throttled', async () => {
  // Series the tests above did not read, four per data source: one call each.
  const all = sim.catalog('us-east-1', SHARED_ACCOUNT).series;
  const now = Date.now();
  const queries = (series: SeriesInfo[]): QuerySpec[] =>
    series.map((s, i) => ({
      refId: `Q${i}`,
      json: seriesQuery(s, { period: 300 }),
      fromMs: now - 6 * HOUR_MS,
      toMs: now,
    }));
  sim.resetCounts();
  const [a, b] = await Promise.all([
    plugin.query(keysDs(TEAM_A), queries(all.slice(3, 7))),
    plugin.query(keysDs(TEAM_A_CI), queries(all.slice(7, 11))),
  ]);
  for (const answer of [...Object.values(a), ...Object.values(b)]) {
    expect(answer).toMatchObject({ error: '', status: 200 });
  }
  // Both counts in one assertion: a failure shows whether extra calls were throttled retries.
  const counted = { calls: sim.calls().ListInsightsMetricData, throttled: sim.throttled().ListInsightsMetricData ?? 0 };
  expect(counted).toEqual({ calls: 8, throttled: 0 });
});
