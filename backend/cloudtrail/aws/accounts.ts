/**
 * Which AWS account a data source's credentials act as in a region, proven with those very
 * credentials (sts:GetCallerIdentity needs no IAM permission; the caller's lookup also proves it may
 * read CloudTrail Insights there, see clients.ts). The answer is cached per hash of the FULL
 * credential material (secret, session token, external id, role, profile, endpoint, ...), so a
 * data source with the right key id but a wrong secret, or a role without its external id, never
 * gets another data source's answer: it makes its own call and gets its own error.
 *
 * Where STS cannot be reached (network, 5xx, an endpoint that does not serve STS) the principal
 * falls back to the material hash itself: sharing then needs identical credentials.
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import { QueryError } from '../../sdk/types';
import { logger } from '../../sdk/logger';
import { toQueryError } from './awsFailures';
import { digest, type Principal } from '../core/keys';
import type { CloudTrailSettings } from './settings';
import { stoppedError } from '../core/errors';

/** Everything that decides who a call is made as. */
export interface CredentialMaterial {
  settings: Pick<
    CloudTrailSettings,
    'authType' | 'profile' | 'assumeRoleArn' | 'endpoint' | 'accessKey' | 'secretKey' | 'sessionToken'
  >;
  /** The external id actually sent (the data source's own: Grafana's is never sent for it). */
  externalId?: string;
  /** What the credential provider returned (for default chain, profile and EC2 roles only known now). */
  resolved: Pick<AwsCredentialIdentity, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>;
}

/** A one-way, domain-separated hash of the material: never reveals a secret, stable across processes. */
export function materialHash(material: CredentialMaterial): string {
  const { settings: s, externalId, resolved: r } = material;
  return digest(
    JSON.stringify([
      'cloudtrail-insights/credential-material/v1',
      s.authType,
      s.profile ?? null,
      s.assumeRoleArn ?? null,
      externalId ?? null,
      s.endpoint ?? null,
      s.accessKey ?? null,
      s.secretKey ?? null,
      s.sessionToken ?? null,
      r.accessKeyId,
      r.secretAccessKey,
      r.sessionToken ?? null,
    ])
  );
}

/** STS answers that mean "these credentials are not valid": the caller must see them. */
const AUTH_FAILURE_NAMES = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'AccessDenied',
  'AccessDeniedException',
  'MissingAuthenticationToken',
]);

export function isAuthFailure(error: unknown): boolean {
  const err = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  const status = err?.$metadata?.httpStatusCode;
  return AUTH_FAILURE_NAMES.has(err?.name ?? '') || status === 401 || status === 403;
}

export interface AccountResolverOptions {
  /** How long a proven account is reused for the same material. */
  ttlMs?: number;
  /** How long an STS outage's fallback is kept before STS is asked again. */
  fallbackTtlMs?: number;
  /** Entries kept (least recently used go first). */
  maxEntries?: number;
  /** Bound of one proof (GetCallerIdentity, then the permission check). */
  attemptTimeoutMs?: number;
  now?: () => number;
}

export const DEFAULT_ACCOUNT_TTL_MS = 15 * 60_000;
export const DEFAULT_FALLBACK_TTL_MS = 60_000;
export const DEFAULT_MAX_ACCOUNTS = 1_000;
export const DEFAULT_STS_TIMEOUT_MS = 10_000;

interface Entry extends ProvenCaller {
  expiresAtMs: number;
}

/**
 * Who proved what: the principal (account, or the material hash where STS could not answer) that
 * quotas and shared entries are keyed by, and `caller`, a secret-free id of the exact identity
 * (a hash of the ARN sts:GetCallerIdentity named, else of the material) for what is shared only
 * among identical callers (trail-scoped series, whose permission is per trail).
 */
export interface ProvenCaller {
  principal: Principal;
  caller: string;
}

/** Asks STS which account (and identity ARN) the credentials belong to; rejects with the SDK's
 *  error, or with a QueryError of the permission proof. */
export type CallerAccountLookup = (signal: AbortSignal) => Promise<string | { accountId: string; arn?: string }>;

export class AccountResolver {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<ProvenCaller>>();
  private readonly ttlMs: number;
  private readonly fallbackTtlMs: number;
  private readonly maxEntries: number;
  private readonly attemptTimeoutMs: number;
  private readonly now: () => number;

  constructor(options: AccountResolverOptions = {}) {
    this.ttlMs = options.ttlMs ?? DEFAULT_ACCOUNT_TTL_MS;
    this.fallbackTtlMs = options.fallbackTtlMs ?? DEFAULT_FALLBACK_TTL_MS;
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ACCOUNTS;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? DEFAULT_STS_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The principal for the material hashed as `hash`, in `region`. Concurrent callers with the same
   * material share one proof (bounded by its own timeout, so one caller's cancellation does not
   * fail the others); a failed proof is not cached, so each new caller sees its own error.
   */
  async resolve(
    material: { hash: string; region: string },
    lookup: CallerAccountLookup,
    stsEndpoint: string,
    signal?: AbortSignal
  ): Promise<Principal> {
    return (await this.resolveCaller(material, lookup, stsEndpoint, signal)).principal;
  }

  /** `resolve`, with the exact caller's id too. */
  async resolveCaller(
    material: { hash: string; region: string },
    lookup: CallerAccountLookup,
    stsEndpoint: string,
    signal?: AbortSignal
  ): Promise<ProvenCaller> {
    const hash = `${material.hash}|${material.region}`;
    const entry = this.entries.get(hash);
    if (entry && entry.expiresAtMs > this.now()) {
      this.entries.delete(hash);
      this.entries.set(hash, entry);
      return { principal: entry.principal, caller: entry.caller };
    }
    let pending = this.pending.get(hash);
    if (!pending) {
      pending = this.prove(hash, material.hash, lookup, stsEndpoint).finally(() => this.pending.delete(hash));
      pending.catch(() => undefined);
      this.pending.set(hash, pending);
    }
    return untilCancelled(pending, signal);
  }

  private async prove(
    hash: string,
    materialHash: string,
    lookup: CallerAccountLookup,
    stsEndpoint: string
  ): Promise<ProvenCaller> {
    try {
      const answer = await lookup(AbortSignal.timeout(this.attemptTimeoutMs));
      const { accountId, arn } = typeof answer === 'string' ? { accountId: answer, arn: undefined } : answer;
      if (!/^\d{12}$/.test(accountId)) {
        throw new Error('GetCallerIdentity answered without a 12-digit account id');
      }
      const caller = arn ? `arn:${digest(`cloudtrail-insights/caller/v1|${arn}`)}` : `credentials:${materialHash}`;
      return this.remember(hash, { principal: { kind: 'account', accountId }, caller }, this.ttlMs);
    } catch (error) {
      if (error instanceof QueryError ? error.status === 401 || error.status === 403 : isAuthFailure(error)) {
        throw toQueryError(error, 'GetCallerIdentity', stsEndpoint);
      }
      logger.warn('the account could not be proven; cached data is shared only between identical credentials', {
        endpoint: stsEndpoint,
        error: (error as { code?: string })?.code ?? (error as Error)?.name ?? 'Error',
      });
      return this.remember(
        hash,
        { principal: { kind: 'credentials', hash: materialHash }, caller: `credentials:${materialHash}` },
        this.fallbackTtlMs
      );
    }
  }

  private remember(hash: string, proven: ProvenCaller, ttlMs: number): ProvenCaller {
    this.entries.delete(hash);
    this.entries.set(hash, { ...proven, expiresAtMs: this.now() + ttlMs });
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.maxEntries) {
        break;
      }
      this.entries.delete(oldest);
    }
    return proven;
  }
}

/** `promise`, or a 504 as soon as `signal` aborts (the shared work goes on for the others). */
function untilCancelled<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) {
    return promise;
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(stoppedError('The credentials check'));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
