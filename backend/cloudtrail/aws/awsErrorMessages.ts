/**
 * The message, error source and status a user sees for a failed AWS call: one clear sentence that
 * names the operation, where calls go and what to check. Never credentials, nor SDK internals (such
 * as its "Deserialization error: … inspect the hidden field {error}.$response" hint).
 */
import type { ErrorSource } from '../../sdk/types';
import type { AssumeRoleError } from './assumeRole';
import {
  CREDENTIAL_NAMES,
  PERMISSION_NAMES,
  PROVIDER_NAMES,
  PROXY_AUTHENTICATION_REQUIRED,
  classifyAwsError,
  httpStatus,
  networkCode,
  type AwsLikeError,
} from './awsErrorKinds';
import { DeadlineExceededError } from '../core/errors';
import { HtmlResponseError, ResponseTooLargeError } from './responseGuard';

/** The IAM action each operation needs (ListInsightsMetricData is covered by LookupEvents). */
export const IAM_ACTIONS: Record<string, string> = {
  ListInsightsMetricData: 'cloudtrail:LookupEvents',
  LookupEvents: 'cloudtrail:LookupEvents',
  DescribeTrails: 'cloudtrail:DescribeTrails',
  GetInsightSelectors: 'cloudtrail:GetInsightSelectors',
  AssumeRole: 'sts:AssumeRole',
};

/** The SDK appends hints on further lines; the first line is what happened. */
const firstLine = (text: string) => text.split('\n')[0].replace(/\s+/g, ' ').trim();

export type Failure = [message: string, source: ErrorSource, status: number];

export function callFailure(error: unknown, operation: string, endpoint: string): Failure {
  const err = (error ?? {}) as AwsLikeError;
  const name = err.name ?? 'Error';
  const detail = truncate(firstLine(err.message ?? String(error)));
  const status = httpStatus(err);
  if (error instanceof DeadlineExceededError) {
    return [`${operation} was not attempted: ${detail}. Narrow the dashboard or try again.`, 'plugin', 504];
  }
  // Before the HTML check: a proxy's 407 usually comes with an HTML page.
  if (status === PROXY_AUTHENTICATION_REQUIRED) {
    return [
      `${endpoint} refused ${operation} with HTTP 407 Proxy Authentication Required: check the user and password in HTTPS_PROXY / HTTP_PROXY.`,
      'downstream',
      502,
    ];
  }
  if (error instanceof HtmlResponseError) {
    return [
      `${endpoint} answered ${operation} with HTTP ${error.httpStatus} and an HTML page${error.pageTitle ? ` ("${truncate(error.pageTitle, 80)}")` : ''}, not ${operation.startsWith('sts:') ? 'an STS answer' : 'CloudTrail JSON'}: a proxy or load balancer is in the way; check the endpoint and proxy settings.`,
      'downstream',
      502,
    ];
  }
  if (error instanceof ResponseTooLargeError) {
    return [
      error.declaredBytes !== undefined
        ? `${endpoint} answered ${operation} with ${error.declaredBytes} bytes, more than a valid answer can hold (at most ${error.limitBytes}); not read, to keep memory bounded.`
        : `${endpoint} answered ${operation} with more than ${error.limitBytes} bytes, more than a valid answer can hold; stopped reading it to keep memory bounded.`,
      'downstream',
      502,
    ];
  }
  // The SDK also names a reset socket TimeoutError (code ECONNRESET): those are network errors.
  if ((name === 'AbortError' || name === 'TimeoutError' || name === 'RequestTimeout') && !networkCode(err)) {
    return [`${operation} to ${endpoint} did not answer before the query's deadline.`, 'downstream', 504];
  }
  switch (classifyAwsError(error)) {
    case 'throttle':
      return [
        `CloudTrail kept throttling ${operation} (quota per account and region) after several retries; try again shortly or show fewer series at once.`,
        'downstream',
        429,
      ];
    case 'malformed':
      return [
        name === 'SyntaxError'
          ? `${endpoint} answered ${operation} with a response that is not valid CloudTrail JSON (${detail}).`
          : `${endpoint} answered ${operation} with CloudTrail JSON whose fields have the wrong types (${detail}).`,
        'downstream',
        502,
      ];
    case 'transient': {
      const code = networkCode(err);
      return code
        ? [`Could not reach ${endpoint} for ${operation} (${code}); check the endpoint and network.`, 'downstream', 502]
        : [
            `CloudTrail failed ${operation} with HTTP ${status ?? '5xx'} (${name}: ${detail}) after retries.`,
            'downstream',
            502,
          ];
    }
  }
  if (CREDENTIAL_NAMES.has(name)) {
    return [
      `AWS rejected the credentials (${name}: ${detail}); check the access key, secret key or profile.`,
      'downstream',
      401,
    ];
  }
  if (PERMISSION_NAMES.has(name) || status === 403) {
    const action = IAM_ACTIONS[operation] ?? `cloudtrail:${operation}`;
    return [
      `Access denied for ${operation}: grant the IAM action ${action} to these credentials (${detail}).`,
      'downstream',
      403,
    ];
  }
  if (PROVIDER_NAMES.has(name)) {
    return [`No AWS credentials could be loaded: ${detail}`, 'downstream', 401];
  }
  return [
    `CloudTrail rejected ${operation} (${name}): ${detail}`,
    'downstream',
    status && status >= 400 && status < 600 ? status : 502,
  ];
}

/** sts:AssumeRole failed before the CloudTrail call could be signed. */
export function assumeRoleFailure(error: AssumeRoleError, endpoint: string): Failure {
  const err = (error.cause ?? {}) as AwsLikeError;
  const name = err.name ?? 'Error';
  const detail = truncate(firstLine(err.message ?? String(error.cause)));
  const role = `the role ${error.roleArn}`;
  // What the proxy or the endpoint answered instead of STS: worded as for any call.
  if (
    httpStatus(err) === PROXY_AUTHENTICATION_REQUIRED ||
    err instanceof HtmlResponseError ||
    err instanceof ResponseTooLargeError
  ) {
    return callFailure(err, 'sts:AssumeRole', endpoint);
  }
  if (PERMISSION_NAMES.has(name) || httpStatus(err) === 403) {
    return [
      `AWS refused sts:AssumeRole on ${role} (${name}: ${detail}). Check that the role's trust policy trusts these base credentials (and requires the external ID configured, if any), and that the base credentials are allowed sts:AssumeRole on the role.`,
      'downstream',
      403,
    ];
  }
  if (CREDENTIAL_NAMES.has(name)) {
    return [
      `sts:AssumeRole on ${role} failed: AWS rejected the base credentials (${name}: ${detail}); check the access key, secret key or profile used to assume the role.`,
      'downstream',
      401,
    ];
  }
  const kind = classifyAwsError(err);
  if (kind === 'transient' || kind === 'throttle') {
    const code = networkCode(err);
    return [
      code
        ? `Could not reach AWS STS for sts:AssumeRole on ${role} (${code}; calls go to ${endpoint}); check the endpoint, proxy and network.`
        : `Could not get credentials from sts:AssumeRole on ${role} (${name}, HTTP ${httpStatus(err) ?? '?'}); try again shortly.`,
      'downstream',
      502,
    ];
  }
  return [
    `sts:AssumeRole on ${role} failed (${name}: ${detail}); check the role ARN and the assume-role settings.`,
    'downstream',
    httpStatus(err) === 400 ? 400 : 502,
  ];
}

function truncate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
