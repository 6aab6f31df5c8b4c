/**
 * One CloudTrail client per data source instance and region, created on first use and reused.
 * SDK retries are off (maxAttempts 1): we retry ourselves under the shared rate limiter, where a
 * retry cannot jump the quota queue. (Assume role brings its own STS client, inside
 * fromTemporaryCredentials.) `scope()` proves who the credentials act as before anything shared
 * (limiter, caches) is used. Every client, and the STS clients inside credential providers, goes
 * through the proxy the environment names (proxy.ts) and reads bounded bodies (responseGuard.ts).
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { materialHash, type AccountResolver } from './accounts';
import { toQueryError } from './awsFailures';
import { credentialProvider } from './credentials';
import { awsCall } from './awsCall';
import type { CallScope, Pacing } from '../core/calls';
import { responseGuard } from './responseGuard';
import { AccountScope } from '../core/keys';
import { proxyAwareRequestHandler, proxyFor, proxyLabel } from './proxy';
import { authNotAllowed, type AuthPolicy, type CloudTrailSettings } from './settings';
import { endpointLabel, NO_ALLOWED_ENDPOINTS, type EndpointPolicy } from './endpointPolicy';
import type { InitializeMiddleware, MetadataBearer, MiddlewareStack } from '@smithy/types';
import { QueryError } from '../../sdk/types';
import { STATUS } from '../core/errors';

/** What every pool of the process uses (plugin/wiring.ts makes one of each). */
export interface PoolServices {
  /** The process's pacing of CloudTrail's quotas. */
  readonly pacing: Pacing;
  /** Which account credentials act as, proven once per TTL for the whole process. */
  readonly accounts: AccountResolver;
  /** The Grafana server's environment as the AWS SDK reads it (AWS_PROFILE, container credentials…). */
  readonly hostEnv: NodeJS.ProcessEnv;
  /** The operator's `allowed_endpoints` for data sources that sign with the server's credentials. */
  readonly endpoints?: EndpointPolicy;
}

/** What a disposed pool's clients answer: its credentials are never used again. */
export const DISPOSED_MESSAGE =
  'This data source instance was retired (its settings or secrets changed, or it was deleted): its credentials are no longer used. Run the query again.';

export class ClientPool {
  private readonly cloudTrail = new Map<string, CloudTrailClient>();
  private readonly sts = new Map<string, STSClient>();
  private readonly requestHandler = proxyAwareRequestHandler();
  private readonly disposal = new AbortController();
  /** Why this pool may not call at all (auth policy, endpoint), checked before any client is made. */
  private readonly refusal: string | undefined;

  constructor(
    readonly settings: CloudTrailSettings,
    private readonly policy: AuthPolicy,
    private readonly services: PoolServices
  ) {
    this.refusal = authNotAllowed(settings, policy, services.endpoints ?? NO_ALLOWED_ENDPOINTS);
  }

  /** Aborted when the pool is disposed: whoever keeps one of its clients (the refresher) lets go. */
  get lifetime(): AbortSignal {
    return this.disposal.signal;
  }

  /** Throws the refusal of a disposed pool, or of settings the server's policy does not allow. */
  private assertUsable(): void {
    if (this.disposal.signal.aborted) {
      throw new QueryError(DISPOSED_MESSAGE, 'plugin', STATUS.stopped);
    }
    if (this.refusal) {
      throw new QueryError(this.refusal, 'plugin', STATUS.notAllowed);
    }
  }

  get pacing(): Pacing {
    return this.services.pacing;
  }

  region(requested?: string): string {
    return requested || this.settings.defaultRegion;
  }

  /** Where calls go, for messages: the endpoint, and the proxy (without its credentials) when one is used. */
  endpointLabel(region: string, service = 'cloudtrail'): string {
    const endpoint = this.settings.endpoint
      ? endpointLabel(this.settings.endpoint)
      : `${service}.${region}.amazonaws.com`;
    const proxy = proxyFor(this.settings.endpoint ?? `https://${endpoint}`);
    return proxy ? `${endpoint} through the proxy ${proxyLabel(proxy)}` : endpoint;
  }

  /**
   * Who calls in `region` are made as, proven with this data source's own credentials before
   * anything shared is read: the provider's answer (AssumeRole included) fails here with the
   * caller's own error; the account comes from sts:GetCallerIdentity signed with them; and one
   * LookupEvents call proves they hold cloudtrail:LookupEvents there (which ListInsightsMetricData
   * needs too), so a principal of the same account without that permission never reads what
   * another one fetched. Cached per credential material and region.
   */
  async scope(region: string, signal?: AbortSignal): Promise<CallScope> {
    const client = this.cloudTrailClient(region);
    let resolved;
    try {
      resolved = await client.config.credentials();
    } catch (error) {
      throw toQueryError(
        error,
        this.settings.assumeRoleArn ? 'AssumeRole' : 'credentials',
        this.endpointLabel(region, 'sts')
      );
    }
    const hash = materialHash({ settings: this.settings, externalId: this.settings.externalId, resolved });
    const { principal, caller } = await this.services.accounts.resolveCaller(
      { hash, region },
      async (abortSignal) => {
        const answer = await this.stsClient(region).send(new GetCallerIdentityCommand({}), { abortSignal });
        const accountId = answer.Account ?? '';
        await this.proveInsightsAccess(region, accountId, abortSignal);
        return { accountId, arn: answer.Arn };
      },
      this.endpointLabel(region, 'sts'),
      signal
    );
    return {
      account: new AccountScope(principal, region, this.settings.endpoint),
      endpointLabel: this.endpointLabel(region),
      caller,
    };
  }

  /** The cheapest call cloudtrail:LookupEvents authorises: one Insights event (no time range: any clock). */
  private async proveInsightsAccess(region: string, accountId: string, signal: AbortSignal): Promise<void> {
    const scope = {
      account: new AccountScope({ kind: 'account', accountId }, region, this.settings.endpoint),
      endpointLabel: this.endpointLabel(region),
    };
    const deadline = Date.now() + 10_000;
    await awsCall(
      scope,
      'LookupEvents',
      (abortSignal) =>
        this.cloudTrailClient(region).send(new LookupEventsCommand({ EventCategory: 'insight', MaxResults: 1 }), {
          abortSignal,
        }),
      { signal, deadlineMs: () => deadline },
      { pacing: this.pacing, maxAttempts: 2 }
    );
  }

  cloudTrailClient(region: string): CloudTrailClient {
    this.assertUsable();
    let client = this.cloudTrail.get(region);
    if (!client) {
      client = new CloudTrailClient({
        region,
        credentials: credentialProvider(this.settings, this.policy, region, this.services.hostEnv, this.requestHandler),
        maxAttempts: 1,
        requestHandler: this.requestHandler,
        ...(this.settings.endpoint ? { endpoint: this.settings.endpoint } : {}),
      });
      // The SDK's logger step copies every answer through its sensitive-data filter (all 21,600
      // points of a page) even for the default logger, which discards it.
      client.middlewareStack.remove('loggerMiddleware');
      // Bounded bodies, HTML pages named: see responseGuard.ts.
      client.middlewareStack.use(responseGuard);
      this.guard(client);
      this.cloudTrail.set(region, client);
    }
    return client;
  }

  /** STS with the very credentials (memoized provider) the CloudTrail client of `region` uses. */
  private stsClient(region: string): STSClient {
    let client = this.sts.get(region);
    if (!client) {
      client = new STSClient({
        region,
        credentials: this.cloudTrailClient(region).config.credentials,
        maxAttempts: 2,
        requestHandler: this.requestHandler,
        ...(this.settings.endpoint ? { endpoint: this.settings.endpoint } : {}),
      });
      client.middlewareStack.use(responseGuard);
      this.guard(client);
      this.sts.set(region, client);
    }
    return client;
  }

  /**
   * Whoever still holds a client of this pool (a fetch that outlived its query, a background
   * refresh) cannot send with it once the pool is disposed: every command checks first, before
   * credentials are resolved or a byte leaves the process.
   */
  private guard(client: { middlewareStack: Pick<CloudTrailClient['middlewareStack'], 'add'> }): void {
    const check: InitializeMiddleware<object, MetadataBearer> = (next) => async (args) => {
      this.assertUsable();
      return next(args);
    };
    (client.middlewareStack as unknown as MiddlewareStack<object, MetadataBearer>).add(check, {
      step: 'initialize',
      name: 'retiredPoolGuard',
      priority: 'high',
    });
  }

  /** Number of CloudTrail clients created (for tests of reuse). */
  get size(): number {
    return this.cloudTrail.size;
  }

  dispose(): void {
    this.disposal.abort(new Error('the data source instance was disposed'));
    for (const client of [...this.cloudTrail.values(), ...this.sts.values()]) {
      client.destroy();
    }
    this.cloudTrail.clear();
    this.sts.clear();
  }
}
