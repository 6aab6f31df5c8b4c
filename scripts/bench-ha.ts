/**
 * `npm run bench:ha`: Grafana HA measured through the BUILT executable (run `npm run build:backend`
 * first). Three backend processes (the replicas) against one simulator at the real quota
 * (ListInsightsMetricData 1 TPS), each receiving the same burst at once: 10 alert rule queries and
 * 20 dashboard panel queries over 10 series.
 *
 * 1. Shared through one redis-server (started here, no persistence): calls, throttled, errors, wall.
 * 2. One replica restarted (a new process, empty memory), then the same burst on it: calls.
 * 3. The same burst without Redis (each replica alone, as before): the multiplied calls.
 * After 1 and 3, every replica opens the Insights events table at once: LookupEvents calls (the
 * list is paged, 2 calls per second) with one listing shared through Redis, and without; then the
 * data-event Insights table of the trail data-events: ListInsightsData calls (its own 2/s quota), one
 * listing per trail for all replicas plus each replica's one-event proof of its access.
 */
import { startSimulator, type RunningSimulator, type SeriesInfo } from '../simulator';
import {
  DAY_MS,
  eventsTableQuery,
  HOUR_MS,
  PluginUnderTest,
  seriesQuery,
  type DataSourceConfig,
  type QuerySpec,
} from '../backend/cloudtrail/e2e/harness';
import { startRedisServer } from '../backend/cloudtrail/coordination/redis/testing/redisServer';

const REPLICAS = 3;
const DATA_TRAIL = 'data-events';
const KEYS = { accessKeyId: 'AKIDBENCHHA', secretAccessKey: 'bench-ha-secret' };

interface Outcome {
  calls: number;
  throttled: number;
  errors: number;
  wallMs: number;
}

/** Two panels (last day) and one alert rule (last hour) per series. */
function burstQueries(series: SeriesInfo[], nowMs: number): Array<QuerySpec & { alert: boolean }> {
  return series.flatMap((s, i) => [
    ...['a', 'b'].map((panel) => ({
      refId: `P${i}${panel}`,
      json: seriesQuery(s),
      fromMs: nowMs - DAY_MS,
      toMs: nowMs,
      maxDataPoints: 288,
      intervalMs: 300_000,
      alert: false,
    })),
    // The rule's interval matches the panels' (as in npm run bench), so both read the same 300 s series.
    {
      refId: `R${i}`,
      json: seriesQuery(s),
      fromMs: nowMs - HOUR_MS,
      toMs: nowMs,
      maxDataPoints: 43_200,
      intervalMs: 300_000,
      alert: true,
    },
  ]);
}

async function burst(sim: RunningSimulator, replicas: PluginUnderTest[], ds: DataSourceConfig, series: SeriesInfo[]) {
  const queries = burstQueries(series, Date.now());
  sim.resetCounts();
  const started = performance.now();
  const answers = await Promise.all(
    replicas.flatMap((replica) =>
      queries.map((q) => replica.query(ds, [q], { headers: q.alert ? { FromAlert: 'true' } : {} }))
    )
  );
  const errors = answers.filter((a) => Object.values(a).some((r) => r.error)).length;
  return {
    calls: sim.calls().ListInsightsMetricData ?? 0,
    throttled: sim.throttled().ListInsightsMetricData ?? 0,
    errors,
    wallMs: performance.now() - started,
  } satisfies Outcome;
}

/** Every replica asks for the Insights events table (the last 90 days) at once. */
async function eventsOpen(sim: RunningSimulator, replicas: PluginUnderTest[], ds: DataSourceConfig) {
  const q = eventsTableQuery(Date.now());
  sim.resetCounts();
  const started = performance.now();
  const answers = await Promise.all(replicas.map((replica) => replica.query(ds, [q])));
  return {
    calls: sim.calls().LookupEvents ?? 0,
    throttled: sim.throttled().LookupEvents ?? 0,
    errors: answers.filter((a) => a.E.error).length,
    wallMs: performance.now() - started,
  } satisfies Outcome;
}

/** Every replica asks for the data-event Insights of the trail at once. */
async function dataEventsOpen(sim: RunningSimulator, replicas: PluginUnderTest[], ds: DataSourceConfig) {
  const now = Date.now();
  const q = {
    refId: 'E',
    queryType: 'events',
    json: { queryType: 'events', eventCategory: 'data', trailName: DATA_TRAIL },
    fromMs: now - 90 * DAY_MS,
    toMs: now,
  };
  sim.resetCounts();
  const started = performance.now();
  const answers = await Promise.all(replicas.map((replica) => replica.query(ds, [q])));
  return {
    calls: sim.calls().ListInsightsData ?? 0,
    throttled: sim.throttled().ListInsightsData ?? 0,
    errors: answers.filter((a) => a.E.error).length,
    wallMs: performance.now() - started,
  } satisfies Outcome;
}

/** ListInsightsData pages one listing of the trail's last 90 days takes (50 events each). */
function listingPages(sim: RunningSimulator): number {
  const now = Date.now();
  const { episodes } = sim.catalog('us-east-1').dataEvents;
  return Math.ceil((episodes.length + episodes.filter((e) => e.endMs <= now).length) / 50);
}

/** Redis fallbacks of all replicas, from their metrics (0 when Redis answered in time throughout). */
async function fallbacks(replicas: PluginUnderTest[]): Promise<number> {
  const texts = await Promise.all(replicas.map((r) => r.metricsText()));
  return texts
    .map((t) => Number(/^cloudtrail_insights_redis_fallbacks_total (\d+)/m.exec(t)?.[1] ?? 0))
    .reduce((a, b) => a + b, 0);
}

const line = (name: string, o: Outcome) =>
  `  ${name.padEnd(58)} ${String(o.calls).padStart(3)} calls, ${o.throttled} throttled, ${o.errors} errors, wall ${(o.wallMs / 1000).toFixed(2)} s`;

async function main() {
  const sim = await startSimulator({ seed: 'bench-ha', credentials: [KEYS] });
  const redis = await startRedisServer();
  const ds: DataSourceConfig = {
    jsonData: { authType: 'keys', defaultRegion: 'us-east-1', endpoint: sim.url },
    secure: { accessKey: KEYS.accessKeyId, secretKey: KEYS.secretAccessKey },
  };
  const all = sim.catalog('us-east-1').series;
  const series = [
    ...all.filter((s) => s.insightType === 'ApiCallRateInsight').slice(0, 5),
    ...all.filter((s) => s.insightType === 'ApiErrorRateInsight').slice(0, 5),
  ];
  const shared = { CLOUDTRAIL_REDIS_URL: redis.url, CLOUDTRAIL_REPLICAS: String(REPLICAS) };
  const launch = (env: Record<string, string>) =>
    Promise.all(Array.from({ length: REPLICAS }, () => PluginUnderTest.launch(env)));
  let replicas: PluginUnderTest[] = [];
  try {
    console.log(
      `Grafana HA: ${REPLICAS} backend processes, each sent the same 30 queries (20 panel + 10 alert rule) for 10 series at once, real 1 TPS quota`
    );
    replicas = await launch(shared);
    const first = await burst(sim, replicas, ds, series);
    console.log(line(`with Redis, ${REPLICAS} × 30 queries`, first));
    console.log(`  times a replica fell back to its local share: ${await fallbacks(replicas)}`);
    const sharedEvents = await eventsOpen(sim, replicas, ds);
    console.log(line(`with Redis, events table on ${REPLICAS} replicas (LookupEvents)`, sharedEvents));
    const sharedData = await dataEventsOpen(sim, replicas, ds);
    console.log(line(`with Redis, data-event table on ${REPLICAS} replicas (ListInsightsData)`, sharedData));
    const pages = listingPages(sim);
    console.log(
      `  = ${(sharedData.calls - REPLICAS) / pages} listing(s) of ${pages} pages for trail ${DATA_TRAIL} + ${REPLICAS} access proofs (one event per replica)`
    );
    await replicas[0].stop();
    replicas[0] = await PluginUnderTest.launch(shared);
    const restarted = await burst(sim, [replicas[0]], ds, series);
    console.log(line('with Redis, one replica restarted, 30 queries', restarted));
    await Promise.all(replicas.map((r) => r.stop()));

    replicas = await launch({});
    // The first run's answers are in the simulator's quota window still: start clean.
    await new Promise((r) => setTimeout(r, 2_000));
    const alone = await burst(sim, replicas, ds, series);
    console.log(line(`without Redis, ${REPLICAS} × 30 queries`, alone));
    const aloneEvents = await eventsOpen(sim, replicas, ds);
    console.log(line(`without Redis, events table on ${REPLICAS} replicas`, aloneEvents));
    const aloneData = await dataEventsOpen(sim, replicas, ds);
    console.log(line(`without Redis, data-event table on ${REPLICAS} replicas`, aloneData));
    console.log(
      `  calls without Redis / with Redis: ${(alone.calls / Math.max(1, first.calls)).toFixed(1)}x (${alone.calls} vs ${first.calls}); LookupEvents for the events table ${(aloneEvents.calls / Math.max(1, sharedEvents.calls)).toFixed(1)}x (${aloneEvents.calls} vs ${sharedEvents.calls}); ListInsightsData for the data-event table ${(aloneData.calls / Math.max(1, sharedData.calls)).toFixed(1)}x (${aloneData.calls} vs ${sharedData.calls})`
    );
  } finally {
    await Promise.all(replicas.map((r) => r.stop().catch(() => undefined)));
    await redis.stop();
    await sim.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  }
);
