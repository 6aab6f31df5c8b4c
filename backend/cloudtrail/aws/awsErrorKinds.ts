/**
 * What kind of failure an AWS SDK error is, for retrying: throttled, transient (5xx, network,
 * timeouts), an unreadable body, or final. Told apart by the error's type, `name`, HTTP status and
 * network code, never by its message text (save one last-resort read of a network code).
 */
import { AssumeRoleError } from './assumeRole';
import { DeadlineExceededError } from '../core/errors';

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
