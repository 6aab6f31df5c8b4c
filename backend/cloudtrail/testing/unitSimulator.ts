/**
 * What the series unit tests share: an in-process simulator without quotas on a fixed data clock
 * (so every run sees the same buckets and values), an SDK client pointed at it, a series of its
 * catalog, and a reference read of that series straight from the simulator to compare answers
 * with. Pacing is the test's own (ManualGate), never real seconds.
 */
import { CloudTrailClient, ListInsightsMetricDataCommand } from '@aws-sdk/client-cloudtrail';
import { startSimulator, type RunningSimulator } from '../../../simulator';
import { AccountScope, SeriesKey } from '../core/keys';
import type { MetricParams, Range, SeriesPoints } from '../core/series';
import type { SeriesRequest } from '../series/seriesSource';

/** Tuesday 2026-11-24 12:00:00 UTC: the simulator's and the code's data clock. */
export const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const KEYS = { accessKeyId: 'AKIDUNITSERIES', secretAccessKey: 'unit-series-secret' };

export interface UnitSimulator {
  sim: RunningSimulator;
  client: CloudTrailClient;
  params: MetricParams;
  account: AccountScope;
  /** A request for the series (`name` keeps tests' cache entries apart). */
  request(range: Range, name?: string, params?: MetricParams): SeriesRequest;
  /** The series' buckets in `range` as the simulator answers one direct call. */
  reference(range: Range, params?: MetricParams): Promise<SeriesPoints>;
  stop(): Promise<void>;
}

export async function startUnitSimulator(seed: string): Promise<UnitSimulator> {
  const sim = await startSimulator({ seed, now: () => NOW, quotas: false });
  const client = new CloudTrailClient({ region: 'us-east-1', endpoint: sim.url, credentials: KEYS, maxAttempts: 1 });
  const series = sim.catalog('us-east-1', sim.accountIdFor(KEYS.accessKeyId)).series[0];
  const params: MetricParams = {
    EventSource: series.eventSource,
    EventName: series.eventName,
    InsightType: series.insightType,
    ...(series.errorCode ? { ErrorCode: series.errorCode } : {}),
    Period: 60,
    DataType: 'FillWithZeros',
  };
  const account = new AccountScope(
    { kind: 'account', accountId: sim.accountIdFor(KEYS.accessKeyId) },
    'us-east-1',
    sim.url
  );
  return {
    sim,
    client,
    params,
    account,
    request: (range, name = '', p = params) => ({
      key: { id: `${name}|${new SeriesKey(account, p).id}` },
      client,
      scope: { account, endpointLabel: sim.url },
      params: p,
      period: p.Period as 60,
      range,
    }),
    reference: async (range, p = params) => {
      const answer = await client.send(
        new ListInsightsMetricDataCommand({ ...p, StartTime: new Date(range.startMs), EndTime: new Date(range.endMs) })
      );
      return { timestamps: (answer.Timestamps ?? []).map((t) => t.getTime()), values: answer.Values ?? [] };
    },
    stop: async () => {
      client.destroy();
      await sim.stop();
    },
  };
}

/** Resolves once `condition` holds (checked every few ms), failing after `ms`. */
export async function until(condition: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) {
      throw new Error('condition not reached in time');
    }
    await new Promise((r) => setTimeout(r, 2));
  }
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
