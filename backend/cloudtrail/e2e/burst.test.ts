/**
 * The throttle-safety scenario through the built executable against the simulator's REAL quota
 * (ListInsightsMetricData 1 call per second): 30 concurrent queries for 10 distinct series
 * (two dashboard panels and one alert rule each) finish without any error and with exactly 10
 * API calls and no throttled attempt; an immediate repeat makes no call at all.
 */
import { type SeriesInfo } from '../../../simulator';
import { DAY_MS, HOUR_MS, seriesQuery, type QuerySpec } from './harness';
import { stackForFile } from './stack';

jest.setTimeout(90_000);

const KEYS = { accessKeyId: 'AKIDBURSTTEST', secretAccessKey: 'burst-secret' };
const PERIOD_MS = 300_000;

const stack = stackForFile({ seed: 'burst', keys: KEYS, refresher: false });

function pickSeries(): SeriesInfo[] {
  const all = stack.sim.catalog('us-east-1').series;
  const calls = all.filter((s) => s.insightType === 'ApiCallRateInsight').slice(0, 5);
  const errors = all.filter((s) => s.insightType === 'ApiErrorRateInsight').slice(0, 5);
  return [...calls, ...errors];
}

/** Panels show the last day at 300 s (288 points); alert rules look at the last hour at 300 s. */
function burst(series: SeriesInfo[], nowMs: number): Array<{ spec: QuerySpec; alert: boolean }> {
  return series.flatMap((s, i) => [
    {
      spec: {
        refId: `P${i}a`,
        json: seriesQuery(s),
        fromMs: nowMs - DAY_MS,
        toMs: nowMs,
        maxDataPoints: 288,
        intervalMs: PERIOD_MS,
      },
      alert: false,
    },
    {
      spec: {
        refId: `P${i}b`,
        json: seriesQuery(s, { legendFormat: '{{eventName}}' }),
        fromMs: nowMs - DAY_MS,
        toMs: nowMs,
        maxDataPoints: 288,
        intervalMs: PERIOD_MS,
      },
      alert: false,
    },
    {
      spec: {
        refId: `R${i}`,
        json: seriesQuery(s),
        fromMs: nowMs - HOUR_MS,
        toMs: nowMs,
        maxDataPoints: 43_200,
        intervalMs: PERIOD_MS,
      },
      alert: true,
    },
  ]);
}

async function runBurst(series: SeriesInfo[]) {
  const nowMs = Date.now();
  const requests = burst(series, nowMs);
  // One gRPC QueryData call per panel / alert rule, all at once, as Grafana sends them.
  const answers = await Promise.all(
    requests.map(({ spec, alert }) =>
      stack.plugin.query(stack.ds, [spec], { headers: alert ? { FromAlert: 'true' } : {} })
    )
  );
  return answers.map((answer, i) => ({ ...requests[i], response: answer[requests[i].spec.refId] }));
}

test('30 concurrent queries for 10 series: no errors, exactly 10 calls, no throttling; a repeat makes 0 calls', async () => {
  // Keep burst + repeat inside one 300 s bucket, so the repeat has no newly completed bucket to fetch.
  const intoBucket = Date.now() % PERIOD_MS;
  if (intoBucket > PERIOD_MS - 40_000) {
    await new Promise((r) => setTimeout(r, PERIOD_MS - intoBucket + 500));
  }
  const series = pickSeries();
  expect(series).toHaveLength(10);
  stack.sim.resetCounts();

  const started = Date.now();
  const first = await runBurst(series);
  const burstMs = Date.now() - started;
  for (const { spec, response } of first) {
    expect({ refId: spec.refId, error: response.error, status: response.status }).toEqual({
      refId: spec.refId,
      error: '',
      status: 200,
    });
    expect(response.frames).toHaveLength(1);
  }
  // Both counts in one assertion: a failure shows whether extra calls were throttled retries.
  expect({
    calls: stack.sim.calls().ListInsightsMetricData,
    throttled: stack.sim.throttled().ListInsightsMetricData ?? 0,
  }).toEqual({ calls: 10, throttled: 0 });
  // Paced at 1 call per second: the 10th call cannot leave before ~9 s.
  expect(burstMs).toBeGreaterThanOrEqual(9_000);

  // The alert rule's hour is the tail of the panel's day: same values at the same times.
  for (let i = 0; i < series.length; i++) {
    const panel = first.find((r) => r.spec.refId === `P${i}a`)!.response.frames[0];
    const alert = first.find((r) => r.spec.refId === `R${i}`)!.response.frames[0];
    const panelValues = new Map(panel.fields[0].values.map((t, j) => [t, panel.fields[1].values[j]]));
    expect(alert.fields[0].values.length).toBeGreaterThanOrEqual(11);
    alert.fields[0].values.forEach((t, j) => expect(panelValues.get(t)).toBe(alert.fields[1].values[j]));
    expect(panel.fields[1].labels).toMatchObject({ region: 'us-east-1', eventName: series[i].eventName });
  }

  stack.sim.resetCounts();
  const repeatStarted = Date.now();
  const second = await runBurst(series);
  const repeatMs = Date.now() - repeatStarted;
  for (const { response } of second) {
    expect(response.error).toBe('');
    const stats = Object.fromEntries(response.frames[0].meta!.stats.map((s: any) => [s.displayName, s.value]));
    expect(stats['API calls']).toBe(0);
    expect(stats['Cache hits']).toBe(1);
  }
  expect(stack.sim.calls().ListInsightsMetricData ?? 0).toBe(0);
  expect(repeatMs).toBeLessThan(3_000);
  expect(await stack.plugin.alive()).toBe(true);
});
