// The STS endpoint through @aws-sdk/client-sts: AssumeRole issues temporary credentials that CloudTrail
// calls then use (session token required, expiry on the simulator clock); GetCallerIdentity; errors.
import { CloudTrailClient, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { startSimulator } from '../index';
import { cloudTrail, errorOf, FIXED_NOW, signedHeaders, sts } from '../testSupport';
import type { RunningSimulator } from '../types';

const base = { accessKeyId: 'AKIABASEUSER00001', secretAccessKey: 'base-secret', accountId: '999988887777' };
const roleArn = 'arn:aws:iam::123456789012:role/grafana-cloudtrail-reader';
const guardedRole = { arn: 'arn:aws:iam::123456789012:role/third-party-reader', externalId: 'ext-4711' };
let now = FIXED_NOW;
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ now: () => now, quotas: false, credentials: [base], roles: [guardedRole] });
});
afterAll(() => sim.stop());
afterEach(() => {
  now = FIXED_NOW;
});

test('GetCallerIdentity of a long-term key', async () => {
  const out = await sts(sim, { credentials: base }).send(new GetCallerIdentityCommand({}));
  expect(out.Account).toBe('999988887777');
  expect(out.Arn).toBe('arn:aws:iam::999988887777:user/simulator-user');
});

test("AssumeRole credentials work for CloudTrail in the role's account, and identify as the assumed role", async () => {
  const out = await sts(sim, { credentials: base }).send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'grafana', DurationSeconds: 900 })
  );
  const c = out.Credentials!;
  expect(c.AccessKeyId).toMatch(/^ASIA/);
  expect(c.Expiration?.getTime()).toBe(FIXED_NOW + 900_000);
  expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::123456789012:assumed-role/grafana-cloudtrail-reader/grafana');
  const credentials = {
    accessKeyId: c.AccessKeyId!,
    secretAccessKey: c.SecretAccessKey!,
    sessionToken: c.SessionToken!,
  };
  const trails = await cloudTrail(sim, { credentials }).send(new DescribeTrailsCommand({}));
  expect(trails.trailList?.[0].TrailARN).toBe('arn:aws:cloudtrail:us-east-1:123456789012:trail/management-events');
  const who = await sts(sim, { credentials }).send(new GetCallerIdentityCommand({}));
  expect(who).toMatchObject({
    Account: '123456789012',
    Arn: 'arn:aws:sts::123456789012:assumed-role/grafana-cloudtrail-reader/grafana',
  });

  const withoutToken = await errorOf(
    cloudTrail(sim, { credentials: { ...credentials, sessionToken: undefined } }).send(new DescribeTrailsCommand({}))
  );
  expect(withoutToken.name).toBe('UnrecognizedClientException');
  now = FIXED_NOW + 900_000;
  const expired = await errorOf(cloudTrail(sim, { credentials }).send(new DescribeTrailsCommand({})));
  expect(expired.name).toBe('ExpiredTokenException');
});

test('a role whose trust policy requires an external id: without it or with another one AssumeRole is AccessDenied', async () => {
  const assume = (ExternalId?: string) =>
    sts(sim, { credentials: base }).send(
      new AssumeRoleCommand({ RoleArn: guardedRole.arn, RoleSessionName: 'grafana', ExternalId })
    );
  for (const externalId of [undefined, 'ext-other']) {
    const denied = await errorOf(assume(externalId));
    expect(denied.name).toBe('AccessDenied');
    expect(denied.$metadata?.httpStatusCode).toBe(403);
    expect(denied.message).toBe(
      `User: arn:aws:iam::999988887777:user/simulator-user is not authorized to perform: sts:AssumeRole on resource: ${guardedRole.arn}`
    );
  }
  const granted = await assume(guardedRole.externalId);
  expect(granted.AssumedRoleUser?.Arn).toBe('arn:aws:sts::123456789012:assumed-role/third-party-reader/grafana');
});

test("the SDK's fromTemporaryCredentials provider works against the simulator", async () => {
  const client = new CloudTrailClient({
    endpoint: sim.url,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: fromTemporaryCredentials({
      masterCredentials: base,
      params: { RoleArn: roleArn, RoleSessionName: 'provider-session' },
      clientConfig: { endpoint: sim.url, region: 'us-east-1' },
    }),
  });
  const out = await client.send(new DescribeTrailsCommand({}));
  expect(out.trailList?.[0].TrailARN).toContain(':123456789012:');
});

test.each([
  [{ RoleArn: roleArn, RoleSessionName: 'a' }, /roleSessionName.*length between 2 and 64/],
  [{ RoleArn: 'not-an-arn', RoleSessionName: 'ok-name' }, /not-an-arn is invalid/],
  [{ RoleArn: roleArn, RoleSessionName: 'ok-name', DurationSeconds: 600 }, /durationSeconds.*between 900 and 43200/],
])('AssumeRole(%j) → ValidationError', async (input, message) => {
  const error = await errorOf(sts(sim, { credentials: base }).send(new AssumeRoleCommand(input)));
  expect(error.name).toBe('ValidationError');
  expect(error.$metadata?.httpStatusCode).toBe(400);
  expect(error.message).toMatch(message);
});

test('STS authentication errors use STS codes: SignatureDoesNotMatch, InvalidClientTokenId', async () => {
  const wrongSecret = await errorOf(
    sts(sim, { credentials: { ...base, secretAccessKey: 'nope' } }).send(new GetCallerIdentityCommand({}))
  );
  expect(wrongSecret.name).toBe('SignatureDoesNotMatch');
  expect(wrongSecret.$metadata?.httpStatusCode).toBe(403);
  const unknown = await errorOf(
    sts(sim, { credentials: { accessKeyId: 'AKIANOBODY', secretAccessKey: 'x' } }).send(
      new GetCallerIdentityCommand({})
    )
  );
  expect(unknown.name).toBe('InvalidClientTokenId');
  expect(unknown.$metadata?.httpStatusCode).toBe(403);
});

test('unsigned STS requests → MissingAuthenticationToken (403); unimplemented actions → InvalidAction', async () => {
  const form = 'Action=GetSessionToken&Version=2011-06-15';
  const unsigned = await fetch(`${sim.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  expect(unsigned.status).toBe(403);
  expect(await unsigned.text()).toMatch(/<Code>MissingAuthenticationToken<\/Code>/);
  const headers = await signedHeaders(sim, {
    credentials: base,
    service: 'sts',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  const response = await fetch(`${sim.url}/`, { method: 'POST', headers, body: form });
  expect(response.status).toBe(400);
  const xml = await response.text();
  expect(xml).toMatch(/<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/">/);
  expect(xml).toMatch(/<Code>InvalidAction<\/Code>/);
});
