/**
 * One CloudTrail client (and one STS client) per data source instance and region, created on
 * first use and reused. SDK retries are off (maxAttempts 1): we retry ourselves under the shared
 * rate limiter, where a retry cannot jump the quota queue.
 */
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { credentialIdentity, credentialProvider } from './credentials';
import type { CallScope } from './awsCall';
import type { AuthPolicy, CloudTrailSettings } from './settings';

export class ClientPool {
  private readonly cloudTrail = new Map<string, CloudTrailClient>();
  private readonly sts = new Map<string, STSClient>();
  private readonly providers = new Map<string, AwsCredentialIdentityProvider>();
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

  private credentials(region: string): AwsCredentialIdentityProvider {
    let provider = this.providers.get(region);
    if (!provider) {
      provider = credentialProvider(this.settings, this.policy, region);
      this.providers.set(region, provider);
    }
    return provider;
  }

  private config(region: string) {
    return {
      region,
      credentials: this.credentials(region),
      maxAttempts: 1,
      ...(this.settings.endpoint ? { endpoint: this.settings.endpoint } : {}),
    };
  }

  cloudTrailClient(region: string): CloudTrailClient {
    let client = this.cloudTrail.get(region);
    if (!client) {
      client = new CloudTrailClient(this.config(region));
      this.cloudTrail.set(region, client);
    }
    return client;
  }

  stsClient(region: string): STSClient {
    let client = this.sts.get(region);
    if (!client) {
      client = new STSClient(this.config(region));
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
