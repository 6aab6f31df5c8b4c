import { QueryError } from '../../sdk/types';
import { AccountResolver, materialHash, type CredentialMaterial } from './accounts';

const material: CredentialMaterial = {
  settings: { authType: 'keys', accessKey: 'AKID', secretKey: 'secret' },
  resolved: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
};

/** Material `hash` in us-east-1. */
const m = (hash: string) => ({ hash, region: 'us-east-1' });

const awsError = (name: string, status: number) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });

test('the material hash changes with every secret part and reveals none', () => {
  const variants: CredentialMaterial[] = [
    material,
    { ...material, resolved: { ...material.resolved, secretAccessKey: 'other' } },
    { ...material, resolved: { ...material.resolved, sessionToken: 'token' } },
    { ...material, externalId: 'ext' },
    { ...material, settings: { ...material.settings, assumeRoleArn: 'arn:aws:iam::111111111111:role/r' } },
    { ...material, settings: { ...material.settings, profile: 'p' } },
    { ...material, settings: { ...material.settings, endpoint: 'http://127.0.0.1:1' } },
    { ...material, settings: { ...material.settings, authType: 'default' } },
  ];
  const hashes = variants.map(materialHash);
  expect(new Set(hashes).size).toBe(hashes.length);
  hashes.forEach((h) => expect(h).toMatch(/^[0-9a-f]{32}$/));
  expect(materialHash({ ...material })).toBe(hashes[0]);
});

test('one STS call per material and TTL; concurrent callers share it', async () => {
  let now = 0;
  let calls = 0;
  const resolver = new AccountResolver({ ttlMs: 1000, now: () => now });
  const lookup = async () => {
    calls++;
    await new Promise((r) => setTimeout(r, 5));
    return '111111111111';
  };
  const [a, b] = await Promise.all([resolver.resolve(m('h'), lookup, 'sts'), resolver.resolve(m('h'), lookup, 'sts')]);
  expect(a).toEqual({ kind: 'account', accountId: '111111111111' });
  expect(b).toEqual(a);
  expect(calls).toBe(1);
  now = 999;
  await resolver.resolve(m('h'), lookup, 'sts');
  expect(calls).toBe(1);
  now = 1001;
  await resolver.resolve(m('h'), lookup, 'sts');
  expect(calls).toBe(2);
});

test("an authentication failure is the caller's own error and is not remembered", async () => {
  const resolver = new AccountResolver();
  let fail = true;
  const lookup = async () => {
    if (fail) {
      throw awsError('SignatureDoesNotMatch', 403);
    }
    return '111111111111';
  };
  const failed = resolver.resolve(m('h'), lookup, 'sts.example');
  await expect(failed).rejects.toBeInstanceOf(QueryError);
  await expect(failed).rejects.toMatchObject({ status: 401, errorSource: 'downstream' });
  expect(resolver.size).toBe(0);
  fail = false;
  await expect(resolver.resolve(m('h'), lookup, 'sts.example')).resolves.toMatchObject({ kind: 'account' });
});

test('an unreachable or non-STS endpoint falls back to the material hash, for a short while', async () => {
  let now = 0;
  const resolver = new AccountResolver({ fallbackTtlMs: 100, now: () => now });
  let calls = 0;
  const down = async (): Promise<string> => {
    calls++;
    throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  };
  expect(await resolver.resolve(m('h'), down, 'sts')).toEqual({ kind: 'credentials', hash: 'h' });
  expect(await resolver.resolve(m('h'), down, 'sts')).toEqual({ kind: 'credentials', hash: 'h' });
  expect(calls).toBe(1);
  now = 101;
  expect(await resolver.resolve(m('h'), async () => '222222222222', 'sts')).toEqual({
    kind: 'account',
    accountId: '222222222222',
  });
  expect(await resolver.resolve(m('x'), async () => 'not-an-account', 'sts')).toEqual({
    kind: 'credentials',
    hash: 'x',
  });
  expect(await resolver.resolve(m('y'), async () => Promise.reject(awsError('InternalFailure', 500)), 'sts')).toEqual({
    kind: 'credentials',
    hash: 'y',
  });
});

test('entries are bounded, least recently used first', async () => {
  const resolver = new AccountResolver({ maxEntries: 2 });
  let calls = 0;
  const lookup = async () => {
    calls++;
    return '111111111111';
  };
  await resolver.resolve(m('a'), lookup, 'sts');
  await resolver.resolve(m('b'), lookup, 'sts');
  await resolver.resolve(m('a'), lookup, 'sts'); // a is now the most recent
  await resolver.resolve(m('c'), lookup, 'sts');
  expect(resolver.size).toBe(2);
  expect(calls).toBe(3);
  await resolver.resolve(m('a'), lookup, 'sts');
  expect(calls).toBe(3);
  await resolver.resolve(m('b'), lookup, 'sts');
  expect(calls).toBe(4);
});

test('a cancelled caller stops waiting; the shared proof still serves the others', async () => {
  const resolver = new AccountResolver();
  let release!: (v: string) => void;
  const lookup = () => new Promise<string>((r) => (release = r));
  const controller = new AbortController();
  const cancelled = resolver.resolve(m('h'), lookup, 'sts', controller.signal);
  const other = resolver.resolve(m('h'), lookup, 'sts');
  controller.abort();
  await expect(cancelled).rejects.toMatchObject({ status: 504 });
  release('111111111111');
  await expect(other).resolves.toMatchObject({ kind: 'account' });
});

test("the proof is per region, and a denied permission proof is the caller's own error", async () => {
  const resolver = new AccountResolver();
  let calls = 0;
  const lookup = async () => {
    calls++;
    return '111111111111';
  };
  await resolver.resolve({ hash: 'h', region: 'us-east-1' }, lookup, 'sts');
  await resolver.resolve({ hash: 'h', region: 'eu-west-1' }, lookup, 'sts');
  expect(calls).toBe(2);
  const denied = new QueryError(
    'Access denied for LookupEvents: grant the IAM action cloudtrail:LookupEvents',
    'downstream',
    403
  );
  await expect(resolver.resolve(m('d'), () => Promise.reject(denied), 'sts')).rejects.toBe(denied);
  const unreachable = new QueryError('Could not reach the endpoint for LookupEvents (ECONNREFUSED)', 'downstream', 502);
  expect(await resolver.resolve(m('u'), () => Promise.reject(unreachable), 'sts')).toEqual({
    kind: 'credentials',
    hash: 'u',
  });
});
