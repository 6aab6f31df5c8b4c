import { startSimulator, type RunningSimulator } from '../../../simulator';
import { QueryError } from '../../sdk/types';
import { AccountResolver } from './accounts';
import { pacingOf } from '../pacing/quotas';
import { RateLimiter } from '../pacing/rateLimiter';
import { ClientPool } from './clients';
import { authPolicy, type CloudTrailSettings } from './settings';
import { DEFAULT_RESPONSE_LIMIT_BYTES } from './responseGuard';
import { startAnsweringServer, streamEndlessly } from '../testing/answeringServer';

const ACCOUNT = '123456789012';
const ALICE = { accessKeyId: 'AKIDALICE', secretAccessKey: 'alice-secret', accountId: ACCOUNT };
const BOB = { accessKeyId: 'AKIDBOB', secretAccessKey: 'bob-secret', accountId: ACCOUNT };
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 'clients', credentials: [ALICE, BOB] });
});
afterAll(() => sim.stop());

const keys = (k: { accessKeyId: string; secretAccessKey: string }, extra: Partial<CloudTrailSettings> = {}) =>
  ({
    authType: 'keys',
    defaultRegion: 'eu-west-1',
    accessKey: k.accessKeyId,
    secretKey: k.secretAccessKey,
    endpoint: sim.url,
    ...extra,
  }) satisfies CloudTrailSettings;

// One pacing for the file, as the process has one.
const PACING = pacingOf(new RateLimiter());
const pool = (settings: CloudTrailSettings, accounts = new AccountResolver()) =>
  new ClientPool(settings, authPolicy({}, {}), { pacing: PACING, accounts, hostEnv: process.env });

test('one client per region, reused, with SDK retries off and the custom endpoint', async () => {
  const p = pool(keys(ALICE));
  const a = p.cloudTrailClient('eu-west-1');
  expect(p.cloudTrailClient('eu-west-1')).toBe(a);
  expect(p.cloudTrailClient('us-east-1')).not.toBe(a);
  expect(p.size).toBe(2);
  expect(await a.config.maxAttempts()).toBe(1);
  expect(await a.config.region()).toBe('eu-west-1');
  const endpoint = await a.config.endpoint!();
  expect(`${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`).toBe(sim.url);
  p.dispose();
  expect(p.size).toBe(0);
});

test('region: the query override, else the default region', () => {
  const p = pool(keys(ALICE));
  expect(p.region()).toBe('eu-west-1');
  expect(p.region('ap-south-1')).toBe('ap-south-1');
});

test('scope: different keys of one account share one scope, proven once per credential material', async () => {
  const accounts = new AccountResolver();
  sim.resetCounts();
  const alice = await pool(keys(ALICE), accounts).scope('ap-south-1');
  const bob = await pool(keys(BOB), accounts).scope('ap-south-1');
  await pool(keys(ALICE), accounts).scope('ap-south-1');
  expect(alice.account.principal).toEqual({ kind: 'account', accountId: ACCOUNT });
  expect(bob.account.id).toBe(alice.account.id);
  expect(alice.endpointLabel).toBe(sim.url);
  expect(alice.account.id).not.toMatch(/secret|AKID/);
  expect(sim.calls().GetCallerIdentity).toBe(2);
  expect(accounts.size).toBe(2);
});

test('scope: the right key id with a wrong secret gets its own error, never the cached account', async () => {
  const accounts = new AccountResolver();
  await pool(keys(ALICE), accounts).scope('us-east-1');
  const wrong = pool(keys({ ...ALICE, secretAccessKey: 'guessed' }), accounts).scope('us-east-1');
  await expect(wrong).rejects.toThrow(QueryError);
  await expect(wrong).rejects.toMatchObject({ status: 401, errorSource: 'downstream' });
  await expect(wrong).rejects.toThrow(/SignatureDoesNotMatch/);
});

test('scope: where STS cannot be reached, the hash of the full credential material is the principal', async () => {
  const closed = await startSimulator({ seed: 'closed' });
  const url = closed.url;
  await closed.stop();
  const accounts = new AccountResolver();
  const a = await pool(keys(ALICE, { endpoint: url }), accounts).scope('us-east-1');
  const b = await pool(keys({ ...ALICE, secretAccessKey: 'other' }, { endpoint: url }), accounts).scope('us-east-1');
  const again = await pool(keys(ALICE, { endpoint: url }), accounts).scope('us-east-1');
  expect(a.account.principal.kind).toBe('credentials');
  expect(b.account.id).not.toBe(a.account.id);
  expect(again.account.id).toBe(a.account.id);
  expect(a.account.id).not.toContain('alice-secret');
});

test('scope: a principal of a proven account must itself hold cloudtrail:LookupEvents', async () => {
  const accounts = new AccountResolver();
  await pool(keys(ALICE), accounts).scope('sa-east-1');
  sim.setFaults({ accessDenied: { operations: ['LookupEvents'] } });
  try {
    const bob = pool(keys(BOB), accounts).scope('sa-east-1');
    await expect(bob).rejects.toMatchObject({ status: 403, errorSource: 'downstream' });
    await expect(bob).rejects.toThrow(/cloudtrail:LookupEvents/);
  } finally {
    sim.setFaults({ accessDenied: false });
  }
});

test('scope: an endless GetCallerIdentity answer is cut off at the bound; the principal falls back', async () => {
  const server = await startAnsweringServer();
  try {
    server.answer = (res) =>
      streamEndlessly(server, res, {
        contentType: 'text/xml',
        prefix:
          '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>',
        chunk: `<Arn>${'a'.repeat(64 * 1024)}</Arn>`,
        capBytes: 4 * DEFAULT_RESPONSE_LIMIT_BYTES,
      });
    const scope = await pool(keys(ALICE, { endpoint: server.url })).scope('us-east-1');
    expect(scope.account.principal.kind).toBe('credentials');
    // The socket was closed soon after the bound (socket buffers allow some slack).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.bytesSent).toBeLessThan(DEFAULT_RESPONSE_LIMIT_BYTES + 16 * 1024 * 1024);
  } finally {
    await server.close();
  }
});

test('once disposed, a client somebody still holds refuses every command before anything is sent', async () => {
  const p = pool(keys(ALICE));
  const client = p.cloudTrailClient('eu-west-1');
  await p.scope('eu-west-1');
  expect(p.lifetime.aborted).toBe(false);
  p.dispose();
  expect(p.lifetime.aborted).toBe(true);
  sim.resetCounts();
  const { DescribeTrailsCommand } = await import('@aws-sdk/client-cloudtrail');
  await expect(client.send(new DescribeTrailsCommand({}))).rejects.toMatchObject({
    message: expect.stringContaining('was retired'),
  });
  expect(() => p.cloudTrailClient('eu-west-1')).toThrow(QueryError);
  expect(sim.calls()).toEqual({});
});

test('the scope names the exact caller, secret-free: the same for two keys of one IAM identity', async () => {
  const accounts = new AccountResolver();
  const alice = await pool(keys(ALICE), accounts).scope('eu-west-1');
  const bob = await pool(keys(BOB), accounts).scope('eu-west-1');
  // The simulator names every key of an account the same IAM user.
  expect(alice.caller).toMatch(/^arn:[0-9a-f]{32}$/);
  expect(bob.caller).toBe(alice.caller);
  expect(alice.caller).not.toContain(ACCOUNT);
});

test('settings the server does not allow make no client at all (endpoint guard as a backstop)', () => {
  const guarded = new ClientPool(
    { authType: 'default', defaultRegion: 'eu-west-1', endpoint: 'http://127.0.0.1:1' },
    authPolicy({}, {}),
    { pacing: PACING, accounts: new AccountResolver(), hostEnv: process.env, endpoints: { allowedOrigins: [] } }
  );
  expect(() => guarded.cloudTrailClient('eu-west-1')).toThrow(/allowed_endpoints/);
  const allowed = new ClientPool(
    { authType: 'default', defaultRegion: 'eu-west-1', endpoint: 'http://127.0.0.1:1' },
    authPolicy({}, {}),
    {
      pacing: PACING,
      accounts: new AccountResolver(),
      hostEnv: process.env,
      endpoints: { allowedOrigins: ['http://127.0.0.1:1'] },
    }
  );
  expect(allowed.cloudTrailClient('eu-west-1')).toBeDefined();
  allowed.dispose();
});
