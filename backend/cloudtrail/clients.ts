/**
 * One CloudTrail client per data source instance and region, created on first use and reused.
 * SDK retries are off (maxAttempts 1): we retry ourselves under the shared rate limiter, where a
 * retry cannot jump the quota queue. (Assume role brings its own STS client, inside
 * fromTemporaryCredentials.)
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { credentialIdentity, credentialProvider } from './credentials';
import type { CallScope } from './awsCall';
import type { AuthPolicy, CloudTrailSettings } from './settings';

export class ClientPool {
  private readonly cloudTrail = new Map<string, CloudTrailClient>();
  readonly identity: string;

  constructor(
    readonly settings: CloudTrailSettings,
    private readonly policy: AuthPolicy
  ) {
    this.identity = credentialIdentity(settings);
  }

  region(requested?: string): string {
    return requested || this.settings.defaultRegion;
  }

  scope(region: string): CallScope {
    return {
      identity: this.identity,
      region,
      endpointLabel: this.settings.endpoint ?? `cloudtrail.${region}.amazonaws.com`,
    };
  }

  cloudTrailClient(region: string): CloudTrailClient {
    let client = this.cloudTrail.get(region);
    if (!client) {
      client = new CloudTrailClient({
        region,
        credentials: credentialProvider(this.settings, this.policy, region),
        maxAttempts: 1,
        ...(this.settings.endpoint ? { endpoint: this.settings.endpoint } : {}),
      });
      this.cloudTrail.set(region, client);
    }
    return client;
  }

  /** Number of CloudTrail clients created (for tests of reuse). */
  get size(): number {
    return this.cloudTrail.size;
  }

  dispose(): void {
    for (const client of this.cloudTrail.values()) {
      client.destroy();
    }
    this.cloudTrail.clear();
  }
}
