/**
 * Typed keys for everything data sources share: the quota (limiter), the series cache and its
 * coalescing, and the Insights list. Every key is scoped by an AccountScope, so two data sources
 * share an entry only when their own credentials were proven to act as the same AWS account (or,
 * where STS could not answer, when their full credential material is identical).
 *
 * Each key exposes `id`: stable across processes, free of secrets (account id, region, hashes and
 * series fields only), unambiguous (fields are URI-encoded and joined with `|`), and usable as a
 * Map key or a Redis key suffix.
 */
import { createHash } from 'node:crypto';
import type { MetricParams } from './series';

/** What code that only needs a key's identity (limiter, caches, coalescing, Redis) accepts. */
export interface Keyed {
  readonly id: string;
}

/** Who calls are made as: the account STS named for the caller's own credentials, or their hash. */
export type Principal =
  { readonly kind: 'account'; readonly accountId: string } | { readonly kind: 'credentials'; readonly hash: string };

/** A hex SHA-256 prefix (128 bits) of `text`, for identities that must not reveal their input. */
export function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

const field = (value: string | number | undefined) => encodeURIComponent(value ?? '');

/** CloudTrail's quota unit: account + region, plus the endpoint (a simulator is not AWS). */
export class AccountScope implements Keyed {
  readonly id: string;

  constructor(
    readonly principal: Principal,
    readonly region: string,
    /** The custom endpoint, if any (hashed in `id`: a URL may carry user info). */
    readonly endpoint?: string
  ) {
    const who = principal.kind === 'account' ? `account:${principal.accountId}` : `credentials:${principal.hash}`;
    const where = endpoint ? `endpoint:${digest(endpoint)}` : 'aws';
    this.id = [who, field(region), where].join('|');
  }
}

/** One operation's quota within an account scope (CloudTrail meters per account, region, API). */
export class QuotaKey implements Keyed {
  readonly id: string;

  constructor(
    readonly scope: AccountScope,
    readonly operation: string
  ) {
    this.id = `${scope.id}|quota|${field(operation)}`;
  }
}

/**
 * A series' buckets: every request field that changes the answer, within an account scope. A
 * series of a trail's data events (TrailName) needs cloudtrail:ListInsightsData on that trail,
 * which the account proof (cloudtrail:LookupEvents) does not show, so it is also keyed by the
 * exact `caller` (CallScope.caller): shared only among callers that fetched it themselves.
 */
export class SeriesKey implements Keyed {
  readonly id: string;

  constructor(
    readonly scope: AccountScope,
    readonly params: MetricParams,
    caller?: string
  ) {
    const parts = [
      params.EventSource,
      params.EventName,
      params.InsightType,
      params.ErrorCode,
      params.TrailName,
      params.Period,
      params.DataType,
    ];
    const who = params.TrailName ? `|caller:${field(caller ?? 'unproven')}` : '';
    this.id = `${scope.id}${who}|series|${parts.map(field).join('|')}`;
  }
}

/**
 * An Insights events list of an account scope: its management events' (LookupEvents
 * EventCategory=insight), or with `trail` that trail's data events' (ListInsightsData), keyed by the
 * trail as queries name it (name or ARN).
 */
export class InsightsListKey implements Keyed {
  readonly id: string;

  constructor(
    readonly scope: AccountScope,
    readonly trail?: string
  ) {
    this.id = trail ? `${scope.id}|insights|trail|${field(trail)}` : `${scope.id}|insights`;
  }
}
