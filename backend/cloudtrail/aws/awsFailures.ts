/**
 * How a failed AWS call is classified and worded, in this one module:
 * - its kind, for retrying: throttled, transient (5xx, network, timeouts), an unreadable body, or
 *   final — told apart by the error's type, `name`, HTTP status and network code, never by its
 *   message text (save one last-resort read of a network code);
 * - the message, error source and status a user sees: one clear sentence that names the operation,
 *   where calls go and what to check — never credentials, nor SDK internals (such as its
 *   "Deserialization error: … inspect the hidden field {error}.$response" hint);
 * - `AwsCallError`, which still knows the operation and the SDK error's `name` for typed checks.
 */
import { QueryError, type ErrorSource } from '../../sdk/types';
import { DeadlineExceededError, STATUS } from '../core/errors';
import { AssumeRoleError } from './assumeRole';
import { HtmlResponseError, ResponseTooLargeError } from './responseGuard';

export type ErrorKind = 'throttle' | 'transient' | 'malformed' | 'fatal';

const THROTTLE_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ThrottledException',
  'SlowDown',
]);
export const CREDENTIAL_NAMES = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
]);
/** The credentials were right but their session ended: a different fix than a wrong key. */
export const EXPIRED_NAMES = new Set(['ExpiredToken', 'ExpiredTokenException']);
const EXPIRED_ADVICE =
  'temporary credentials must be renewed: paste a fresh session token with its key pair, or use a role or the default chain, which renew themselves';
export const PERMISSION_NAMES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'NotAuthorized',
  'UnauthorizedOperation',
]);
export const PROVIDER_NAMES = new Set(['CredentialsProviderError', 'ProviderError', 'TokenProviderError']);
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

export interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: unknown;
  cause?: unknown;
}

export function httpStatus(err: AwsLikeError): number | undefined {
  return err.$metadata?.httpStatusCode;
}

export function networkCode(err: AwsLikeError): string | undefined {
  const code = err.code ?? (err.cause as AwsLikeError | undefined)?.code;
  if (code && NETWORK_CODES.has(code)) {
    return code;
  }
  // Last resort: the SDK's retry layer wraps an error from another realm (a test runner's VM) as
  // "AWS SDK error wrapper for Error: connect ECONNREFUSED …", keeping only its text.
  const named = /\b(E[A-Z]{3,}|UND_ERR_SOCKET)\b/.exec(err.message ?? '')?.[1];
  return named && NETWORK_CODES.has(named) ? named : undefined;
}

/**
 * A body the SDK could not read: JSON.parse's SyntaxError, or any error its deserializer threw for
 * a 2xx body (those carry the hidden `$response` but, unlike service errors, no `$fault`).
 */
function isMalformed(err: AwsLikeError): boolean {
  return err.name === 'SyntaxError' || (err.$fault === undefined && '$response' in err);
}

/** HTTP 407: the proxy (not AWS) answered, refusing its credentials; retrying cannot help. */
export const PROXY_AUTHENTICATION_REQUIRED = 407;

export function classifyAwsError(error: unknown): ErrorKind {
  if (error instanceof AssumeRoleError) {
    return classifyAwsError(error.cause);
  }
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

/** The IAM action each operation needs (ListInsightsMetricData is covered by LookupEvents). */
export const IAM_ACTIONS: Record<string, string> = {
  ListInsightsMetricData: 'cloudtrail:LookupEvents',
  LookupEvents: 'cloudtrail:LookupEvents',
  DescribeTrails: 'cloudtrail:DescribeTrails',
  GetInsightSelectors: 'cloudtrail:GetInsightSelectors',
  ListInsightsData: 'cloudtrail:ListInsightsData',
  AssumeRole: 'sts:AssumeRole',
};

/**
 * The action AWS's AccessDenied message names ("… is not authorized to perform: cloudtrail:X …"):
 * ListInsightsMetricData with a TrailName also needs cloudtrail:ListInsightsData, and only the
 * message says which of the two was missing.
 */
function deniedAction(detail: string): string | undefined {
  return /not authorized to perform:? ([a-z0-9-]+:[A-Za-z0-9]+)/.exec(detail)?.[1];
}

/** The SDK appends hints on further lines; the first line is what happened. */
const firstLine = (text: string) => text.split('\n')[0].replace(/\s+/g, ' ').trim();

export type Failure = [message: string, source: ErrorSource, status: number];

export function callFailure(error: unknown, operation: string, endpoint: string): Failure {
  const err = (error ?? {}) as AwsLikeError;
  const name = err.name ?? 'Error';
  const detail = truncate(firstLine(err.message ?? String(error)));
  const status = httpStatus(err);
  if (error instanceof DeadlineExceededError) {
    return [`${operation} was not attempted: ${detail}. Narrow the dashboard or try again.`, 'plugin', STATUS.stopped];
  }
  // Before the HTML check: a proxy's 407 usually comes with an HTML page.
  if (status === PROXY_AUTHENTICATION_REQUIRED) {
    return [
      `${endpoint} refused ${operation} with HTTP 407 Proxy Authentication Required: check the user and password in HTTPS_PROXY / HTTP_PROXY.`,
      'downstream',
      STATUS.badUpstream,
    ];
  }
  if (error instanceof HtmlResponseError) {
    return [
      `${endpoint} answered ${operation} with HTTP ${error.httpStatus} and an HTML page${error.pageTitle ? ` ("${truncate(error.pageTitle, 80)}")` : ''}, not ${operation.startsWith('sts:') ? 'an STS answer' : 'CloudTrail JSON'}: a proxy or load balancer is in the way; check the endpoint and proxy settings.`,
      'downstream',
      STATUS.badUpstream,
    ];
  }
  if (error instanceof ResponseTooLargeError) {
    return [
      error.declaredBytes !== undefined
        ? `${endpoint} answered ${operation} with ${error.declaredBytes} bytes, more than a valid answer can hold (at most ${error.limitBytes}); not read, to keep memory bounded.`
        : `${endpoint} answered ${operation} with more than ${error.limitBytes} bytes, more than a valid answer can hold; stopped reading it to keep memory bounded.`,
      'downstream',
      STATUS.badUpstream,
    ];
  }
  // The SDK also names a reset socket TimeoutError (code ECONNRESET): those are network errors.
  if ((name === 'AbortError' || name === 'TimeoutError' || name === 'RequestTimeout') && !networkCode(err)) {
    return [`${operation} to ${endpoint} did not answer before the query's deadline.`, 'downstream', STATUS.stopped];
  }
  switch (classifyAwsError(error)) {
    case 'throttle':
      return [
        `CloudTrail kept throttling ${operation} (quota per account and region) after several retries; try again shortly or show fewer series at once.`,
        'downstream',
        STATUS.throttled,
      ];
    case 'malformed':
      return [
        name === 'SyntaxError'
          ? `${endpoint} answered ${operation} with a response that is not valid CloudTrail JSON (${detail}).`
          : `${endpoint} answered ${operation} with CloudTrail JSON whose fields have the wrong types (${detail}).`,
        'downstream',
        STATUS.badUpstream,
      ];
    case 'transient': {
      const code = networkCode(err);
      return code
        ? [
            `Could not reach ${endpoint} for ${operation} (${code}); check the endpoint and network.`,
            'downstream',
            STATUS.badUpstream,
          ]
        : [
            `CloudTrail failed ${operation} with HTTP ${status ?? '5xx'} (${name}: ${detail}) after retries.`,
            'downstream',
            STATUS.badUpstream,
          ];
    }
  }
  if (EXPIRED_NAMES.has(name)) {
    return [`The session token has expired (${name}: ${detail}); ${EXPIRED_ADVICE}.`, 'downstream', 401];
  }
  if (CREDENTIAL_NAMES.has(name)) {
    return [
      `AWS rejected the credentials (${name}: ${detail}); check the access key, secret key or profile.`,
      'downstream',
      401,
    ];
  }
  if (PERMISSION_NAMES.has(name) || status === 403) {
    const action = deniedAction(detail) ?? IAM_ACTIONS[operation] ?? `cloudtrail:${operation}`;
    return [
      `Access denied for ${operation}: grant the IAM action ${action} to these credentials (${detail}).`,
      'downstream',
      STATUS.notAllowed,
    ];
  }
  if (PROVIDER_NAMES.has(name)) {
    return [`No AWS credentials could be loaded: ${detail}`, 'downstream', 401];
  }
  return [
    `CloudTrail rejected ${operation} (${name}): ${detail}`,
    'downstream',
    status && status >= 400 && status < 600 ? status : STATUS.badUpstream,
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
  if (EXPIRED_NAMES.has(name)) {
    return [
      `sts:AssumeRole on ${role} failed: the base credentials' session token has expired (${name}: ${detail}); ${EXPIRED_ADVICE}.`,
      'downstream',
      401,
    ];
  }
  if (PERMISSION_NAMES.has(name) || httpStatus(err) === 403) {
    return [
      `AWS refused sts:AssumeRole on ${role} (${name}: ${detail}). Check that the role's trust policy trusts these base credentials (and requires the external ID configured, if any), and that the base credentials are allowed sts:AssumeRole on the role.`,
      'downstream',
      STATUS.notAllowed,
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
      STATUS.badUpstream,
    ];
  }
  return [
    `sts:AssumeRole on ${role} failed (${name}: ${detail}); check the role ARN and the assume-role settings.`,
    'downstream',
    httpStatus(err) === STATUS.invalid ? STATUS.invalid : STATUS.badUpstream,
  ];
}

function truncate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A failed AWS call, still knowing which operation failed and the SDK error's `name`. */
export class AwsCallError extends QueryError {
  constructor(
    message: string,
    errorSource: ErrorSource,
    status: number,
    readonly operation: string,
    readonly awsName?: string
  ) {
    super(message, errorSource, status);
  }
}

/** A user-facing error for a failed AWS call. `endpoint` names where we tried to reach. */
export function toQueryError(error: unknown, operation: string, endpoint: string): QueryError {
  if (error instanceof QueryError) {
    return error;
  }
  const err = (error ?? {}) as AwsLikeError;
  const [message, source, status] =
    error instanceof AssumeRoleError ? assumeRoleFailure(error, endpoint) : callFailure(error, operation, endpoint);
  return new AwsCallError(message, source, status, operation, err.name);
}
