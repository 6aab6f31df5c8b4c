/**
 * `npm run bench` scenarios for the 1 call/s queue (issue 11), each through the BUILT executable
 * over gRPC against the simulator's REAL quota (ListInsightsMetricData 1 call per second), with a
 * fresh simulator and plugin process each so no cache or quota state carries over:
 * (a) six queued queries cancelled by the client: calls sent for them, and how long the next query takes;
 * (b) a 40-series dashboard burst, then 5 alert-rule queries 1 s later: alert latencies, errors,
 *     throttles, and whether a refresh 45 s after the burst is complete;
 * (c) a cold 60-series dashboard with a 30 s deadline: errors, partial answers with notices, and the
 *     calls across the first answer and a refresh when the notices say it will be complete.
 */
import { startSimulator, type RunningSimulator } from '../simulator';
import {
  DAY_MS,
  HOUR_MS,
  PluginUnderTest,
  seriesQuery,
  type DataSourceConfig,
  type DecodedResponse,
  type QuerySpec,
} from '../backend/cloudtrail/e2e/harness';

const KEYS = { accessKeyId: 'AKIDQUEUEBENCH', secretAccessKey: 'queue-bench-secret' };
/** Grafana's default data proxy and alert evaluation timeouts. */
const DEADLINE_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Stack {
  sim: RunningSimulator;
  plugin: PluginUnderTest;
  ds: DataSourceConfig;
  /** `n` panel queries of distinct series (catalog series × period × data type), from `offset`. */
  panels: (n: number, offset?: number) => QuerySpec[];
}

async function withStack(run: (stack: Stack) => Promise<void>): Promise<void> {
  const sim = await startSimulator({ seed: 'queue-bench', credentials: [KEYS] });
  const plugin = await PluginUnderTest.launch();
  const ds: DataSourceConfig = {
    jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: sim.url },
    secure: { accessKey: KEYS.accessKeyId, secretKey: KEYS.secretAccessKey },
  };
  const catalog = sim.catalog('us-east-1').series;
  const combos = [300, 60, 3600].flatMap((period) =>
    ['FillWithZeros', 'NonZeroData'].flatMap((dataType) => catalog.map((s) => seriesQuery(s, { period, dataType })))
  );
  // The 24 h up to the last whole hour, the same for every request of a scenario: a refresh asks
  // for the same (ended) buckets, so what it costs is only what the first answer could not fetch.
  const toMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  const panels = (n: number, offset = 0) =>
    combos.slice(offset, offset + n).map((json, i) => ({
      refId: `Q${offset + i}`,
      json,
      fromMs: toMs - DAY_MS,
      toMs,
      maxDataPoints: 1440,
      intervalMs: 60_000,
    }));
  try {
    await run({ sim, plugin, ds, panels });
  } finally {
    await plugin.stop();
    await sim.stop();
  }
}

/** The one answer of a one-query request, and how long it took. */
async function timed(answer: Promise<Record<string, DecodedResponse>>): Promise<{ a: DecodedResponse; ms: number }> {
  const started = performance.now();
  const all = await answer;
  return { a: Object.values(all)[0], ms: performance.now() - started };
}

const loadingNotice = (a: DecodedResponse) =>
  a.frames[0]?.meta?.notices?.find((n: { text: string }) => /still loading|could not be queued/.test(n.text))?.text as
    string | undefined;
const complete = (a: DecodedResponse) =>
  !a.error && !loadingNotice(a) && a.frames[0]?.meta?.custom?.source !== 'loading';
const calls = (sim: RunningSimulator) => sim.calls().ListInsightsMetricData ?? 0;
const throttled = (sim: RunningSimulator) => sim.throttled().ListInsightsMetricData ?? 0;

export async function cancellation(): Promise<void> {
  await withStack(async ({ sim, plugin, ds, panels }) => {
    const [first, ...rest] = panels(8);
    sim.resetCounts();
    const firstAnswer = timed(plugin.query(ds, [first]));
    await sleep(50); // it takes the quota's slot now; the six below queue behind it
    const controllers = rest.slice(0, 6).map(() => new AbortController());
    const queued = rest.slice(0, 6).map((q, i) =>
      plugin.query(ds, [q], { signal: controllers[i].signal }).then(
        () => 'answered',
        () => 'cancelled'
      )
    );
    await sleep(300);
    controllers.forEach((c) => c.abort());
    const outcomes = await Promise.all(queued);
    const next = await timed(plugin.query(ds, [rest[6]]));
    await firstAnswer;
    await sleep(7_500); // anything still queued for the cancelled six would have been sent by now
    const sent = calls(sim);
    console.log('\n(a) Cancellation: 6 queued queries cancelled by the client at 300 ms, real 1 TPS quota');
    console.log(`  cancelled: ${outcomes.filter((o) => o === 'cancelled').length} of 6`);
    console.log(
      `  ListInsightsMetricData calls: ${sent} (the first query and the next one: 2) → ${sent - 2} sent for the cancelled six`
    );
    console.log(`  next query answered in ${seconds(next.ms)}${next.a.error ? `, error: ${next.a.error}` : ''}`);
  });
}

export async function alertPriority(): Promise<void> {
  await withStack(async ({ sim, plugin, ds, panels }) => {
    const dashboard = panels(40);
    const alerts = panels(5, 40);
    sim.resetCounts();
    const started = performance.now();
    const dash = dashboard.map((q) => timed(plugin.query(ds, [q], { deadlineMs: DEADLINE_MS })));
    await sleep(1_000);
    const rules = alerts.map((q) =>
      timed(plugin.query(ds, [q], { headers: { FromAlert: 'true' }, deadlineMs: DEADLINE_MS }))
    );
    const [dashAnswers, alertAnswers] = await Promise.all([Promise.all(dash), Promise.all(rules)]);
    await sleep(started + 45_000 - performance.now());
    const refresh = await Promise.all(dashboard.map((q) => timed(plugin.query(ds, [q], { deadlineMs: DEADLINE_MS }))));
    const errors = [...dashAnswers, ...alertAnswers, ...refresh].filter((r) => r.a.error);
    console.log('\n(b) Alert priority: 40-series dashboard burst, 5 alert queries 1 s later, real 1 TPS quota');
    console.log(
      `  alerts: ${alertAnswers.filter((r) => complete(r.a)).length} of 5 answered with data, slowest in ${seconds(Math.max(...alertAnswers.map((r) => r.ms)))}`
    );
    console.log(
      `  dashboard first answer: ${dashAnswers.filter((r) => complete(r.a)).length} complete, ${dashAnswers.filter((r) => loadingNotice(r.a)).length} partial with a loading notice`
    );
    console.log(
      `  refresh 45 s after the burst: ${refresh.filter((r) => complete(r.a)).length} of 40 complete, slowest in ${seconds(Math.max(...refresh.map((r) => r.ms)))}`
    );
    console.log(
      `  errors: ${errors.length}${errors.length ? ` (${errors[0].a.error})` : ''}; throttled: ${throttled(sim)}; calls: ${calls(sim)}`
    );
  });
}

export async function coldDashboard(): Promise<void> {
  await withStack(async ({ sim, plugin, ds, panels }) => {
    const dashboard = panels(60);
    sim.resetCounts();
    const started = performance.now();
    const first = await Promise.all(dashboard.map((q) => timed(plugin.query(ds, [q], { deadlineMs: DEADLINE_MS }))));
    const notices = first.map((r) => loadingNotice(r.a)).filter((n): n is string => n !== undefined);
    // Refresh when the notices said: each "refresh in about N s" counts from its own answer.
    const refreshAt = Math.max(
      ...first.map(
        (r) => started + r.ms + 1000 * Number(/refresh in about (\d+) s/.exec(loadingNotice(r.a) ?? '')?.[1] ?? 0)
      )
    );
    const firstCalls = calls(sim);
    await sleep(refreshAt - performance.now());
    const refresh = await Promise.all(dashboard.map((q) => timed(plugin.query(ds, [q], { deadlineMs: DEADLINE_MS }))));
    const errors = [...first, ...refresh].filter((r) => r.a.error);
    const partialWithoutNotice = first.filter((r) => !complete(r.a) && !loadingNotice(r.a) && !r.a.error).length;
    console.log('\n(c) Cold dashboard: 60 distinct series, 30 s deadline, real 1 TPS quota');
    console.log(
      `  first answer: ${first.filter((r) => complete(r.a)).length} complete, ${notices.length} partial with a notice, ${partialWithoutNotice} partial without one, slowest in ${seconds(Math.max(...first.map((r) => r.ms)))}`
    );
    console.log(`  notice: "${notices[notices.length - 1] ?? '(none)'}"`);
    console.log(
      `  refresh ${seconds(refreshAt - started)} after the first request, when the notices said: ${refresh.filter((r) => complete(r.a)).length} of 60 complete, slowest in ${seconds(Math.max(...refresh.map((r) => r.ms)))}`
    );
    console.log(
      `  query errors: ${errors.length}${errors.length ? ` (${errors[0].a.error})` : ''}; calls: ${firstCalls} by the first answer, ${calls(sim)} in total; throttled: ${throttled(sim)}`
    );
  });
}
