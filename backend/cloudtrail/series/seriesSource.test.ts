import { CloudTrailClient, ListInsightsMetricDataCommand } from '@aws-sdk/client-cloudtrail';
import { pacingOf } from '../pacing/quotas';
import { startSimulator, type RunningSimulator, type SeriesInfo } from '../../../simulator';
import { QueryError } from '../../sdk/types';
import { AccountScope, QuotaKey, SeriesKey } from '../core/keys';
import { RateLimiter } from '../pacing/rateLimiter';
import { SeriesCache } from './seriesCache';
import type { FetchStats } from './seriesFetcher';
import { SeriesSource, clampToRetention, type SeriesRequest } from './seriesSource';

jest.setTimeout(30_000);

const KEYS = { accessKeyId: 'AKIDSOURCE', secretAccessKey: 'source-secret' };
const HOUR = 3_600_000;
let sim: RunningSimulator;
let client: CloudTrailClient;
let series: SeriesInfo;

beforeAll(async () => {
  sim = await startSimulator({ seed: 'source', credentials: [KEYS] });
  client = new CloudTrailClient({ region: 'us-east-1', endpoint: sim.url, credentials: KEYS, maxAttempts: 1 });
  series = sim.catalog('us-east-1').series[0];
  // The file's first call pays for connecting and the SDK's lazy setup. A slow first call and a
  // fast one granted 1.1 s later reach the simulator less than 1 s apart and the second is
  // throttled (a third call in a test counting two). Pay that here, in the quota's line.
  await limiter.acquire(QUOTA(), 1);
  const { params } = request('warm-up', 0, 0);
  const end = new Date(hourStart());
  await client.send(new ListInsightsMetricDataCommand({ ...params, StartTime: new Date(+end - HOUR), EndTime: end }));
});

afterAll(async () => {
  client.destroy();
  await sim.stop();
});

beforeEach(() => {
  sim.resetCounts();
  sim.setFaults({ serverError: false, slowMs: 0 });
});

const stats = (): FetchStats => ({ apiCalls: 0, retries: 0, pages: 0 });
const hourStart = () => Math.floor(Date.now() / HOUR) * HOUR;

/** `name` keeps each test's cache entries apart; all share one identity, as they share one account. */
function request(name: string, startMs: number, endMs: number): SeriesRequest {
  const account = new AccountScope(
    { kind: 'account', accountId: sim.accountIdFor(KEYS.accessKeyId) },
    'us-east-1',
    sim.url
  );
  const params = {
    EventSource: series.eventSource,
    EventName: series.eventName,
    InsightType: series.insightType,
    Period: 60,
    DataType: 'FillWithZeros',
  } as const;
  return {
    key: { id: `${name}|${new SeriesKey(account, params).id}` },
    client,
    scope: { account, endpointLabel: sim.url },
    params,
    period: 60,
    range: { startMs, endMs },
  };
}

// One limiter for the file: the simulator's real quota is per account, across tests.
const limiter = new RateLimiter();
const source = () => new SeriesSource(new SeriesCache(), { pacing: pacingOf(limiter), gatherMs: 20 });
const budget = (ms = 10_000) => ({ deadlineMs: Date.now() + ms });

test('concurrent requests for one series widen a single call; each gets its own slice', async () => {
  const s = source();
  const end = hourStart();
  const [day, hour, other] = await Promise.all([
    s.get(request('a', end - 24 * HOUR, end), budget(), stats()),
    s.get(request('a', end - HOUR, end), budget(), stats()),
    s.get(request('a', end - 3 * HOUR, end - 2 * HOUR), budget(), stats()),
  ]);
  expect(sim.calls().ListInsightsMetricData).toBe(1);
  expect(day.timestamps).toHaveLength(24 * 60);
  expect(hour.timestamps).toHaveLength(60);
  expect(other.timestamps).toHaveLength(60);
  expect(hour.timestamps[0]).toBe(end - HOUR);
  const dayValues = new Map(day.timestamps.map((t, i) => [t, day.values[i]]));
  hour.timestamps.forEach((t, i) => expect(hour.values[i]).toBe(dayValues.get(t)));
  expect([day.source, hour.source, other.source].filter((x) => x === 'coalesced')).toHaveLength(2);
  // History is now cached: no call at all for any part of it.
  const again = await s.get(request('a', end - 12 * HOUR, end - 6 * HOUR), budget(), stats());
  expect(again.source).toBe('cache');
  expect(sim.calls().ListInsightsMetricData).toBe(1);
});

test('a later, wider request fetches only what the cache lacks', async () => {
  const s = source();
  const end = hourStart();
  await s.get(request('b', end - 2 * HOUR, end), budget(), stats());
  const st = stats();
  const wider = await s.get(request('b', end - 6 * HOUR, end), budget(), st);
  expect(wider.source).toBe('partial');
  expect(wider.fetchedRanges).toEqual([{ startMs: end - 6 * HOUR, endMs: end - 2 * HOUR }]);
  expect(wider.timestamps).toHaveLength(6 * 60);
  expect(st.apiCalls).toBe(1);
  expect(sim.calls().ListInsightsMetricData).toBe(2);
  expect(sim.throttled().ListInsightsMetricData ?? 0).toBe(0);
});

test('a failure is shared by the joined requests, not retried by each of them', async () => {
  sim.setFaults({ serverError: true });
  const s = new SeriesSource(new SeriesCache(), { pacing: pacingOf(limiter), gatherMs: 20, maxAttempts: 2 });
  const end = hourStart();
  const results = await Promise.allSettled([
    s.get(request('c', end - HOUR, end), budget(), stats()),
    s.get(request('c', end - HOUR, end), budget(), stats()),
  ]);
  results.forEach((r) => expect(r).toMatchObject({ status: 'rejected', reason: expect.any(QueryError) }));
  expect(sim.calls().ListInsightsMetricData).toBe(2); // two attempts of ONE shared call
});

test('a joiner with a short deadline gives up alone; the shared fetch still serves the others', async () => {
  sim.setFaults({ slowMs: 600 });
  const s = source();
  const end = hourStart();
  const [patient, hurried, alert] = await Promise.allSettled([
    s.get(request('d', end - HOUR, end), budget(5_000), stats()),
    s.get(request('d', end - HOUR, end), budget(200), stats()),
    s.get(request('d', end - HOUR, end), { ...budget(200), priority: 'alert' }, stats()),
  ]);
  expect(patient).toMatchObject({ status: 'fulfilled', value: { source: 'fetched' } });
  // A dashboard query answers with what is cached (nothing) and says the rest is loading…
  expect(hurried).toMatchObject({
    status: 'fulfilled',
    value: {
      source: 'loading',
      timestamps: [],
      loading: { missing: { startMs: end - HOUR, endMs: end }, queued: true },
    },
  });
  // …an alert query never gets a partial answer.
  expect(alert).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ status: 504 }) });
  expect(sim.calls().ListInsightsMetricData).toBe(1);
});

const QUOTA = () => new QuotaKey(request('quota', 0, 0).scope.account, 'ListInsightsMetricData');
/** Takes the quota's current slot, so the fetches started next wait about a second for theirs. */
const occupyQuota = () => limiter.acquire(QUOTA(), 1);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('fetches whose queries are all cancelled before their turn send no call, and free their slots', async () => {
  const s = source();
  const end = hourStart();
  await occupyQuota();
  const controllers = Array.from({ length: 4 }, () => new AbortController());
  const cancelled = controllers.map((c, i) =>
    s.get(request(`cancel-${i}`, end - HOUR, end), { ...budget(), signal: c.signal }, stats())
  );
  await pause(300);
  controllers.forEach((c) => c.abort(new Error('request cancelled by the caller')));
  await Promise.all(cancelled.map((c) => expect(c).rejects.toMatchObject({ status: 504 })));
  const started = Date.now();
  const next = await s.get(request('after-cancel', end - HOUR, end), budget(), stats());
  expect(next.source).toBe('fetched');
  // Its turn is the first free slot (~0.8 s away), not behind four dead fetches (~4.4 s).
  expect(Date.now() - started).toBeLessThan(2_500);
  expect(sim.calls().ListInsightsMetricData).toBe(1);
  expect(s.fetches.total).toBe(0);
});

test("one query's cancellation does not stop the fetch it shares with another", async () => {
  const s = source();
  const end = hourStart();
  await occupyQuota();
  const first = new AbortController();
  const cancelled = s.get(request('shared-cancel', end - HOUR, end), { ...budget(), signal: first.signal }, stats());
  const patient = s.get(request('shared-cancel', end - HOUR, end), budget(), stats());
  first.abort(new Error('request cancelled by the caller'));
  await expect(cancelled).rejects.toMatchObject({ status: 504 });
  await expect(patient).resolves.toMatchObject({ source: 'coalesced' });
  expect((await patient).timestamps).toHaveLength(60);
  expect(sim.calls().ListInsightsMetricData).toBe(1);
});

test("an alert query's fetch takes the next free slot ahead of queued dashboard fetches", async () => {
  const s = source();
  const end = hourStart();
  await occupyQuota();
  const done: string[] = [];
  const get = (name: string, priority: 'alert' | 'interactive') =>
    s.get(request(name, end - HOUR, end), { ...budget(), priority }, stats()).then(() => done.push(name));
  const dashboards = ['panel-1', 'panel-2', 'panel-3'].map((name) => get(name, 'interactive'));
  await pause(100); // the dashboard fetches are queued first
  await Promise.all([...dashboards, get('alert-rule', 'alert')]);
  expect(done).toEqual(['alert-rule', 'panel-1', 'panel-2', 'panel-3']);
  expect(sim.throttled().ListInsightsMetricData ?? 0).toBe(0);
});

test('a dashboard query past its deadline answers from cache at once; the fetch completes in the background', async () => {
  const s = source();
  const end = hourStart();
  await s.get(request('cold', end - 2 * HOUR, end - HOUR), budget(), stats()); // an older hour is cached
  await occupyQuota();
  sim.resetCounts();
  const started = Date.now();
  const early = await s.get(request('cold', end - 2 * HOUR, end), budget(300), stats());
  expect(Date.now() - started).toBeLessThan(250); // its turn is ~1 s away: no point waiting 300 ms
  expect(early.source).toBe('loading');
  expect(early.timestamps).toHaveLength(60); // the cached hour, and nothing made up for the other
  expect(early.timestamps.every((t) => t < end - HOUR)).toBe(true);
  expect(early.loading).toMatchObject({ missing: { startMs: end - HOUR, endMs: end }, queued: true });
  expect(early.loading!.readyAtMs).toBeGreaterThan(Date.now());
  expect(s.fetches).toEqual({ total: 1, background: 1 });
  await pause(early.loading!.readyAtMs - Date.now() + 500);
  const refresh = await s.get(request('cold', end - 2 * HOUR, end), budget(300), stats());
  expect(refresh).toMatchObject({ source: 'cache' });
  expect(refresh.timestamps).toHaveLength(120);
  expect(sim.calls().ListInsightsMetricData).toBe(1);
});

test('background fetches are bounded: over the bound a fetch is dropped (no call) and says so', async () => {
  const s = new SeriesSource(new SeriesCache(), { pacing: pacingOf(limiter), gatherMs: 20, maxBackgroundFetches: 1 });
  const end = hourStart();
  await occupyQuota();
  const answers = await Promise.all(
    ['bound-1', 'bound-2', 'bound-3'].map((name) => s.get(request(name, end - HOUR, end), budget(200), stats()))
  );
  expect(answers.map((a) => a.loading?.queued)).toEqual([true, false, false]);
  expect(s.fetches).toEqual({ total: 1, background: 1 });
  await pause(answers[0].loading!.readyAtMs - Date.now() + 500);
  expect(sim.calls().ListInsightsMetricData).toBe(1);
  expect(s.fetches.total).toBe(0);
});

test('a background fetch nobody asks for again is dropped when its turn slips past its keep window', async () => {
  const s = new SeriesSource(new SeriesCache(), { pacing: pacingOf(limiter), gatherMs: 0, backgroundKeepMs: 200 });
  const end = hourStart();
  await occupyQuota();
  const early = await s.get(request('drop', end - HOUR, end), budget(100), stats());
  expect(early.loading?.queued).toBe(true);
  // Alert work arrives and takes the next two slots: the fetch's turn moves ~2 s later.
  const alerts = [
    limiter.acquire(QUOTA(), 1, { priority: 'alert' }),
    limiter.acquire(QUOTA(), 1, { priority: 'alert' }),
  ];
  await Promise.all(alerts);
  await pause(1_500);
  expect(s.fetches.total).toBe(0);
  expect(sim.calls().ListInsightsMetricData ?? 0).toBe(0);
});

test('clampToRetention trims a start that fell out of retention while queued', () => {
  const now = Date.UTC(2026, 10, 20, 12, 0, 30);
  const fifteenDays = 15 * 24 * HOUR;
  const planned = { startMs: Date.UTC(2026, 10, 5, 12, 1, 0), endMs: now };
  expect(clampToRetention(planned, 60, now).startMs).toBeGreaterThanOrEqual(now + 15_000 - fifteenDays);
  expect(clampToRetention(planned, 60, now).startMs % 60_000).toBe(0);
  const inside = { startMs: now - HOUR, endMs: now };
  expect(clampToRetention(inside, 60, now)).toBe(inside);
});

test('after the freshness window only the newest bucket onwards is fetched again', async () => {
  let shift = 0;
  const s = new SeriesSource(new SeriesCache({ freshnessMs: 60_000 }), {
    pacing: pacingOf(limiter),
    gatherMs: 0,
    now: () => Date.now() + shift,
  });
  const end = Math.ceil(Date.now() / 60_000) * 60_000; // includes the minute in progress
  await s.get(request('e', end - HOUR, end), budget(), stats());
  const fresh = await s.get(request('e', end - HOUR, end), budget(), stats());
  expect(fresh.source).toBe('cache');
  shift = 61_000; // an alert evaluation a minute later must not reuse the partial bucket
  const st = stats();
  const later = await s.get(request('e', end - HOUR, end), budget(), st);
  expect(later.source).toBe('partial');
  expect(st.apiCalls).toBe(1);
  expect(later.fetchedRanges).toHaveLength(1);
  expect(later.fetchedRanges[0].endMs).toBe(end);
  expect(later.fetchedRanges[0].endMs - later.fetchedRanges[0].startMs).toBeLessThanOrEqual(2 * 60_000);
});
