/**
 * The words and statuses every layer uses for a failed request, in one place:
 * - STATUS: the HTTP status Grafana shows for each kind of failure (DataResponse.status and
 *   resource answers), so no layer writes a bare number;
 * - one vocabulary for a request that ended before its answer: *cancelled* (the caller gave up),
 *   *deadline* (its time ran out, or its turn under the quota would come too late) and
 *   *attempt timeout* (one try took too long: retried while the deadline allows);
 * - errors recognised by class, never by message text.
 * How a failed AWS call is classified and worded: aws/awsFailures.ts.
 */
import { QueryError } from '../../sdk/types';

export const STATUS = {
  ok: 200,
  /** The query, a parameter or the data source settings are wrong: the user fixes them. */
  invalid: 400,
  /** Not allowed: by Grafana's [aws] policy, or by AWS (IAM, the role's trust policy). */
  notAllowed: 403,
  /** CloudTrail kept throttling past our retries. */
  throttled: 429,
  unknownResource: 404,
  wrongMethod: 405,
  internal: 500,
  /** An upstream (AWS, a proxy, the endpoint) answered something we cannot use. */
  badUpstream: 502,
  /** Cancelled, or its deadline passed (also a turn under the quota that would come too late). */
  stopped: 504,
} as const;

/** A turn under a quota, or a whole call, would come after the caller's deadline. */
export class DeadlineExceededError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineExceededError';
  }
}

/** The one wording of a request that ended before its answer: "<what> was stopped: …". */
export function stoppedMessage(what: string): string {
  return `${what} was stopped: the request was cancelled or reached its deadline.`;
}

/** The query error of `what` ending before its answer (cancelled or past its deadline). */
export function stoppedError(what: string): QueryError {
  return new QueryError(stoppedMessage(what), 'plugin', STATUS.stopped);
}

/** The query error of a request the user must fix (a query field, a parameter, the settings). */
export function invalidRequest(message: string): QueryError {
  return new QueryError(message, 'plugin', STATUS.invalid);
}
