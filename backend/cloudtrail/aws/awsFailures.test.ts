import { AccessDeniedException } from '@aws-sdk/client-cloudtrail';
import { QueryError } from '../../sdk/types';
import { DeadlineExceededError } from '../core/errors';
import { AssumeRoleError } from './assumeRole';
import { AwsCallError, classifyAwsError, toQueryError } from './awsFailures';
import { HtmlResponseError, ResponseTooLargeError } from './responseGuard';
import { deserializationError, serviceError } from '../testing/sdkErrors';

test.each([
  [serviceError('ThrottlingException', 400), 'throttle'],
  [serviceError('InternalFailure', 500), 'transient'],
  [Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }), 'transient'],
  [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'transient'],
  [Object.assign(new SyntaxError('Unexpected end of JSON input'), { $metadata: { httpStatusCode: 200 } }), 'malformed'],
  [serviceError('InvalidParameterException', 400), 'fatal'],
  [new DeadlineExceededError('late'), 'fatal'],
])('%s is %s', (error, kind) => {
  expect(classifyAwsError(error)).toBe(kind);
});

test('a body the SDK could not read is malformed, whatever its parser threw', () => {
  expect(classifyAwsError(deserializationError(new SyntaxError('Unexpected end of JSON input'), 200))).toBe(
    'malformed'
  );
  expect(classifyAwsError(deserializationError(new TypeError('Expected real number, got implicit NaN'), 200))).toBe(
    'malformed'
  );
});

test('an HTML 5xx page is retried like the 5xx it is; a 200 HTML page and an oversized answer are final', () => {
  expect(classifyAwsError(new HtmlResponseError(502, '502 Bad Gateway'))).toBe('transient');
  expect(classifyAwsError(new HtmlResponseError(200))).toBe('fatal');
  expect(classifyAwsError(new ResponseTooLargeError(1_000_000))).toBe('fatal');
});

test('a failed sts:AssumeRole is sorted by what STS answered', () => {
  const role = 'arn:aws:iam::123456789012:role/grafana';
  expect(classifyAwsError(new AssumeRoleError(role, serviceError('InternalFailure', 500)))).toBe('transient');
  expect(classifyAwsError(new AssumeRoleError(role, serviceError('AccessDenied', 403)))).toBe('fatal');
});

// The sentences users see for failed AWS calls, through toQueryError, which picks them.

test('missing permission names the IAM action to grant', () => {
  const denied = new AccessDeniedException({
    $metadata: { httpStatusCode: 400 },
    message: 'User: arn:aws:iam::1:user/g is not authorized to perform: cloudtrail:DescribeTrails',
  });
  const error = toQueryError(denied, 'DescribeTrails', 'cloudtrail.us-east-1.amazonaws.com');
  expect(error).toMatchObject({ errorSource: 'downstream', status: 403 });
  expect(error.message).toMatch(/^Access denied for DescribeTrails: grant the IAM action cloudtrail:DescribeTrails/);
  expect(toQueryError(serviceError('AccessDeniedException', 403), 'ListInsightsMetricData', 'x').message).toContain(
    'cloudtrail:LookupEvents'
  );
});

test('data-event Insights: ListInsightsData, and ListInsightsMetricData with a trail, name cloudtrail:ListInsightsData', () => {
  expect(toQueryError(serviceError('AccessDeniedException', 400), 'ListInsightsData', 'x').message).toMatch(
    /^Access denied for ListInsightsData: grant the IAM action cloudtrail:ListInsightsData /
  );
  // The same operation needs cloudtrail:LookupEvents, and cloudtrail:ListInsightsData with a TrailName:
  // the message AWS sends says which one is missing.
  const trail = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/data-events';
  const denied = new AccessDeniedException({
    $metadata: { httpStatusCode: 400 },
    message: `User: arn:aws:iam::123456789012:user/g is not authorized to perform: cloudtrail:ListInsightsData on resource: ${trail} because no identity-based policy allows the cloudtrail:ListInsightsData action`,
  });
  expect(toQueryError(denied, 'ListInsightsMetricData', 'x').message).toMatch(
    /^Access denied for ListInsightsMetricData: grant the IAM action cloudtrail:ListInsightsData /
  );
});

test('messages for credentials, throttling, network, 5xx, bodies and deadlines', () => {
  const at = 'http://127.0.0.1:4599';
  expect(toQueryError(serviceError('UnrecognizedClientException', 400), 'LookupEvents', at)).toMatchObject({
    status: 401,
    message: expect.stringMatching(/^AWS rejected the credentials \(UnrecognizedClientException/),
  });
  expect(toQueryError(serviceError('ThrottlingException', 400), 'ListInsightsMetricData', at)).toMatchObject({
    status: 429,
    message: expect.stringContaining('kept throttling ListInsightsMetricData'),
  });
  expect(
    toQueryError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'DescribeTrails', at)
      .message
  ).toBe(`Could not reach ${at} for DescribeTrails (ECONNREFUSED); check the endpoint and network.`);
  expect(toQueryError(serviceError('InternalFailure', 500), 'ListInsightsMetricData', at)).toMatchObject({
    status: 502,
    errorSource: 'downstream',
  });
  expect(toQueryError(new SyntaxError('Unexpected end'), 'ListInsightsMetricData', at).message).toContain(
    'not valid CloudTrail JSON'
  );
  expect(toQueryError(new DeadlineExceededError('queued too long'), 'ListInsightsMetricData', at)).toMatchObject({
    status: 504,
    errorSource: 'plugin',
  });
  expect(
    toQueryError(
      serviceError('InvalidParameterException', 400, 'StartTime is outside the retention'),
      'ListInsightsMetricData',
      at
    )
  ).toMatchObject({
    status: 400,
    errorSource: 'downstream',
    message:
      'CloudTrail rejected ListInsightsMetricData (InvalidParameterException): StartTime is outside the retention',
  });
});

test('unreadable bodies are named without the SDK hint, by type', () => {
  const truncated = deserializationError(new SyntaxError('Unexpected end of JSON input'), 200);
  expect(toQueryError(truncated, 'ListInsightsMetricData', 'http://sim').message).toBe(
    'http://sim answered ListInsightsMetricData with a response that is not valid CloudTrail JSON (Unexpected end of JSON input).'
  );
  const wrongType = deserializationError(new TypeError('Expected real number, got implicit NaN'), 200);
  const message = toQueryError(wrongType, 'ListInsightsMetricData', 'http://sim').message;
  expect(message).toBe(
    'http://sim answered ListInsightsMetricData with CloudTrail JSON whose fields have the wrong types (Expected real number, got implicit NaN).'
  );
  expect(message).not.toMatch(/Deserialization|\$response|hidden field/);
});

test('an HTML page from a proxy and an oversized answer are named as such', () => {
  const html = new HtmlResponseError(502, '502 Bad Gateway');
  expect(toQueryError(html, 'DescribeTrails', 'http://sim')).toMatchObject({
    status: 502,
    errorSource: 'downstream',
    message:
      'http://sim answered DescribeTrails with HTTP 502 and an HTML page ("502 Bad Gateway"), not CloudTrail JSON: a proxy or load balancer is in the way; check the endpoint and proxy settings.',
  });
  expect(toQueryError(new ResponseTooLargeError(10, 50), 'LookupEvents', 'http://sim').message).toBe(
    'http://sim answered LookupEvents with 50 bytes, more than a valid answer can hold (at most 10); not read, to keep memory bounded.'
  );
  const large = new ResponseTooLargeError(1_000_000);
  expect(toQueryError(large, 'ListInsightsMetricData', 'http://sim').message).toBe(
    'http://sim answered ListInsightsMetricData with more than 1000000 bytes, more than a valid answer can hold; stopped reading it to keep memory bounded.'
  );
});

test('a failed sts:AssumeRole names sts:AssumeRole and the trust policy, not a CloudTrail permission', () => {
  const role = 'arn:aws:iam::123456789012:role/grafana';
  const denied = new AssumeRoleError(
    role,
    Object.assign(
      new Error(`User: arn:aws:iam::1:user/g is not authorized to perform: sts:AssumeRole on resource: ${role}`),
      {
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      }
    )
  );
  const error = toQueryError(denied, 'ListInsightsMetricData', 'http://sim');
  expect(error).toMatchObject({ status: 403, errorSource: 'downstream', operation: 'ListInsightsMetricData' });
  expect(error.message).toMatch(new RegExp(`^AWS refused sts:AssumeRole on the role ${role} \\(AccessDenied: `));
  expect(error.message).toContain("the role's trust policy");
  expect(error.message).not.toContain('cloudtrail:LookupEvents');
  const outage = new AssumeRoleError(role, serviceError('InternalFailure', 500));
  expect(toQueryError(outage, 'DescribeTrails', 'x').message).toContain(
    'Could not get credentials from sts:AssumeRole'
  );
  const unreachable = new AssumeRoleError(
    role,
    Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
  );
  expect(toQueryError(unreachable, 'DescribeTrails', 'http://sim').message).toBe(
    `Could not reach AWS STS for sts:AssumeRole on the role ${role} (ECONNREFUSED; calls go to http://sim); check the endpoint, proxy and network.`
  );
  const badBase = new AssumeRoleError(role, serviceError('InvalidClientTokenId', 403));
  expect(toQueryError(badBase, 'DescribeTrails', 'x')).toMatchObject({ status: 403 });
  const badKey = new AssumeRoleError(role, serviceError('SignatureDoesNotMatch', 400));
  expect(toQueryError(badKey, 'DescribeTrails', 'x').message).toContain('AWS rejected the base credentials');
});

test('an HTML page or an oversized answer instead of sts:AssumeRole is named like any call, as not STS', () => {
  const role = 'arn:aws:iam::123456789012:role/grafana';
  const html = new AssumeRoleError(role, new HtmlResponseError(200, 'Sign in'));
  expect(toQueryError(html, 'ListInsightsMetricData', 'http://sim')).toMatchObject({
    status: 502,
    errorSource: 'downstream',
    message:
      'http://sim answered sts:AssumeRole with HTTP 200 and an HTML page ("Sign in"), not an STS answer: a proxy or load balancer is in the way; check the endpoint and proxy settings.',
  });
  const large = new AssumeRoleError(role, new ResponseTooLargeError(16_777_216));
  expect(toQueryError(large, 'ListInsightsMetricData', 'http://sim').message).toBe(
    'http://sim answered sts:AssumeRole with more than 16777216 bytes, more than a valid answer can hold; stopped reading it to keep memory bounded.'
  );
});

test('a QueryError passes through unchanged', () => {
  const original = new QueryError('mine', 'plugin', 418);
  expect(toQueryError(original, 'X', 'y')).toBe(original);
});

test('failed calls keep the operation and the SDK error name (for typed checks such as InsightNotEnabled)', () => {
  const error = toQueryError(serviceError('InsightNotEnabledException', 400), 'GetInsightSelectors', 'x');
  expect(error).toBeInstanceOf(AwsCallError);
  expect(error).toMatchObject({ operation: 'GetInsightSelectors', awsName: 'InsightNotEnabledException' });
});

test('an expired session token is named as such, not as a wrong key', () => {
  for (const name of ['ExpiredTokenException', 'ExpiredToken']) {
    const error = toQueryError(
      serviceError(name, name === 'ExpiredToken' ? 403 : 400),
      'ListInsightsMetricData',
      'https://cloudtrail.us-east-1.amazonaws.com'
    );
    expect(error).toMatchObject({ status: 401, errorSource: 'downstream' });
    expect(error.message).toMatch(new RegExp(`^The session token has expired \\(${name}: `));
    expect(error.message).toContain('temporary credentials must be renewed');
    expect(error.message).not.toContain('check the access key, secret key or profile');
  }
  const base = toQueryError(
    new AssumeRoleError('arn:aws:iam::123456789012:role/r', serviceError('ExpiredToken', 403)),
    'ListInsightsMetricData',
    'https://sts.us-east-1.amazonaws.com'
  );
  expect(base.message).toMatch(
    /^sts:AssumeRole on the role arn:aws:iam::123456789012:role\/r failed: the base credentials' session token has expired/
  );
});
