import { AccessDeniedException, CloudTrailServiceException } from '@aws-sdk/client-cloudtrail';
import { QueryError } from '../sdk/types';
import { classifyAwsError, toQueryError } from './awsErrors';
import { DeadlineExceededError } from './rateLimiter';

const serviceError = (name: string, status: number, message = `${name} message`) =>
  new CloudTrailServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });

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

test('a QueryError passes through unchanged', () => {
  const original = new QueryError('mine', 'plugin', 418);
  expect(toQueryError(original, 'X', 'y')).toBe(original);
});
