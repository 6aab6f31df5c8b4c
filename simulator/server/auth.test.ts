// SigV4: a missing or malformed Authorization header, unknown keys, wrong secrets and wrong scopes get
// AWS's answers; right keys pass; without configured keys anything signed is accepted.
import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { derivedAccountId, startSimulator } from '../index';
import { cloudTrail, errorOf, FIXED_NOW, rawCall, signedHeaders, TEST_KEY } from '../testSupport';
import type { RunningSimulator } from '../types';

const configured = { accessKeyId: 'AKIACONFIGURED0001', secretAccessKey: 'the-real-secret', accountId: '444455556666' };
let sim: RunningSimulator;
let open: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ now: () => FIXED_NOW, quotas: false, credentials: [configured] });
  open = await startSimulator({ now: () => FIXED_NOW, quotas: false });
});
afterAll(async () => {
  await sim.stop();
  await open.stop();
});

const describe_ = (target: RunningSimulator, credentials: { accessKeyId: string; secretAccessKey: string }) =>
  cloudTrail(target, { credentials }).send(new DescribeTrailsCommand({}));
const describeTrailsHeaders = {
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-target': 'CloudTrail_20131101.DescribeTrails',
};

test('the configured key with its secret passes, in its configured account', async () => {
  const out = await describe_(sim, configured);
  expect(out.trailList?.[0].TrailARN).toBe('arn:aws:cloudtrail:us-east-1:444455556666:trail/management-events');
});

test('the right key with a wrong secret → InvalidSignatureException (400)', async () => {
  const error = await errorOf(describe_(sim, { ...configured, secretAccessKey: 'guess' }));
  expect(error.name).toBe('InvalidSignatureException');
  expect(error.$metadata?.httpStatusCode).toBe(400);
  expect(error.message).toMatch(/^The request signature we calculated does not match the signature you provided/);
});

test('an unknown access key → UnrecognizedClientException', async () => {
  const error = await errorOf(describe_(sim, { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' }));
  expect(error.name).toBe('UnrecognizedClientException');
  expect(error.message).toBe('The security token included in the request is invalid.');
});

test('a body altered after signing fails the signature check', async () => {
  const response = await rawCall(sim, {
    target: 'CloudTrail_20131101.DescribeTrails',
    credentials: configured,
    body: '{}',
    headers: {},
  });
  expect(response.status).toBe(200);
  const headers = await signedHeaders(sim, { credentials: configured, headers: describeTrailsHeaders, body: '{}' });
  const tampered = await fetch(`${sim.url}/`, { method: 'POST', headers, body: '{"trailNameList":["x"]}' });
  expect(tampered.status).toBe(400);
  expect(((await tampered.json()) as { __type: string }).__type).toBe(
    'com.amazon.coral.service#InvalidSignatureException'
  );
});

test('exactly the SignedHeaders count: no x-amz-content-sha256 signed (as aws-sdk-go-v2 signs) passes, unsigned headers may change', async () => {
  const headers = await signedHeaders(sim, {
    credentials: configured,
    headers: describeTrailsHeaders,
    body: '{}',
    contentSha256: false,
  });
  expect(headers['x-amz-content-sha256']).toBeUndefined();
  const accepted = await fetch(`${sim.url}/`, {
    method: 'POST',
    headers: { ...headers, 'x-added-by-a-proxy': 'not signed' },
    body: '{}',
  });
  expect(accepted.status).toBe(200);
  const retargeted = await fetch(`${sim.url}/`, {
    method: 'POST',
    headers: { ...headers, 'x-amz-target': 'CloudTrail_20131101.GetTrailStatus' },
    body: '{}',
  });
  expect(retargeted.status).toBe(400);
  expect(((await retargeted.json()) as { __type: string }).__type).toBe(
    'com.amazon.coral.service#InvalidSignatureException'
  );
});

test('no Authorization header → MissingAuthenticationTokenException, even without configured keys', async () => {
  for (const target of [sim, open]) {
    const response = await rawCall(target, { target: 'CloudTrail_20131101.DescribeTrails', sign: false });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
      message: 'Request is missing Authentication Token',
    });
  }
});

test('a malformed Authorization header → IncompleteSignatureException', async () => {
  const response = await rawCall(open, {
    target: 'CloudTrail_20131101.DescribeTrails',
    sign: false,
    headers: {
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20261124/us-east-1/cloudtrail/aws4_request',
      'x-amz-date': '20261124T120000Z',
    },
  });
  expect(response.json.__type).toBe('com.amazon.coral.service#IncompleteSignatureException');
  expect(response.json.message).toMatch(/requires 'SignedHeaders' parameter/);
});

test('a signature scoped to another service → InvalidSignatureException', async () => {
  const response = await rawCall(open, { target: 'CloudTrail_20131101.DescribeTrails', service: 'dynamodb' });
  expect(response.json).toEqual({
    __type: 'com.amazon.coral.service#InvalidSignatureException',
    message: "Credential should be scoped to correct service: 'cloudtrail'.",
  });
});

test('without configured keys any signed key is accepted and mapped to a stable derived account', async () => {
  const out = await describe_(open, TEST_KEY);
  const account = derivedAccountId(TEST_KEY.accessKeyId);
  expect(account).toMatch(/^\d{12}$/);
  expect(open.accountIdFor(TEST_KEY.accessKeyId)).toBe(account);
  expect(out.trailList?.[0].TrailARN).toBe(`arn:aws:cloudtrail:us-east-1:${account}:trail/management-events`);
  expect(derivedAccountId('AKIADIFFERENT')).not.toBe(account);
});

test('a signature dated more than 15 minutes away (real time) → InvalidSignatureException "Signature expired"', async () => {
  const headers = await signedHeaders(open, {
    headers: describeTrailsHeaders,
    body: '{}',
    signingDate: new Date(Date.now() - 16 * 60_000),
  });
  const response = await fetch(`${open.url}/`, { method: 'POST', headers, body: '{}' });
  const body = (await response.json()) as { __type: string; message: string };
  expect(body.__type).toBe('com.amazon.coral.service#InvalidSignatureException');
  expect(body.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z/);
});
