/**
 * Authentication through the built executable, as grafana-aws-sdk does it: a shared
 * credentials/config file profile (authType credentials only), the default chain from env vars
 * (a profile in jsonData ignored), local container-credentials endpoints for ec2_iam_role (ECS,
 * and EKS Pod Identity with its token file), assuming a role through the simulator's STS (with
 * `[aws] session_duration` as DurationSeconds and never Grafana's `[aws] external_id`), and
 * Grafana's auth policy from grafanaConfig and from env. The simulator is an endpoint the operator
 * allowed (allowed_endpoints), since default, credentials and ec2_iam_role sign with the server's
 * credentials.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../../simulator';
import { startRecordingForwarder, type RecordingForwarder } from '../testing/recordingForwarder';
import { DAY_MS, HOUR_MS, PluginUnderTest, seriesQuery, type DataSourceConfig } from './harness';

jest.setTimeout(90_000);

const PROFILE_KEYS = { accessKeyId: 'AKIDPROFILE', secretAccessKey: 'profile-secret' };
const ENV_KEYS = { accessKeyId: 'AKIDENVCHAIN', secretAccessKey: 'env-secret' };
const BASE_KEYS = { accessKeyId: 'AKIDBASEROLE', secretAccessKey: 'base-secret' };
const CONTAINER_KEYS = { accessKeyId: 'AKIDCONTAINER', secretAccessKey: 'container-secret' };
const POD_KEYS = { accessKeyId: 'AKIDPODIDENTITY', secretAccessKey: 'pod-identity-secret' };
const POD_TOKEN = 'eks-pod-identity-token-from-file';
const ROLE_ACCOUNT = '210987654321';
const ALL_PROVIDERS = { AWS_AUTH_AllowedAuthProviders: 'default,keys,credentials,ec2_iam_role' };

let sim: RunningSimulator;
let plugin: PluginUnderTest;
let restricted: PluginUnderTest;
let ecs: PluginUnderTest;
let podIdentity: PluginUnderTest;
let containerEndpoint: Server;
let containerRequests = 0;
let podAgent: Server;
const podAuthorizations: Array<string | undefined> = [];
let sts: RecordingForwarder;

/** A loopback server answering container credentials, as the ECS agent or the EKS Pod Identity agent does. */
async function credentialsEndpoint(
  keys: { accessKeyId: string; secretAccessKey: string },
  authorize: (req: IncomingMessage) => boolean
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (!authorize(req)) {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"message":"missing authorization token"}');
      return;
    }
    res.setHeader('Content-Type', 'application/json');
    res.end(
      JSON.stringify({
        AccessKeyId: keys.accessKeyId,
        SecretAccessKey: keys.secretAccessKey,
        Token: `${keys.accessKeyId}-session-token`,
        Expiration: new Date(Date.now() + HOUR_MS).toISOString(),
      })
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  sim = await startSimulator({
    seed: 'auth',
    credentials: [PROFILE_KEYS, ENV_KEYS, BASE_KEYS, CONTAINER_KEYS, POD_KEYS],
  });
  sts = await startRecordingForwarder(sim.url);
  const dir = mkdtempSync(join(tmpdir(), 'ct-auth-'));
  writeFileSync(
    join(dir, 'credentials'),
    `[grafana-e2e]\naws_access_key_id = ${PROFILE_KEYS.accessKeyId}\naws_secret_access_key = ${PROFILE_KEYS.secretAccessKey}\n`
  );
  writeFileSync(join(dir, 'config'), `[profile grafana-e2e]\nregion = us-east-1\n`);
  // A container has no keys or profile files of its own: only its credentials endpoint.
  const empty = mkdtempSync(join(tmpdir(), 'ct-auth-empty-'));
  writeFileSync(join(empty, 'credentials'), '');
  writeFileSync(join(empty, 'config'), '');
  const inContainer = {
    AWS_SHARED_CREDENTIALS_FILE: join(empty, 'credentials'),
    AWS_CONFIG_FILE: join(empty, 'config'),
    AWS_EC2_METADATA_DISABLED: 'true',
    GF_PLUGIN_ALLOWED_ENDPOINTS: sim.url,
  };
  // What ECS serves at AWS_CONTAINER_CREDENTIALS_FULL_URI.
  const ecsAgent = await credentialsEndpoint(CONTAINER_KEYS, () => {
    containerRequests++;
    return true;
  });
  containerEndpoint = ecsAgent.server;
  // What the EKS Pod Identity agent serves: only with the token of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE.
  const pod = await credentialsEndpoint(POD_KEYS, (req) => {
    podAuthorizations.push(req.headers.authorization);
    return req.headers.authorization === POD_TOKEN;
  });
  podAgent = pod.server;
  writeFileSync(join(dir, 'pod-identity-token'), POD_TOKEN);

  plugin = await PluginUnderTest.launch({
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_ACCESS_KEY_ID: ENV_KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ENV_KEYS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_AUTH_AllowedAuthProviders: ALL_PROVIDERS.AWS_AUTH_AllowedAuthProviders,
    GF_PLUGIN_ALLOWED_ENDPOINTS: sim.url,
  });
  // Older Grafana passes the policy as env only.
  restricted = await PluginUnderTest.launch({
    AWS_AUTH_AllowedAuthProviders: 'keys',
    AWS_AUTH_AssumeRoleEnabled: 'false',
  });
  ecs = await PluginUnderTest.launch({ ...inContainer, AWS_CONTAINER_CREDENTIALS_FULL_URI: `${ecsAgent.url}/creds` });
  podIdentity = await PluginUnderTest.launch({
    ...inContainer,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: `${pod.url}/v1/credentials`,
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(dir, 'pod-identity-token'),
  });
});

afterAll(async () => {
  // Secrets never reach the logs, even when credentials fail.
  for (const target of [plugin, ecs, podIdentity]) {
    for (const secret of [PROFILE_KEYS, ENV_KEYS, BASE_KEYS, CONTAINER_KEYS, POD_KEYS].map((k) => k.secretAccessKey)) {
      expect(target.plugin.stderr()).not.toContain(secret);
    }
    expect(target.plugin.stderr()).not.toContain(POD_TOKEN);
  }
  await Promise.all([plugin?.stop(), restricted?.stop(), ecs?.stop(), podIdentity?.stop()]);
  await new Promise((r) => containerEndpoint?.close(r));
  await new Promise((r) => podAgent?.close(r));
  await sts?.close();
  await sim?.stop();
});

const withEndpoint = (
  jsonData: Record<string, unknown>,
  secure?: Record<string, string>,
  grafanaConfig?: Record<string, string>
): DataSourceConfig => ({
  jsonData: { defaultRegion: 'us-east-1', endpoint: sim.url, ...jsonData },
  secure,
  grafanaConfig,
});

async function expectWorking(target: PluginUnderTest, ds: DataSourceConfig, accountId: string) {
  const health = await target.health(ds);
  expect(health).toMatchObject({
    status: 1,
    message: expect.stringContaining('Insights enabled on management-events'),
  });
  const series = sim.catalog('us-east-1', accountId).series[0];
  const now = Date.now();
  const answer = await target.query(ds, [{ refId: 'A', json: seriesQuery(series), fromMs: now - HOUR_MS, toMs: now }]);
  expect(answer.A).toMatchObject({ error: '', status: 200 });
  expect(answer.A.frames[0].fields[0].values.length).toBeGreaterThan(50);
}

test('profile from a shared credentials file (authType credentials)', async () => {
  await expectWorking(
    plugin,
    withEndpoint({ authType: 'credentials', profile: 'grafana-e2e' }),
    sim.accountIdFor(PROFILE_KEYS.accessKeyId)
  );
});

test('an unknown profile fails with a clear message, not a crash', async () => {
  const health = await plugin.health(withEndpoint({ authType: 'credentials', profile: 'nope' }));
  expect(health.status).toBe(2);
  expect(health.message).toMatch(/credentials|profile/i);
  expect(health.message).not.toContain(PROFILE_KEYS.secretAccessKey);
});

test('default chain picks up env credentials (authType default)', async () => {
  await expectWorking(plugin, withEndpoint({ authType: 'default' }), sim.accountIdFor(ENV_KEYS.accessKeyId));
});

test('container credentials endpoint (authType ec2_iam_role)', async () => {
  const before = containerRequests;
  await expectWorking(
    ecs,
    withEndpoint({ authType: 'ec2_iam_role' }, undefined, ALL_PROVIDERS),
    sim.accountIdFor(CONTAINER_KEYS.accessKeyId)
  );
  expect(containerRequests).toBeGreaterThan(before);
});

test('ec2_iam_role on EKS Pod Identity: the agent is asked with the token read from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', async () => {
  await expectWorking(
    podIdentity,
    withEndpoint({ authType: 'ec2_iam_role' }, undefined, ALL_PROVIDERS),
    sim.accountIdFor(POD_KEYS.accessKeyId)
  );
  expect(podAuthorizations.length).toBeGreaterThan(0);
  expect(podAuthorizations.every((a) => a === POD_TOKEN)).toBe(true);
});

/** The same series over 30 days at 3600 s, as `ds` sees it: its values differ from one account to another. */
async function valuesOf(target: PluginUnderTest, ds: DataSourceConfig): Promise<unknown[]> {
  const series = sim.catalog('us-east-1', sim.accountIdFor(ENV_KEYS.accessKeyId)).series[0];
  const now = Date.now();
  const answer = await target.query(ds, [
    { refId: 'A', json: seriesQuery(series, { period: 3600 }), fromMs: now - 30 * DAY_MS, toMs: now },
  ]);
  expect(answer.A).toMatchObject({ error: '', status: 200 });
  return answer.A.frames[0].fields[1].values;
}

test('default auth with a profile in jsonData uses the default chain (the env keys), not that profile', async () => {
  const withProfile = withEndpoint({ authType: 'default', profile: 'grafana-e2e' });
  expect(await plugin.health(withProfile)).toMatchObject({ status: 1 });
  const asDefault = await valuesOf(plugin, withProfile);
  const asEnvKeys = await valuesOf(
    plugin,
    withEndpoint({ authType: 'keys' }, { accessKey: ENV_KEYS.accessKeyId, secretKey: ENV_KEYS.secretAccessKey })
  );
  const asProfile = await valuesOf(plugin, withEndpoint({ authType: 'credentials', profile: 'grafana-e2e' }));
  expect(asDefault).toEqual(asEnvKeys);
  expect(asDefault).not.toEqual(asProfile);
});

test("[aws] session_duration = 30m is the role session's DurationSeconds (1800); Grafana's external_id is never sent", async () => {
  const grafanaConfig = {
    ...ALL_PROVIDERS,
    AWS_AUTH_SESSION_DURATION: '30m',
    AWS_AUTH_EXTERNAL_ID: 'grafana-cloud-stack-external-id',
  };
  const role = `arn:aws:iam::${ROLE_ACCOUNT}:role/grafana-reader`;
  const keys = { accessKey: BASE_KEYS.accessKeyId, secretKey: BASE_KEYS.secretAccessKey };
  // STS (and CloudTrail) at the recording endpoint, which forwards to the simulator.
  const withoutOwnId = withEndpoint({ authType: 'keys', assumeRoleArn: role, endpoint: sts.url }, keys, grafanaConfig);
  const withOwnId = withEndpoint(
    { authType: 'keys', assumeRoleArn: role, externalId: 'own-ext-id', endpoint: sts.url },
    keys,
    grafanaConfig
  );

  expect(await plugin.health(withoutOwnId)).toMatchObject({ status: 1 });
  expect(await plugin.health(withOwnId)).toMatchObject({ status: 1 });
  const assumed = sts.requests.filter((r) => r.operation === 'AssumeRole').map((r) => new URLSearchParams(r.body));
  expect(assumed).toHaveLength(2);
  for (const params of assumed) {
    expect(params.get('DurationSeconds')).toBe('1800');
    expect(params.get('RoleArn')).toBe(role);
  }
  expect(assumed.map((p) => p.get('ExternalId'))).toEqual([null, 'own-ext-id']);
  expect(sts.requests.map((r) => r.body).join('\n')).not.toContain('grafana-cloud-stack-external-id');
});

test('assume role through the simulator STS with an external id; data comes from the role account', async () => {
  sim.resetCounts();
  const ds = withEndpoint(
    { authType: 'keys', assumeRoleArn: `arn:aws:iam::${ROLE_ACCOUNT}:role/grafana-reader`, externalId: 'ext-123' },
    { accessKey: BASE_KEYS.accessKeyId, secretKey: BASE_KEYS.secretAccessKey }
  );
  await expectWorking(plugin, ds, ROLE_ACCOUNT);
  expect(sim.calls().AssumeRole).toBeGreaterThanOrEqual(1);
  // The same series read as the role and as the base keys: different accounts, different data.
  const series = sim.catalog('us-east-1', ROLE_ACCOUNT).series[0];
  const now = Date.now();
  const query = [
    { refId: 'A', json: seriesQuery(series, { period: 3600 }), fromMs: now - 30 * 24 * HOUR_MS, toMs: now },
  ];
  const asRole = await plugin.query(ds, query);
  const asBase = await plugin.query(
    withEndpoint({ authType: 'keys' }, { accessKey: BASE_KEYS.accessKeyId, secretKey: BASE_KEYS.secretAccessKey }),
    query
  );
  expect(asRole.A.frames[0].fields[1].values).not.toEqual(asBase.A.frames[0].fields[1].values);
});

test('auth policy from grafanaConfig: a provider not allowed fails each query and the health check', async () => {
  const ds = withEndpoint({ authType: 'credentials', profile: 'grafana-e2e' }, undefined, {
    AWS_AUTH_AllowedAuthProviders: 'keys',
  });
  const now = Date.now();
  const answer = await plugin.query(ds, [
    { refId: 'A', json: seriesQuery(sim.catalog('us-east-1').series[0]), fromMs: now - HOUR_MS, toMs: now },
  ]);
  expect(answer.A).toMatchObject({
    status: 403,
    errorSource: 'plugin',
    error: expect.stringContaining('"credentials" is not allowed'),
  });
  const health = await plugin.health(ds);
  expect(health).toMatchObject({ status: 2, message: expect.stringContaining('allowed: keys') });
  const assume = withEndpoint(
    { authType: 'keys', assumeRoleArn: `arn:aws:iam::${ROLE_ACCOUNT}:role/grafana-reader` },
    { accessKey: BASE_KEYS.accessKeyId, secretKey: BASE_KEYS.secretAccessKey },
    { AWS_AUTH_AssumeRoleEnabled: 'false' }
  );
  expect(await plugin.health(assume)).toMatchObject({
    status: 2,
    message: expect.stringContaining('Assuming a role is disabled'),
  });
});

test('auth policy from env when grafanaConfig lacks it', async () => {
  const profile = withEndpoint({ authType: 'credentials', profile: 'grafana-e2e' });
  expect(await restricted.health(profile)).toMatchObject({
    status: 2,
    message: expect.stringContaining('allowed: keys'),
  });
  const role = withEndpoint(
    { authType: 'keys', assumeRoleArn: `arn:aws:iam::${ROLE_ACCOUNT}:role/grafana-reader` },
    { accessKey: BASE_KEYS.accessKeyId, secretKey: BASE_KEYS.secretAccessKey }
  );
  expect(await restricted.health(role)).toMatchObject({
    status: 2,
    message: expect.stringContaining('Assuming a role is disabled'),
  });
  const keys = withEndpoint(
    { authType: 'keys' },
    { accessKey: BASE_KEYS.accessKeyId, secretKey: BASE_KEYS.secretAccessKey }
  );
  expect(await restricted.health(keys)).toMatchObject({ status: 1 });
  // grafanaConfig wins over env.
  const overridden = { ...keys, grafanaConfig: { AWS_AUTH_AllowedAuthProviders: 'credentials' } };
  expect(await restricted.health(overridden)).toMatchObject({
    status: 2,
    message: expect.stringContaining('allowed: credentials'),
  });
});
