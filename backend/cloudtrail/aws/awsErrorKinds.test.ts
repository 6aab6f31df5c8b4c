import { AssumeRoleError } from './assumeRole';
import { classifyAwsError } from './awsErrorKinds';
import { DeadlineExceededError } from '../core/errors';
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
