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
import type { AuthPolicy, CloudTrailSettings } from './settings';

/** What every pool of the process uses (plugin/wiring.ts makes one of each). */
export interface PoolServices {
  /** The process's pacing of CloudTrail's quotas. */
  readonly pacing: Pacing;
  /** Which account credentials act as, proven once per TTL for the whole process. */
  readonly accounts: AccountResolver;
  /** The Grafana server's environment as the AWS SDK reads it (AWS_PROFILE, container credentials…). */
  readonly hostEnv: NodeJS.ProcessEnv;
}

export class ClientPool {
  private readonly cloudTrail = new Map<string, CloudTrailClient>();
  private readonly sts = new Map<string, STSClient>();
  private readonly requestHandler = proxyAwareRequestHandler();

  constructor(
    readonly settings: CloudTrailSettings,
    private readonly policy: AuthPolicy,
    private readonly services: PoolServices
  ) {}

  get pacing(): Pacing {
    return this.services.pacing;
  }

  region(requested?: string): string {
    return requested || this.settings.defaultRegion;
  }

  /** Where calls go, for messages: the endpoint, and the proxy (without its credentials) when one is used. */
  endpointLabel(region: string, service = 'cloudtrail'): string {
    const endpoint = this.settings.endpoint ?? `${service}.${region}.amazonaws.com`;
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
    const hash = materialHash({
      settings: this.settings,
      externalId: this.settings.externalId ?? this.policy.grafanaExternalId,
      resolved,
    });
    const principal = await this.services.accounts.resolve(
      { hash, region },
      async (abortSignal) => {
        const answer = await this.stsClient(region).send(new GetCallerIdentityCommand({}), { abortSignal });
        const accountId = answer.Account ?? '';
        await this.proveInsightsAccess(region, accountId, abortSignal);
        return accountId;
      },
      this.endpointLabel(region, 'sts'),
      signal
    );
    return {
      account: new AccountScope(principal, region, this.settings.endpoint),
      endpointLabel: this.endpointLabel(region),
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
      this.sts.set(region, client);
    }
    return client;
  }

  /** Number of CloudTrail clients created (for tests of reuse). */
  get size(): number {
    return this.cloudTrail.size;
  }

  dispose(): void {
    for (const client of [...this.cloudTrail.values(), ...this.sts.values()]) {
      client.destroy();
    }
    this.cloudTrail.clear();
    this.sts.clear();
  }
}
