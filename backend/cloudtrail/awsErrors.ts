/**
 * Sorting AWS SDK errors: which ones to retry, and the clear message, status and error source a
 * user sees for the ones that remain. Messages never include credentials.
 */
import { QueryError } from '../sdk/types';
import { DeadlineExceededError } from './rateLimiter';

export type ErrorKind = 'throttle' | 'transient' | 'malformed' | 'fatal';

const THROTTLE_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ThrottledException',
  'SlowDown',
]);
const CREDENTIAL_NAMES = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
]);
const PERMISSION_NAMES = new Set(['AccessDenied', 'AccessDeniedException', 'NotAuthorized', 'UnauthorizedOperation']);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

/** The IAM action each operation needs (ListInsightsMetricData is covered by LookupEvents). */
export const IAM_ACTIONS: Record<string, string> = {
  ListInsightsMetricData: 'cloudtrail:LookupEvents',
  LookupEvents: 'cloudtrail:LookupEvents',
  DescribeTrails: 'cloudtrail:DescribeTrails',
  GetInsightSelectors: 'cloudtrail:GetInsightSelectors',
  AssumeRole: 'sts:AssumeRole',
};

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: unknown;
  cause?: unknown;
}

function httpStatus(err: AwsLikeError): number | undefined {
  return err.$metadata?.httpStatusCode;
}

function networkCode(err: AwsLikeError): string | undefined {
  const code = err.code ?? (err.cause as AwsLikeError | undefined)?.code;
  if (code && NETWORK_CODES.has(code)) {
    return code;
  }
  return /socket hang up|ECONNRESET|ECONNREFUSED/.test(err.message ?? '') ? 'ECONNRESET' : undefined;
}

/** The SDK names an unreadable body SyntaxError and appends "Deserialization error" to the message. */
function isMalformed(err: AwsLikeError): boolean {
  return err.name === 'SyntaxError' || /Deserialization error/i.test(err.message ?? '');
}

/** HTTP 407: the proxy (not AWS) answered, refusing its credentials; retrying cannot help. */
const PROXY_AUTHENTICATION_REQUIRED = 407;

export function classifyAwsError(error: unknown): ErrorKind {
  const err = (error ?? {}) as AwsLikeError;
  if (
    error instanceof DeadlineExceededError ||
    err.name === 'AbortError' ||
    httpStatus(err) === PROXY_AUTHENTICATION_REQUIRED
  ) {
    return 'fatal';
  }
  if (THROTTLE_NAMES.has(err.name ?? '') || httpStatus(err) === 429) {
    return 'throttle';
  }
  const status = httpStatus(err);
  if (
    (status !== undefined && status >= 500) ||
    networkCode(err) ||
    err.name === 'TimeoutError' ||
    err.name === 'RequestTimeout'
  ) {
    return 'transient';
  }
  return isMalformed(err) ? 'malformed' : 'fatal';
}

/** A user-facing error for a failed AWS call. `endpoint` names where we tried to reach. */
export function toQueryError(error: unknown, operation: string, endpoint: string): QueryError {
  if (error instanceof QueryError) {
    return error;
  }
  const err = (error ?? {}) as AwsLikeError;
  const name = err.name ?? 'Error';
  const detail = (err.message ?? String(error)).replace(/\s+/g, ' ').trim();
  const status = httpStatus(err);
  if (error instanceof DeadlineExceededError) {
    return new QueryError(
      `${operation} was not attempted: ${detail}. Narrow the dashboard or try again.`,
      'plugin',
      504
    );
  }
  if (status === PROXY_AUTHENTICATION_REQUIRED) {
    return new QueryError(
      `${endpoint} refused ${operation} with HTTP 407 Proxy Authentication Required: check the user and password in HTTPS_PROXY / HTTP_PROXY.`,
      'downstream',
      502
    );
  }
  // The SDK also names a reset socket TimeoutError (code ECONNRESET): those are network errors.
  if ((name === 'AbortError' || name === 'TimeoutError' || name === 'RequestTimeout') && !networkCode(err)) {
    return new QueryError(`${operation} to ${endpoint} did not answer before the query's deadline.`, 'downstream', 504);
  }
  switch (classifyAwsError(error)) {
    case 'throttle':
      return new QueryError(
        `CloudTrail kept throttling ${operation} (quota per account and region) after several retries; try again shortly or show fewer series at once.`,
        'downstream',
        429
      );
    case 'malformed':
      return new QueryError(
        `${endpoint} answered ${operation} with a response that is not valid CloudTrail JSON (${truncate(detail)}).`,
        'downstream',
        502
      );
    case 'transient': {
      const code = networkCode(err);
      return code
        ? new QueryError(
            `Could not reach ${endpoint} for ${operation} (${code}); check the endpoint and network.`,
            'downstream',
            502
          )
        : new QueryError(
            `CloudTrail failed ${operation} with HTTP ${status ?? '5xx'} (${name}: ${truncate(detail)}) after retries.`,
            'downstream',
            502
          );
    }
  }
  if (CREDENTIAL_NAMES.has(name)) {
    return new QueryError(
      `AWS rejected the credentials (${name}: ${truncate(detail)}); check the access key, secret key or profile.`,
      'downstream',
      401
    );
  }
  if (PERMISSION_NAMES.has(name) || status === 403) {
    const action = IAM_ACTIONS[operation] ?? `cloudtrail:${operation}`;
    return new QueryError(
      `Access denied for ${operation}: grant the IAM action ${action} to these credentials (${truncate(detail)}).`,
      'downstream',
      403
    );
  }
  if (name === 'CredentialsProviderError' || /credential/i.test(name)) {
    return new QueryError(`No AWS credentials could be loaded: ${truncate(detail)}`, 'downstream', 401);
  }
  return new QueryError(
    `CloudTrail rejected ${operation} (${name}): ${truncate(detail)}`,
    'downstream',
    status && status >= 400 && status < 600 ? status : 502
  );
}

function truncate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
