import { metricsRegistry } from '../sdk/metrics';
import { sharedSeriesSource } from './instance';
import { apiCalls } from './metrics';
import { DEFAULT_WARMUP_QUERIES, warmUpMetricsQueries, warmUpQueries } from './warmUp';
import { metricAnswer, startWarmUpEndpoint } from './warmUpEndpoint';

const callsCounted = async () =>
  (await metricsRegistry.getSingleMetricAsString('cloudtrail_insights_api_calls_total'))
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));

describe('warmUpMetricsQueries', () => {
  it('answers every synthetic query from the loopback stand-in, one uncached call each', async () => {
    expect(await warmUpMetricsQueries(3, 60_000)).toEqual({ requests: 3, failures: 0, calls: 3 });
  });

  it('leaves no trace in what operators and real queries see: counters, shared cache', async () => {
    await warmUpMetricsQueries(2, 60_000);
    expect(await callsCounted()).toEqual([]);
    expect(sharedSeriesSource.cache.size).toBe(0);
    // A real call counted afterwards is counted as usual.
    apiCalls.inc({ operation: 'ListInsightsMetricData', outcome: 'ok' });
    expect(await callsCounted()).toHaveLength(1);
    apiCalls.reset();
  });

  it('is off with CLOUDTRAIL_WARMUP_QUERIES=0 and runs 150 queries by default', async () => {
    expect(warmUpQueries({ CLOUDTRAIL_WARMUP_QUERIES: '0' })).toBe(0);
    expect(warmUpQueries({ CLOUDTRAIL_WARMUP_QUERIES: '40' })).toBe(40);
    expect(warmUpQueries({})).toBe(DEFAULT_WARMUP_QUERIES);
    expect(warmUpQueries({ CLOUDTRAIL_WARMUP_QUERIES: 'lots' })).toBe(DEFAULT_WARMUP_QUERIES);
    expect(await warmUpMetricsQueries(0)).toEqual({ requests: 0, failures: 0, calls: 0 });
  });
});

describe('the warm-up stand-in', () => {
  it('answers one point per period of the asked range, in epoch seconds', () => {
    const answer = metricAnswer({ Period: 60, StartTime: 1_764_000_030, EndTime: 1_764_000_300 });
    expect(answer.Timestamps).toEqual([1_764_000_060, 1_764_000_120, 1_764_000_180, 1_764_000_240]);
    expect(answer.Values).toHaveLength(4);
  });

  it('listens on loopback only and refuses any other operation', async () => {
    const endpoint = await startWarmUpEndpoint();
    try {
      expect(endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const other = await fetch(endpoint.url, {
        method: 'POST',
        headers: { 'x-amz-target': 'CloudTrail_20131101.LookupEvents' },
        body: '{}',
      });
      expect(other.status).toBe(400);
      expect(endpoint.calls).toBe(0);
    } finally {
      await endpoint.close();
    }
  });
});
