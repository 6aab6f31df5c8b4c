/**
 * `npm run bench`: the CloudTrail backend's throttle safety and overhead, measured through the
 * BUILT executable over gRPC against the simulator (run `npm run build:backend` first).
 *
 * 1. Burst under the simulator's real quota (ListInsightsMetricData 1 TPS): 30 concurrent queries
 *    for 10 series (2 panels + 1 alert rule each) → API calls, throttled attempts, wall time;
 *    then an immediate repeat → calls, time.
 * 2. Two data sources with different keys, SigV4 checked, real 1 TPS quota: 6 series each, all at
 *    once → ListInsightsMetricData calls/s at the simulator and throttled attempts, side by side for
 *    keys of ONE account (one quota: ≤ 1 call/s) and of two accounts (two quotas).
 * 3. Overhead, side by side in one run, quotas relaxed (simulator off, plugin CLOUDTRAIL_QUOTAS
 *    raised): N sequential rounds of {direct SDK call, plugin query uncached, plugin query cached}
 *    for the same series and range. Uncached queries use disjoint older ranges, so each one makes
 *    exactly one API call.
 * 4. The queue under real dashboards (bench-queue.ts): (a) cancellation, (b) alert priority during a
 *    dashboard burst, (c) a cold dashboard larger than the quota serves before the deadline.
 * 5. The background refresher (bench-refresh.ts): a dashboard re-opened after idling, shares side by side.
 */
import { CloudTrailClient, ListInsightsMetricDataCommand } from '@aws-sdk/client-cloudtrail';
import { startSimulator, type SeriesInfo } from '../simulator';
import { alertPriority, cancellation, coldDashboard } from './bench-queue';
import { refresher } from './bench-refresh';
import {
  DAY_MS,
  HOUR_MS,
  PluginUnderTest,
  seriesQuery,
  type DataSourceConfig,
} from '../backend/cloudtrail/e2e/harness';

const ROUNDS = Number(process.env.BENCH_ROUNDS) || 40;
const KEYS = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };

const ms = (n: number) => `${n.toFixed(2)} ms`;
function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { mean, p50: at(0.5), p95: at(0.95) };
}
const row = (name: string, s: ReturnType<typeof summary>) =>
  `  ${name.padEnd(34)} mean ${ms(s.mean).padStart(10)}  p50 ${ms(s.p50).padStart(10)}  p95 ${ms(s.p95).padStart(10)}`;

/** Sum (s) and count of ListInsightsMetricData call latencies from the plugin's metrics. */
function latencyTotals(text: string): { sum: number; count: number } {
  const read = (name: string) =>
    Number(new RegExp(`^${name}\\{operation="ListInsightsMetricData"\\} ([\\d.e+-]+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    sum: read('cloudtrail_insights_api_call_duration_seconds_sum'),
    count: read('cloudtrail_insights_api_call_duration_seconds_count'),
  };
}

function dataSource(url: string): DataSourceConfig {
  return {
    jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: url },
    secure: { accessKey: KEYS.accessKeyId, secretKey: KEYS.secretAccessKey },
  };
}

async function burst(): Promise<void> {
  const sim = await startSimulator({ seed: 'bench', credentials: [KEYS] });
  const plugin = await PluginUnderTest.launch();
  try {
    const ds = dataSource(sim.url);
    const all = sim.catalog('us-east-1').series;
    const series: SeriesInfo[] = [
      ...all.filter((s) => s.insightType === 'ApiCallRateInsight').slice(0, 5),
      ...all.filter((s) => s.insightType === 'ApiErrorRateInsight').slice(0, 5),
    ];
    const run = async () => {
      const now = Date.now();
      // A dashboard panel over the last day; every series is shown on two of them.
      const panel = (refId: string, s: SeriesInfo) => ({
        refId,
        json: seriesQuery(s),
        fromMs: now - DAY_MS,
        toMs: now,
        maxDataPoints: 288,
        intervalMs: 300_000,
        alert: false,
      });
      const requests = series.flatMap((s, i) => [
        panel(`P${i}a`, s),
        panel(`P${i}b`, s),
        {
          refId: `R${i}`,
          json: seriesQuery(s),
          fromMs: now - HOUR_MS,
          toMs: now,
          maxDataPoints: 43_200,
          intervalMs: 300_000,
          alert: true,
        },
      ]);
      sim.resetCounts();
      const started = performance.now();
      const answers = await Promise.all(
        requests.map((q) => plugin.query(ds, [q], { headers: q.alert ? { FromAlert: 'true' } : {} }))
      );
      const wall = performance.now() - started;
      const errors = answers.filter((a, i) => a[requests[i].refId].error).length;
      return {
        wall,
        errors,
        calls: sim.calls().ListInsightsMetricData ?? 0,
        throttled: sim.throttled().ListInsightsMetricData ?? 0,
      };
    };
    const first = await run();
    const repeat = await run();
    console.log('Burst: 30 concurrent queries (20 panel + 10 alert rule) for 10 series, real 1 TPS quota');
    console.log(
      `  first:  ${first.calls} ListInsightsMetricData calls, ${first.throttled} throttled, ${first.errors} errors, wall ${(first.wall / 1000).toFixed(2)} s`
    );
    console.log(
      `  repeat: ${repeat.calls} ListInsightsMetricData calls, ${repeat.throttled} throttled, ${repeat.errors} errors, wall ${ms(repeat.wall)}`
    );
  } finally {
    await plugin.stop();
    await sim.stop();
  }
}

/** Calls/s as the simulator saw them: mean over the span, and the most in any 1 s window. */
function callRate(times: number[]): { mean: number; peak: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const span = (sorted[sorted.length - 1] - sorted[0]) / 1000;
  let peak = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j] - sorted[i] >= 1000) {
      i++;
    }
    peak = Math.max(peak, j - i + 1);
  }
  return { mean: span > 0 ? (sorted.length - 1) / span : 0, peak };
}

async function twoDataSources(sameAccount: boolean): Promise<void> {
  const keys = [
    { accessKeyId: 'AKIDBENCHTEAM1', secretAccessKey: 'bench-team-1-secret', accountId: '111122223333' },
    {
      accessKeyId: 'AKIDBENCHTEAM2',
      secretAccessKey: 'bench-team-2-secret',
      accountId: sameAccount ? '111122223333' : '444455556666',
    },
  ];
  const times: number[] = [];
  const sim = await startSimulator({
    seed: 'bench-accounts',
    credentials: keys,
    log: (line) => {
      if (line.includes('ListInsightsMetricData')) {
        times.push(Date.now());
      }
    },
  });
  const plugin = await PluginUnderTest.launch();
  try {
    const series = sim.catalog('us-east-1', '111122223333').series;
    const now = Date.now();
    const request = (k: (typeof keys)[number], from: number) =>
      plugin.query(
        {
          jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: sim.url },
          secure: { accessKey: k.accessKeyId, secretKey: k.secretAccessKey },
        },
        series.slice(from, from + 6).map((s, i) => ({
          refId: `Q${i}`,
          json: seriesQuery(s, { period: 300 }),
          fromMs: now - 6 * HOUR_MS,
          toMs: now,
        }))
      );
    const started = performance.now();
    const answers = await Promise.all([request(keys[0], 0), request(keys[1], 6)]);
    const wall = performance.now() - started;
    const errors = answers.flatMap((a) => Object.values(a)).filter((a) => a.error).length;
    const rate = callRate(times);
    console.log(
      `${sameAccount ? '\nTwo data sources, different keys of ONE account' : 'Two data sources, keys of TWO accounts'}` +
        ' (SigV4 checked, real 1 TPS quota, 6 series each, all at once)'
    );
    console.log(
      `  ${sim.calls().ListInsightsMetricData ?? 0} ListInsightsMetricData calls, ${sim.throttled().ListInsightsMetricData ?? 0} throttled, ${errors} errors, ` +
        `${rate.mean.toFixed(2)} calls/s mean, at most ${rate.peak} in any 1 s, wall ${(wall / 1000).toFixed(2)} s`
    );
  } finally {
    await plugin.stop();
    await sim.stop();
  }
}

async function overhead(gatherMs: string): Promise<void> {
  const sim = await startSimulator({ seed: 'bench', credentials: [KEYS], quotas: false });
  const plugin = await PluginUnderTest.launch({
    CLOUDTRAIL_QUOTAS: 'ListInsightsMetricData=100000,LookupEvents=100000,default=100000',
    CLOUDTRAIL_GATHER_MS: gatherMs,
  });
  const client = new CloudTrailClient({ region: 'us-east-1', endpoint: sim.url, credentials: KEYS, maxAttempts: 1 });
  try {
    const ds = dataSource(sim.url);
    const s = sim.catalog('us-east-1').series[0];
    // Whole hours far enough from now that every bucket is complete; 6 h at 60 s = 360 points.
    const base = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - HOUR_MS;
    const rangeOf = (i: number) => ({ fromMs: base - (i + 1) * 6 * HOUR_MS, toMs: base - i * 6 * HOUR_MS });
    const query = (i: number) => [{ refId: 'A', json: seriesQuery(s, { period: 60 }), ...rangeOf(i) }];
    const direct = (i: number) =>
      client.send(
        new ListInsightsMetricDataCommand({
          EventSource: s.eventSource,
          EventName: s.eventName,
          InsightType: s.insightType,
          Period: 60,
          DataType: 'FillWithZeros',
          StartTime: new Date(rangeOf(i).fromMs),
          EndTime: new Date(rangeOf(i).toMs),
        })
      );
    // Warm-up: client creation, connections, JIT.
    for (let i = 0; i < 3; i++) {
      await direct(ROUNDS + 10 + i);
      await plugin.query(ds, query(ROUNDS + 10 + i));
    }
    const before = latencyTotals(await plugin.metricsText());
    const samples = { direct: [] as number[], uncached: [] as number[], cached: [] as number[] };
    sim.resetCounts();
    for (let i = 0; i < ROUNDS; i++) {
      let t = performance.now();
      const answer = await direct(i);
      samples.direct.push(performance.now() - t);
      if (answer.Values?.length !== 360) {
        throw new Error(`direct call returned ${answer.Values?.length} points`);
      }

      t = performance.now();
      const fresh = await plugin.query(ds, query(i));
      samples.uncached.push(performance.now() - t);
      t = performance.now();
      const again = await plugin.query(ds, query(i));
      samples.cached.push(performance.now() - t);
      for (const a of [fresh.A, again.A]) {
        if (a.error || a.frames[0].fields[0].values.length !== 360) {
          throw new Error(`plugin query failed: ${a.error}`);
        }
      }
    }
    const calls = sim.calls().ListInsightsMetricData ?? 0;
    const after = latencyTotals(await plugin.metricsText());
    const d = summary(samples.direct);
    const u = summary(samples.uncached);
    const c = summary(samples.cached);
    console.log(
      `\nOverhead: ${ROUNDS} sequential rounds, 360-point series, quotas relaxed, gather window ${gatherMs} ms`
    );
    console.log(row('direct SDK ListInsightsMetricData', d));
    console.log(row('plugin query, uncached (1 call)', u));
    console.log(row('plugin query, cached (0 calls)', c));
    console.log(
      `  plugin overhead per uncached query: ${ms(u.mean - d.mean)} mean (${(u.mean / d.mean).toFixed(2)}x the direct call)`
    );
    console.log(`  cached query vs direct call: ${(c.mean / d.mean).toFixed(2)}x`);
    // The SDK call as timed inside the plugin (bun runtime), from its latency histogram.
    const inside = ((after.sum - before.sum) * 1000) / Math.max(1, after.count - before.count);
    console.log(
      `  the same SDK call timed inside the plugin: ${ms(inside)} mean; plugin work around it: ${ms(u.mean - inside)}`
    );
    console.log(
      `  API calls during the rounds: ${calls} (expected ${2 * ROUNDS}: one direct + one uncached per round)`
    );
  } finally {
    client.destroy();
    await plugin.stop();
    await sim.stop();
  }
}

/** BENCH_SCENARIOS (comma list, default all) picks scenarios: burst, accounts, overhead, cancel, alerts, cold, refresh. */
const SCENARIOS: Record<string, () => Promise<void>> = {
  burst,
  accounts: async () => {
    await twoDataSources(true);
    await twoDataSources(false);
  },
  overhead: async () => {
    await overhead('20');
    await overhead('0');
  },
  cancel: cancellation,
  alerts: alertPriority,
  cold: coldDashboard,
  refresh: refresher,
};

async function main() {
  const chosen = process.env.BENCH_SCENARIOS?.split(',').map((s) => s.trim()) ?? Object.keys(SCENARIOS);
  for (const name of chosen) {
    if (!SCENARIOS[name]) {
      throw new Error(`unknown scenario ${name}; choose from ${Object.keys(SCENARIOS).join(', ')}`);
    }
    await SCENARIOS[name]();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  }
);
