/**
 * The expected answers: a second simulator with the same seed and keys (so the same data) and no
 * quotas, asked directly through the AWS SDK. Comparing the plugin's frames with it checks the
 * whole path (planning, paging, merging, zero filling) without hard-coding any value.
 */
import {
  CloudTrailClient,
  ListInsightsMetricDataCommand,
  type ListInsightsMetricDataCommandInput,
} from '@aws-sdk/client-cloudtrail';
import { startSimulator, type RunningSimulator } from '../../../simulator';

export class Oracle {
  private constructor(
    readonly sim: RunningSimulator,
    private readonly clients: (region: string) => CloudTrailClient
  ) {}

  static async start(seed: string, keys: { accessKeyId: string; secretAccessKey: string }): Promise<Oracle> {
    const sim = await startSimulator({ seed, credentials: [keys], quotas: false });
    const cache = new Map<string, CloudTrailClient>();
    return new Oracle(sim, (region) => {
      if (!cache.has(region)) {
        cache.set(region, new CloudTrailClient({ region, endpoint: sim.url, credentials: keys, maxAttempts: 1 }));
      }
      return cache.get(region)!;
    });
  }

  /** Every page of one request, as timestamp(ms) → value. */
  async series(region: string, input: ListInsightsMetricDataCommandInput): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    let token: string | undefined;
    do {
      const page = await this.clients(region).send(new ListInsightsMetricDataCommand({ ...input, NextToken: token }));
      page.Timestamps?.forEach((t, i) => out.set(t.getTime(), page.Values![i]));
      token = page.NextToken;
    } while (token);
    return out;
  }

  async stop(): Promise<void> {
    await this.sim.stop();
  }
}
