/**
 * `npm run bench` scenario `refresh` for the background refresher (issue 15), through the BUILT
 * executable over gRPC against the simulator's REAL quota (ListInsightsMetricData 1 call/s).
 * Side by side in one run, each with its own simulator and plugin process: the refresher at the
 * share 20 series of 60 s buckets need (BENCH_REFRESH_SHARE, default 40 %), at the default 30 %,
 * and off (0). Each loads a 20-series dashboard over the last hour at 60 s, stays idle for
 * BENCH_REFRESH_IDLE_MS (default 210 s, over 3 bucket periods) while 5 alert-rule queries arrive one
 * by one, then opens the dashboard again: calls and latency of that open, the refresher's calls per
 * minute and share of the quota, and the alert latencies.
 */
import { startSimulator, type RunningSimulator } from '../simulator';
import {
  HOUR_MS,
  PluginUnderTest,
  seriesQuery,
  type DecodedResponse,
  type QuerySpec,
} from '../backend/cloudtrail/e2e/harness';

const KEYS = { accessKeyId: 'AKIDREFRESHBENCH', secretAccessKey: 'refresh-bench-secret' };
const DEADLINE_MS = 30_000;
const IDLE_MS = Number(process.env.BENCH_REFRESH_IDLE_MS) || 210_000;
const NEEDED_SHARE = process.env.BENCH_REFRESH_SHARE ?? '40';
const SERIES = 20;
const ALERTS = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const calls = (sim: RunningSimulator) => sim.calls().ListInsightsMetricData ?? 0;
const p95 = (samples: number[]) =>
  [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(0.95 * samples.length))];
const complete = (a: DecodedResponse) =>
  !a.error &&
  a.frames[0]?.meta?.custom?.source !== 'loading' &&
  !a.frames[0]?.meta?.notices?.some((n: { text: string }) => /still loading|could not be queued/.test(n.text));

async function backgroundCalls(plugin: PluginUnderTest): Promise<number> {
  const text = await plugin.metricsText();
  return [...text.matchAll(/^cloudtrail_insights_background_calls_total\{[^}]*\} ([\d.e+-]+)$/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0
  );
}

interface Outcome {
  share: string;
  loadComplete: number;
  openCalls: number;
  openComplete: number;
  openP95: number;
  openMax: number;
  refresherPerMin: number;
  idleCalls: number;
  alertMs: number[];
  alertErrors: number;
}

async function run(share: string): Promise<Outcome> {
  const sim = await startSimulator({ seed: 'refresh-bench', credentials: [KEYS] });
  const plugin = await PluginUnderTest.launch({ CLOUDTRAIL_REFRESH_SHARE: share });
  try {
    const ds = {
      jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: sim.url },
      secure: { accessKey: KEYS.accessKeyId, secretKey: KEYS.secretAccessKey },
    };
    const catalog = sim.catalog('us-east-1').series;
    const combos = ['FillWithZeros', 'NonZeroData'].flatMap((dataType) =>
      catalog.map((s) => seriesQuery(s, { period: 60, dataType }))
    );
    // A relative range (last 1 h) evaluated at each request, as Grafana does: the newest bucket moves.
    const queries = (offset: number, n: number): Array<() => QuerySpec> =>
      combos.slice(offset, offset + n).map((json, i) => () => {
        const toMs = Date.now();
        return { refId: `Q${offset + i}`, json, fromMs: toMs - HOUR_MS, toMs, maxDataPoints: 60, intervalMs: 60_000 };
      });
    const dashboard = queries(0, SERIES);
    if (dashboard.length < SERIES) {
      throw new Error(`the simulator catalog has only ${dashboard.length} series`);
    }
    const alerts = queries(SERIES, ALERTS);
    const open = () =>
      Promise.all(
        dashboard.map(async (q) => {
          const started = performance.now();
          const a = Object.values(await plugin.query(ds, [q()], { deadlineMs: DEADLINE_MS }))[0];
          return { a, ms: performance.now() - started };
        })
      );
    // Load until every panel is complete (a 20-series cold load takes ~20 s of quota).
    let loaded = await open();
    for (let i = 0; i < 5 && loaded.some((r) => !complete(r.a)); i++) {
      await sleep(5_000);
      loaded = await open();
    }
    const idleStart = performance.now();
    const [bgBefore, callsBefore] = [await backgroundCalls(plugin), calls(sim)];
    const alertMs: number[] = [];
    let alertErrors = 0;
    for (const [i, q] of alerts.entries()) {
      await sleep(idleStart + ((i + 1) * IDLE_MS) / (ALERTS + 2) - performance.now());
      const started = performance.now();
      const a = Object.values(
        await plugin.query(ds, [q()], { headers: { FromAlert: 'true' }, deadlineMs: DEADLINE_MS })
      )[0];
      alertMs.push(performance.now() - started);
      if (!complete(a)) {
        alertErrors++;
      }
    }
    await sleep(idleStart + IDLE_MS - performance.now());
    const idleMin = (performance.now() - idleStart) / 60_000;
    const refresherPerMin = ((await backgroundCalls(plugin)) - bgBefore) / idleMin;
    const idleCalls = calls(sim) - callsBefore;
    const beforeOpen = calls(sim);
    const reopened = await open();
    const openMs = reopened.map((r) => r.ms);
    return {
      share,
      loadComplete: loaded.filter((r) => complete(r.a)).length,
      openCalls: calls(sim) - beforeOpen,
      openComplete: reopened.filter((r) => complete(r.a)).length,
      openP95: p95(openMs),
      openMax: Math.max(...openMs),
      refresherPerMin,
      idleCalls,
      alertMs,
      alertErrors,
    };
  } finally {
    await plugin.stop();
    await sim.stop();
  }
}

export async function refresher(): Promise<void> {
  const outcomes = await Promise.all([NEEDED_SHARE, '30', '0'].map(run));
  console.log(
    `\n(refresh) Background refresher: ${SERIES}-series dashboard, last 1 h at 60 s, idle ${seconds(IDLE_MS)}, then re-opened; real 1 TPS quota`
  );
  for (const o of outcomes) {
    const label =
      o.share === '0'
        ? 'refresher off (share 0)'
        : `CLOUDTRAIL_REFRESH_SHARE=${o.share}${o.share === '30' ? ' (default)' : ''}`;
    console.log(`  ${label}:`);
    console.log(`    first load complete: ${o.loadComplete} of ${SERIES}`);
    console.log(
      `    re-open: ${o.openCalls} calls (target 0), ${o.openComplete} of ${SERIES} complete, p95 ${o.openP95.toFixed(1)} ms (target ≤ 100 ms), slowest ${seconds(o.openMax)}`
    );
    console.log(
      `    refresher while idle: ${o.refresherPerMin.toFixed(1)} calls/min = ${((100 * o.refresherPerMin) / 60).toFixed(1)} % of the quota; all calls while idle: ${o.idleCalls} (incl. ${ALERTS} alert series)`
    );
    console.log(
      `    alert queries during refreshes: slowest ${seconds(Math.max(...o.alertMs))} (target ≤ 1.2 s), p95 ${seconds(p95(o.alertMs))}, incomplete ${o.alertErrors} of ${ALERTS}`
    );
  }
}
