/**
 * A failed AWS call as the query error a user sees (awsErrorMessages.ts), still knowing which
 * operation failed and the SDK error's `name` for typed checks. What to retry: awsErrorKinds.ts.
 */
import { QueryError, type ErrorSource } from '../../sdk/types';
import { AssumeRoleError } from './assumeRole';
import type { AwsLikeError } from './awsErrorKinds';
import { assumeRoleFailure, callFailure } from './awsErrorMessages';

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
