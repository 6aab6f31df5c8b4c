/**
 * Authentication through the built executable: a shared credentials/config file profile, the
 * default chain from env vars, a local container-credentials endpoint (ec2_iam_role), assuming a
 * role through the simulator's STS, and Grafana's auth policy from grafanaConfig and from env.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../../simulator';
import { HOUR_MS, PluginUnderTest, seriesQuery, type DataSourceConfig } from './harness';

jest.setTimeout(90_000);

const PROFILE_KEYS = { accessKeyId: 'AKIDPROFILE', secretAccessKey: 'profile-secret' };
const ENV_KEYS = { accessKeyId: 'AKIDENVCHAIN', secretAccessKey: 'env-secret' };
const BASE_KEYS = { accessKeyId: 'AKIDBASEROLE', secretAccessKey: 'base-secret' };
const CONTAINER_KEYS = { accessKeyId: 'AKIDCONTAINER', secretAccessKey: 'container-secret' };
const ROLE_ACCOUNT = '210987654321';

let sim: RunningSimulator;
let plugin: PluginUnderTest;
let restricted: PluginUnderTest;
let containerEndpoint: Server;
let containerRequests = 0;

beforeAll(async () => {
  sim = await startSimulator({ seed: 'auth', credentials: [PROFILE_KEYS, ENV_KEYS, BASE_KEYS, CONTAINER_KEYS] });
  const dir = mkdtempSync(join(tmpdir(), 'ct-auth-'));
  writeFileSync(
    join(dir, 'credentials'),
    `[grafana-e2e]\naws_access_key_id = ${PROFILE_KEYS.accessKeyId}\naws_secret_access_key = ${PROFILE_KEYS.secretAccessKey}\n`
  );
  writeFileSync(join(dir, 'config'), `[profile grafana-e2e]\nregion = us-east-1\n`);
  // What ECS serves at AWS_CONTAINER_CREDENTIALS_FULL_URI.
  containerEndpoint = createServer((_req, res) => {
    containerRequests++;
    res.setHeader('Content-Type', 'application/json');
    res.end(
      JSON.stringify({
        AccessKeyId: CONTAINER_KEYS.accessKeyId,
        SecretAccessKey: CONTAINER_KEYS.secretAccessKey,
        Token: 'container-session-token',
        Expiration: new Date(Date.now() + HOUR_MS).toISOString(),
      })
    );
  });
  await new Promise<void>((resolve) => containerEndpoint.listen(0, '127.0.0.1', resolve));
  const containerUrl = `http://127.0.0.1:${(containerEndpoint.address() as AddressInfo).port}/creds`;

  plugin = await PluginUnderTest.launch({
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_ACCESS_KEY_ID: ENV_KEYS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ENV_KEYS.secretAccessKey,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: containerUrl,
    AWS_AUTH_AllowedAuthProviders: 'default,keys,credentials,ec2_iam_role',
  });
  // Older Grafana passes the policy as env only.
  restricted = await PluginUnderTest.launch({
    AWS_AUTH_AllowedAuthProviders: 'keys',
    AWS_AUTH_AssumeRoleEnabled: 'false',
  });
});

afterAll(async () => {
  // Secrets never reach the logs, even when credentials fail.
  for (const secret of [PROFILE_KEYS, ENV_KEYS, BASE_KEYS, CONTAINER_KEYS].map((k) => k.secretAccessKey)) {
    expect(plugin.plugin.stderr()).not.toContain(secret);
  }
  await plugin?.stop();
  await restricted?.stop();
  await new Promise((r) => containerEndpoint?.close(r));
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
  await expectWorking(plugin, withEndpoint({ authType: 'ec2_iam_role' }), sim.accountIdFor(CONTAINER_KEYS.accessKeyId));
  expect(containerRequests).toBeGreaterThan(before);
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
