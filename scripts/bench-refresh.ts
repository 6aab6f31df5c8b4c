/**
 * `npm run bench` scenario `refresh` for the background refresher (issue 15), through the BUILT
 * executable over gRPC against the simulator's REAL quota (ListInsightsMetricData 1 call/s).
 * Side by side in one run, each with its own simulator and plugin process: the refresher at its
 * default share (50 %), at 30 % (the first default: too little for this dashboard), and off (0);
 * BENCH_REFRESH_SHARES=50,30,0 picks others. Each loads a 20-series dashboard over the last hour
 * with Period auto as a real panel asks (1,200 points wide: Grafana's interval 2 s → 60 s
 * buckets), stays idle for BENCH_REFRESH_IDLE_MS (default 210 s, over 3 bucket periods) while 5
 * alert-rule queries for 5 other series arrive one by one (so 25 series are tracked), then opens
 * the dashboard again 3 times, 20 s apart (so at 3 points of the bucket): calls and latency of
 * each open (where in the bucket it fell, the machine's load then, each panel's answer source),
 * the refresher's calls per minute against its share, when in the minute calls were made while
 * idle, and the alert latencies. The runs start 60 s apart so their opens do not share the CPU.
 */
import { loadavg } from 'node:os';
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
const DEFAULT_SHARE = '50';
const SERIES = 20;
const STAGGER_MS = 60_000;
const REOPENS = 3;
const REOPEN_GAP_MS = 20_000;
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

interface OpenOutcome {
  /** Second of the 60 s bucket at which the open started; the machine's 1-minute load then. */
  second: number;
  load: number;
  /** Calls the open's own queries made (their frames' API calls stat). */
  calls: number;
  /** Calls the simulator saw during the open, and how many of them were background refreshes. */
  simCalls: number;
  background: number;
  p95: number;
  panels: Array<{ a: DecodedResponse; ms: number }>;
}

interface Outcome {
  share: string;
  loadComplete: number;
  opens: OpenOutcome[];
  openComplete: number;
  openP95: number;
  openMax: number;
  refresherPerMin: number;
  idleCalls: number;
  alertMs: number[];
  alertErrors: number;
  /** Each panel's answer source, over all re-opens. */
  openSources: Record<string, number>;
  slowest: string;
  period: string;
  busiestMinute: number;
  /** Seconds of the minute at which ListInsightsMetricData calls were seen while idle (sampled each second). */
  callSeconds: number[];
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
      catalog.map((s) => seriesQuery(s, { period: 'auto', dataType }))
    );
    // A relative range (last 1 h) evaluated at each request, as Grafana does: the newest bucket moves.
    const queries = (offset: number, n: number): Array<() => QuerySpec> =>
      combos.slice(offset, offset + n).map((json, i) => () => {
        const toMs = Date.now();
        return { refId: `Q${offset + i}`, json, fromMs: toMs - HOUR_MS, toMs, maxDataPoints: 1_200, intervalMs: 2_000 };
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
    const callSeconds: number[] = [];
    const callTimes: number[] = [];
    let seen = calls(sim);
    const sampler = setInterval(() => {
      const now = calls(sim);
      for (let i = seen; i < now; i++) {
        callSeconds.push(Math.floor((Date.now() % 60_000) / 1000));
        callTimes.push(Date.now());
      }
      seen = now;
    }, 250);
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
    clearInterval(sampler);
    const apiCalls = (r: { a: DecodedResponse }) =>
      Number(
        r.a.frames[0]?.meta?.stats?.find((x: { displayName: string }) => x.displayName === 'API calls')?.value ?? 0
      );
    // Opened again REOPENS times, REOPEN_GAP_MS apart: at different points of the bucket.
    const opens: OpenOutcome[] = [];
    for (let k = 0; k < REOPENS; k++) {
      await sleep(idleStart + IDLE_MS + k * REOPEN_GAP_MS - performance.now());
      const [simBefore, bgBeforeOpen] = [calls(sim), await backgroundCalls(plugin)];
      const second = (Date.now() % 60_000) / 1000;
      const load = loadavg()[0];
      const panels = await open();
      opens.push({
        second,
        load,
        calls: panels.reduce((sum, r) => sum + apiCalls(r), 0),
        simCalls: calls(sim) - simBefore,
        background: (await backgroundCalls(plugin)) - bgBeforeOpen,
        p95: p95(panels.map((r) => r.ms)),
        panels,
      });
    }
    const reopened = opens.flatMap((o) => o.panels);
    const openSources: Record<string, number> = {};
    for (const r of reopened) {
      const source = String(r.a.frames[0]?.meta?.custom?.source ?? 'error');
      openSources[source] = (openSources[source] ?? 0) + 1;
    }
    const slowest = [...reopened]
      .sort((p, q) => q.ms - p.ms)
      .slice(0, 3)
      .map((r) => `${r.ms.toFixed(0)} ms (${String(r.a.frames[0]?.meta?.custom?.source ?? r.a.error)})`)
      .join(', ');
    const period = String(reopened[0]?.a.frames[0]?.meta?.custom?.period ?? '?');
    const openMs = reopened.map((r) => r.ms);
    return {
      share,
      loadComplete: loaded.filter((r) => complete(r.a)).length,
      opens,
      openComplete: reopened.filter((r) => complete(r.a)).length,
      openP95: p95(openMs),
      openMax: Math.max(...openMs),
      refresherPerMin,
      idleCalls,
      alertMs,
      alertErrors,
      openSources,
      slowest,
      period,
      busiestMinute: busiest(callTimes),
      callSeconds,
    };
  } finally {
    await plugin.stop();
    await sim.stop();
  }
}

/** Most calls seen in any 60 s (sampled each 250 ms; alert calls included). */
function busiest(times: number[]): number {
  return times.reduce((most, t) => Math.max(most, times.filter((u) => u >= t && u < t + 60_000).length), 0);
}

const o0Period = (outcomes: Outcome[]) => outcomes.map((o) => o.period).find((p) => p !== '?') ?? '?';

function histogram(secondsOfMinute: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of secondsOfMinute) {
    const bin = `${Math.floor(s / 10) * 10}-${Math.floor(s / 10) * 10 + 9}`;
    out[bin] = (out[bin] ?? 0) + 1;
  }
  return out;
}

export async function refresher(): Promise<void> {
  const shares = process.env.BENCH_REFRESH_SHARES?.split(',') ?? [DEFAULT_SHARE, '30', '0'];
  // Staggered so that no two re-opens (nor one and another's first load) share the CPU: the
  // latency measured is the plugin's, not the bench's other runs'.
  const outcomes = await Promise.all(shares.map((share, i) => sleep(i * STAGGER_MS).then(() => run(share))));
  console.log(
    `\n(refresh) Background refresher: ${SERIES}-series dashboard, last 1 h, Period auto (${o0Period(outcomes)}), idle ${seconds(IDLE_MS)}, then re-opened; real 1 TPS quota`
  );
  for (const o of outcomes) {
    const label =
      o.share === '0'
        ? 'refresher off (share 0)'
        : `CLOUDTRAIL_REFRESH_SHARE=${o.share}${o.share === DEFAULT_SHARE ? ' (default)' : ''}`;
    console.log(`  ${label}:`);
    console.log(`    first load complete: ${o.loadComplete} of ${SERIES}`);
    const first = o.opens[0];
    console.log(
      `    re-open: ${first.calls} calls by its queries (target 0; the simulator saw ${first.simCalls} during it, ${first.background} of them background refreshes), ${o.openComplete} of ${SERIES * REOPENS} panels complete over ${REOPENS} re-opens, p95 ${o.openP95.toFixed(1)} ms over all of them (target ≤ 100 ms), slowest ${seconds(o.openMax)}`
    );
    console.log(
      `    each re-open: ${o.opens.map((x) => `at second ${x.second.toFixed(1)} of the bucket, ${x.calls} calls (${x.simCalls} seen, ${x.background} background), p95 ${x.p95.toFixed(1)} ms, load ${x.load.toFixed(1)}`).join('; ')}`
    );
    console.log(
      `    refresher while idle: ${o.refresherPerMin.toFixed(1)} calls/min = ${((100 * o.refresherPerMin) / 60).toFixed(1)} % of the quota (its share: ${o.share} % = ${(0.6 * Number(o.share)).toFixed(0)} calls/min), busiest 60 s: ${o.busiestMinute} calls; all calls while idle: ${o.idleCalls} (incl. ${ALERTS} alert series)`
    );
    console.log(`    panel answers: ${JSON.stringify(o.openSources)}; slowest panels: ${o.slowest}`);
    console.log(`    idle calls by second of the minute: ${JSON.stringify(histogram(o.callSeconds))}`);
    console.log(
      `    alert queries during refreshes: slowest ${seconds(Math.max(...o.alertMs))} (target ≤ 1.2 s), p95 ${seconds(p95(o.alertMs))}, incomplete ${o.alertErrors} of ${ALERTS}`
    );
  }
}
