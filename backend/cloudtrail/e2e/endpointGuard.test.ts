/**
 * The endpoint guard through the built executable. The Grafana server's own identity (here env
 * keys with a session token, as an instance role or IRSA gives them) behind `authType: default`
 * must never sign requests to an endpoint a data source admin names: a foreign loopback endpoint
 * (a recording server in front of the simulator) receives no request at all from the health check,
 * a query or an editor lookup, and the refusal names the setting that allows it. The operator's
 * `allowed_endpoints`, in either spelling (grafana.ini's `GF_PLUGIN_ALLOWED_ENDPOINTS` or
 * `CLOUDTRAIL_ALLOWED_ENDPOINTS`), lets the same endpoint work. Link-local addresses are refused
 * for every auth type, and an endpoint's user info never appears in messages or logs.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { startSimulator, type RunningSimulator } from '../../../simulator';
import { startRecordingForwarder, type RecordingForwarder } from '../testing/recordingForwarder';
import { HOUR_MS, PluginUnderTest, seriesQuery, type DataSourceConfig } from './harness';
import { REFRESHER_OFF } from './stack';

jest.setTimeout(90_000);

const BASE_KEYS = { accessKeyId: 'AKIDGUARDBASE', secretAccessKey: 'guard-base-secret' };
const ROLE = 'arn:aws:iam::123456789012:role/grafana-server';
const SETTING =
  'allowed_endpoints in [plugin.trailwatch-cloudtrailinsights-datasource] of grafana.ini (or CLOUDTRAIL_ALLOWED_ENDPOINTS)';

let sim: RunningSimulator;
let foreign: RecordingForwarder;
let serverEnv: Record<string, string>;
let sessionToken: string;
const plugins: PluginUnderTest[] = [];

const launch = async (env: Record<string, string> = {}) => {
  const plugin = await PluginUnderTest.launch({ ...REFRESHER_OFF, ...serverEnv, ...env });
  plugins.push(plugin);
  return plugin;
};

beforeAll(async () => {
  sim = await startSimulator({ seed: 'endpoint-guard', quotas: false, credentials: [BASE_KEYS] });
  foreign = await startRecordingForwarder(sim.url);
  // The Grafana server's identity: temporary credentials, session token included.
  const stsClient = new STSClient({ region: 'us-east-1', endpoint: sim.url, credentials: BASE_KEYS });
  const { Credentials } = await stsClient.send(
    new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'grafana-server', DurationSeconds: 3600 })
  );
  stsClient.destroy();
  sessionToken = Credentials!.SessionToken!;
  serverEnv = {
    AWS_ACCESS_KEY_ID: Credentials!.AccessKeyId!,
    AWS_SECRET_ACCESS_KEY: Credentials!.SecretAccessKey!,
    AWS_SESSION_TOKEN: sessionToken,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
});

afterAll(async () => {
  for (const plugin of plugins) {
    expect(plugin.plugin.stderr()).not.toContain(sessionToken);
    expect(plugin.plugin.stderr()).not.toContain(serverEnv.AWS_SECRET_ACCESS_KEY);
    expect(plugin.plugin.stderr()).not.toContain('userinfo-secret');
  }
  await Promise.all(plugins.map((p) => p.stop()));
  await foreign?.close();
  await sim?.stop();
});

const serverIdentity = (endpoint: string, jsonData: Record<string, unknown> = {}): DataSourceConfig => ({
  jsonData: { authType: 'default', defaultRegion: 'us-east-1', endpoint, ...jsonData },
});

function seriesSpec() {
  const series = sim.catalog('us-east-1', '123456789012').series[0];
  const now = Date.now();
  return { refId: 'A', json: seriesQuery(series), fromMs: now - HOUR_MS, toMs: now };
}

test('default auth (env keys + session token) against a foreign endpoint: health, query and lookups refused at once, nothing sent', async () => {
  const plugin = await launch();
  foreign.requests.length = 0;
  const started = Date.now();
  const health = await plugin.health(serverIdentity(foreign.url));
  expect(health.status).toBe(2);
  expect(health.message).toContain(`Endpoint ${foreign.url} is refused`);
  expect(health.message).toContain("signs with the Grafana server's own AWS credentials");
  expect(health.message).toContain(SETTING);

  const answer = await plugin.query(serverIdentity(foreign.url), [seriesSpec()]);
  expect(answer.A).toMatchObject({ status: 403, errorSource: 'plugin', error: expect.stringContaining(SETTING) });
  const trails = await plugin.resource(serverIdentity(foreign.url), 'trails');
  expect(trails).toMatchObject({ status: 403, body: { error: expect.stringContaining(SETTING) } });

  // An assumed role on top of the server's credentials is the server's identity too.
  const assumed = await plugin.health(serverIdentity(foreign.url, { assumeRoleArn: ROLE }));
  expect(assumed.message).toContain("assumes a role with the Grafana server's own AWS credentials");
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(foreign.requests).toEqual([]);
});

test.each([
  ['grafana.ini [plugin.<id>] allowed_endpoints (GF_PLUGIN_ALLOWED_ENDPOINTS)', 'GF_PLUGIN_ALLOWED_ENDPOINTS'],
  ['CLOUDTRAIL_ALLOWED_ENDPOINTS', 'CLOUDTRAIL_ALLOWED_ENDPOINTS'],
])('the same endpoint allowed by %s works', async (_name, variable) => {
  const plugin = await launch({ [variable]: `https://cloudtrail.internal.example, ${foreign.url}` });
  foreign.requests.length = 0;
  const health = await plugin.health(serverIdentity(foreign.url));
  expect(health).toMatchObject({ status: 1, message: expect.stringContaining('Insights enabled on') });
  const answer = await plugin.query(serverIdentity(foreign.url), [seriesSpec()]);
  expect(answer.A).toMatchObject({ error: '', status: 200 });
  // Signed with the server's temporary credentials, session token included.
  expect(foreign.requests.length).toBeGreaterThan(0);
  expect(foreign.requests.every((r) => r.accessKeyId === serverEnv.AWS_ACCESS_KEY_ID)).toBe(true);
  expect(foreign.requests.every((r) => r.headers['x-amz-security-token'] === sessionToken)).toBe(true);
  expect(health.details.settings.allowed_endpoints).toEqual({
    value: `https://cloudtrail.internal.example, ${foreign.url}`,
    from: variable === 'GF_PLUGIN_ALLOWED_ENDPOINTS' ? 'grafana.ini' : 'CLOUDTRAIL_ALLOWED_ENDPOINTS',
  });
});

test('a data source with its own keys keeps any endpoint, but no one reaches a link-local address', async () => {
  const plugin = await launch({ CLOUDTRAIL_ALLOWED_ENDPOINTS: 'http://169.254.169.254' });
  const keys = { accessKey: BASE_KEYS.accessKeyId, secretKey: BASE_KEYS.secretAccessKey };
  foreign.requests.length = 0;
  const own: DataSourceConfig = {
    jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: foreign.url },
    secure: keys,
  };
  expect(await plugin.health(own)).toMatchObject({ status: 1 });
  expect(foreign.requests.length).toBeGreaterThan(0);

  for (const endpoint of ['http://169.254.169.254', 'http://[fd00:ec2::254]', 'http://2852039166']) {
    const started = Date.now();
    for (const ds of [
      { jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint }, secure: keys },
      serverIdentity(endpoint),
    ]) {
      const health = await plugin.health(ds);
      expect(health.status).toBe(2);
      expect(health.message).toMatch(/is a link-local address .*: no data source may send requests to it\.$/);
    }
    expect(Date.now() - started).toBeLessThan(2_000);
  }
});

test("an endpoint's user info never appears in messages or logs", async () => {
  const plugin = await launch({ GF_PLUGIN_LOG_LEVEL: 'debug' });
  const keys = { accessKey: BASE_KEYS.accessKeyId, secretKey: BASE_KEYS.secretAccessKey };
  const unreachable: DataSourceConfig = {
    jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: 'http://gateway:userinfo-secret@127.0.0.1:1' },
    secure: keys,
  };
  const health = await plugin.health(unreachable);
  expect(health.status).toBe(2);
  expect(health.message).toMatch(/^Could not reach http:\/\/127\.0\.0\.1:1 for /);
  const answer = await plugin.query(unreachable, [seriesSpec()]);
  expect(answer.A.error).not.toContain('userinfo-secret');
  const guarded = await plugin.health(serverIdentity('http://gateway:userinfo-secret@10.9.8.7:8080'));
  expect(guarded.message).toContain('Endpoint http://10.9.8.7:8080 is refused');
  const invalid = await plugin.health({
    ...unreachable,
    jsonData: { ...unreachable.jsonData, endpoint: 'ftp://gateway:userinfo-secret@files' },
  });
  expect(invalid.message).toContain('is not an http(s) URL');
  for (const text of [health, answer.A, guarded, invalid].map((r) => JSON.stringify(r))) {
    expect(text).not.toContain('userinfo-secret');
  }
});
