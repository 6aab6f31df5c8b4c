/**
 * runMetricsQuery end to end inside the process: a real ClientPool and SeriesSource against the
 * in-process simulator (no quotas, fixed data clock), the quota paced by a ManualGate. What is
 * checked is what a panel or alert rule receives: the frame's buckets and values, labels, name,
 * executed call, stats and notices, and the per-query errors.
 */
import { QueryError, type DataQuery } from '../../sdk/types';
import { pacingOf } from '../pacing/quotas';
import type { Frame } from '../../sdk/frame';
import { planPeriod } from '../../../src/shared/periodPlanner';
import { AccountResolver } from '../aws/accounts';
import { ClientPool } from '../aws/clients';
import { RateLimiter } from '../pacing/rateLimiter';
import { noFetchLock } from '../coordination/localCoordination';
import { eventHistoryUrl } from '../aws/consoleLinks';
import { SeriesKey } from '../core/keys';
import { parseQuery, runMetricsQuery, type MetricsQueryDeps } from './queryRunner';
import { SeriesCache } from './seriesCache';
import type { CachedSeries, MetricParams } from '../core/series';
import { SeriesSource, type SeriesRequest, type SeriesSourceOptions } from './seriesSource';
import { authPolicy } from '../aws/settings';
import { ManualGate } from '../testing/manualGate';
import { HOUR, KEYS, MINUTE, NOW, startUnitSimulator, until, type UnitSimulator } from '../testing/unitSimulator';
import { TRAIL_NAME } from '../../../simulator';

jest.setTimeout(10_000);

let u: UnitSimulator;
let pool: ClientPool;
beforeAll(async () => {
  u = await startUnitSimulator('runner-unit');
  pool = new ClientPool(
    {
      authType: 'keys',
      accessKey: KEYS.accessKeyId,
      secretKey: KEYS.secretAccessKey,
      defaultRegion: 'us-east-1',
      endpoint: u.sim.url,
    },
    authPolicy({}, {}),
    { pacing: pacingOf(new RateLimiter()), accounts: new AccountResolver(), hostEnv: process.env }
  );
});
afterAll(async () => {
  pool.dispose();
  await u.stop();
});
beforeEach(() => {
  u.sim.resetCounts();
  u.sim.setFaults({ serverError: false });
});

const iso = (ms: number) => new Date(ms).toISOString();
const minutes = (startMs: number, endMs: number, step = MINUTE) =>
  Array.from({ length: (endMs - startMs) / step }, (_, i) => startMs + i * step);

function world(options: Partial<SeriesSourceOptions> = {}, gate = new ManualGate()) {
  const series = new SeriesSource(new SeriesCache(), {
    pacing: pacingOf(gate),
    gatherMs: 0,
    now: () => NOW,
    ...options,
  });
  const noted: SeriesRequest[] = [];
  const deps: MetricsQueryDeps = { pool, series, now: () => NOW, refresher: { note: (r) => void noted.push(r) } };
  return { deps, gate, noted, series };
}

function query(
  json: Record<string, unknown>,
  fromMs = NOW - HOUR,
  toMs = NOW,
  over: Partial<DataQuery> = {}
): DataQuery {
  return {
    refId: 'A',
    queryType: 'metrics',
    maxDataPoints: 1_000,
    intervalMs: 60_000,
    timeRange: { fromMs, toMs, from: new Date(fromMs), to: new Date(toMs) },
    json: {
      eventSource: u.params.EventSource,
      eventName: u.params.EventName,
      insightType: u.params.InsightType,
      period: 60,
      dataType: 'FillWithZeros',
      ...json,
    },
    ...over,
  };
}

const budget = (ms = 5_000) => ({ deadlineMs: Date.now() + ms });
const only = (frames: Frame[]) => {
  expect(frames).toHaveLength(1);
  return frames[0];
};
const statsOf = (frame: Frame) => Object.fromEntries(frame.meta!.stats!.map((s) => [s.displayName, s.value]));
const call = (startMs: number, endMs: number, extra = '', dataType = 'FillWithZeros', period = 60) =>
  `ListInsightsMetricData EventSource=${u.params.EventSource} EventName=${u.params.EventName} InsightType=${u.params.InsightType}${extra} Period=${period} StartTime=${iso(startMs)} EndTime=${iso(endMs)} DataType=${dataType}`;

describe('a metrics query', () => {
  test('answers one frame: CloudTrail’s buckets and values, labels, name, link, the call made and its stats', async () => {
    const { deps, noted } = world();
    const answer = await runMetricsQuery(query({ legendFormat: '{{eventName}} in {{region}}' }), budget(), deps);
    expect(answer.series).toBe(true);
    expect(answer.loading).toBeUndefined();
    expect(answer.response.status).toBe(200);
    const frame = only(answer.response.frames);
    const expected = await u.reference({ startMs: NOW - HOUR, endMs: NOW });
    expect(frame.refId).toBe('A');
    expect(frame.name).toBe(`${u.params.EventName} in us-east-1`);
    expect(frame.fields[0].values).toEqual(minutes(NOW - HOUR, NOW));
    expect(frame.fields[1].values).toEqual(expected.values);
    expect(frame.fields[1].labels).toEqual({
      region: 'us-east-1',
      eventSource: u.params.EventSource,
      eventName: u.params.EventName,
      insightType: u.params.InsightType,
    });
    expect(frame.fields[1].config).toMatchObject({ unit: 'short', displayNameFromDS: frame.name });
    expect(frame.fields[1].config!.links).toEqual([
      {
        title: 'Event history in the CloudTrail console',
        url: eventHistoryUrl('us-east-1', {
          eventSource: u.params.EventSource,
          eventName: u.params.EventName,
          startMs: NOW - HOUR,
          endMs: NOW,
        }),
        targetBlank: true,
      },
    ]);
    expect(frame.meta!.executedQueryString).toBe(call(NOW - HOUR, NOW));
    expect(frame.meta!.notices).toBeUndefined();
    expect(statsOf(frame)).toEqual({ 'API calls': 1, Pages: 1, Retries: 0, 'Cache hits': 0 });
    expect(frame.meta!.custom).toEqual({
      period: 60,
      periodAuto: false,
      startTime: iso(NOW - HOUR),
      endTime: iso(NOW),
      source: 'fetched',
    });
    // The series is kept fresh from now on.
    expect(noted).toHaveLength(1);
    const scope = await pool.scope('us-east-1');
    expect(noted[0].key.id).toBe(new SeriesKey(scope.account, { ...u.params }).id);
    expect(noted[0].range).toEqual({ startMs: NOW - HOUR, endMs: NOW });
    expect(noted[0].period).toBe(60);
  });

  test('asked again: the same frame from the cache, saying no call was made', async () => {
    const { deps } = world();
    const first = only((await runMetricsQuery(query({}), budget(), deps)).response.frames);
    const again = only((await runMetricsQuery(query({}), budget(), deps)).response.frames);
    expect(again.fields[1].values).toEqual(first.fields[1].values);
    expect(again.meta!.executedQueryString).toBe(`${call(NOW - HOUR, NOW)} (served from cache: no call made)`);
    expect(statsOf(again)).toEqual({ 'API calls': 0, Pages: 0, Retries: 0, 'Cache hits': 1 });
    expect(again.meta!.custom).toMatchObject({ source: 'cache' });
  });

  test('a wider range shows the one call made for the missing part and says the rest came from cache', async () => {
    const { deps } = world();
    await runMetricsQuery(query({}), budget(), deps);
    const wider = only((await runMetricsQuery(query({}, NOW - 3 * HOUR), budget(), deps)).response.frames);
    expect(wider.meta!.executedQueryString).toBe(`${call(NOW - 3 * HOUR, NOW - HOUR)} (other buckets from cache)`);
    expect(statsOf(wider)).toEqual({ 'API calls': 1, Pages: 1, Retries: 0, 'Cache hits': 0 });
    expect(wider.fields[0].values).toEqual(minutes(NOW - 3 * HOUR, NOW));
    expect(wider.fields[1].values).toEqual((await u.reference({ startMs: NOW - 3 * HOUR, endMs: NOW })).values);
  });

  test('the period follows the panel when auto, and the planner’s notices reach the frame', async () => {
    const { deps } = world();
    const from = NOW - 20 * 24 * HOUR; // older than 1-minute data is kept
    const q = query({ period: 60 }, from, NOW);
    const frame = only((await runMetricsQuery(q, budget(), deps)).response.frames);
    const planned = planPeriod({
      fromMs: from,
      toMs: NOW,
      intervalMs: 60_000,
      maxDataPoints: 1_000,
      nowMs: NOW,
      period: 60,
    });
    if (!planned.ok) {
      throw new Error(planned.error);
    }
    expect(planned.plan.notices.length).toBeGreaterThan(0);
    expect(frame.meta!.notices).toEqual(planned.plan.notices.map((n) => ({ severity: n.severity, text: n.text })));
    expect(frame.meta!.custom).toMatchObject({ period: 300, periodAuto: false });
    const auto = only(
      (await runMetricsQuery(query({ period: 'auto' }, NOW - 6 * HOUR), budget(), deps)).response.frames
    );
    expect(auto.meta!.custom).toMatchObject({ period: 60, periodAuto: true, source: 'fetched' });
  });

  test('per-minute values divide each count by the period’s minutes', async () => {
    const { deps } = world();
    const frame = only(
      (await runMetricsQuery(query({ period: 300, valueUnit: 'perMinute' }, NOW - 6 * HOUR), budget(), deps)).response
        .frames
    );
    const counts = await u.reference({ startMs: NOW - 6 * HOUR, endMs: NOW }, { ...u.params, Period: 300 });
    expect(frame.fields[1].values).toEqual(counts.values.map((v) => v / 5));
    expect(frame.fields[1].config).toMatchObject({ unit: 'cpm' });
    expect(frame.name).toMatch(/ per minute$/);
  });

  test('NonZeroData keeps the gaps CloudTrail leaves; FillWithZeros has every ended bucket', async () => {
    const { deps } = world();
    const from = NOW - 12 * HOUR;
    const sparse = only(
      (await runMetricsQuery(query({ dataType: 'NonZeroData' }, from), budget(), deps)).response.frames
    );
    const nonZero = await u.reference({ startMs: from, endMs: NOW }, { ...u.params, DataType: 'NonZeroData' });
    expect(nonZero.timestamps.length).toBeLessThan(12 * 60); // the series has quiet minutes
    expect(sparse.fields[0].values).toEqual(nonZero.timestamps);
    expect(sparse.fields[1].values).toEqual(nonZero.values);
    expect(sparse.meta!.executedQueryString).toBe(call(from, NOW, '', 'NonZeroData'));
  });

  test('buckets before the retention cutoff that no call could fetch read as zeros with FillWithZeros', async () => {
    const { deps } = world();
    const from = NOW - 15 * 24 * HOUR;
    const frame = only((await runMetricsQuery(query({}, from, from + HOUR), budget(), deps)).response.frames);
    // The call left out the oldest minute (the retention clamp); the frame still has it, as 0.
    expect(frame.meta!.executedQueryString).toBe(call(from + MINUTE, from + HOUR));
    expect(frame.fields[0].values).toEqual(minutes(from, from + HOUR));
    expect(frame.fields[1].values[0]).toBe(0);
  });

  test('an error-rate series sends and labels its error code; a call-rate series has none', async () => {
    const { deps } = world();
    const catalog = u.sim.catalog(
      'us-east-1',
      u.account.principal.kind === 'account' ? u.account.principal.accountId : ''
    );
    const errors = catalog.series.find((s) => s.insightType === 'ApiErrorRateInsight')!;
    const errorQuery = query({
      eventSource: errors.eventSource,
      eventName: errors.eventName,
      insightType: 'ApiErrorRateInsight',
      errorCode: errors.errorCode,
    });
    const frame = only((await runMetricsQuery(errorQuery, budget(), deps)).response.frames);
    expect(frame.meta!.executedQueryString).toContain(
      ` InsightType=ApiErrorRateInsight ErrorCode=${errors.errorCode} `
    );
    expect(frame.fields[1].labels).toMatchObject({ errorCode: errors.errorCode });
    const params: MetricParams = {
      EventSource: errors.eventSource,
      EventName: errors.eventName,
      InsightType: 'ApiErrorRateInsight',
      ErrorCode: errors.errorCode,
      Period: 60,
      DataType: 'FillWithZeros',
    };
    expect(frame.fields[1].values).toEqual((await u.reference({ startMs: NOW - HOUR, endMs: NOW }, params)).values);
    const callRate = only((await runMetricsQuery(query({}), budget(), deps)).response.frames);
    expect(callRate.meta!.executedQueryString).toBe(call(NOW - HOUR, NOW));
    expect(callRate.fields[1].labels).not.toHaveProperty('errorCode');
  });

  test('a trail name is sent and labelled when set', async () => {
    const { deps } = world();
    const frame = only((await runMetricsQuery(query({ trailName: TRAIL_NAME }), budget(), deps)).response.frames);
    expect(frame.meta!.executedQueryString).toBe(call(NOW - HOUR, NOW, ` TrailName=${TRAIL_NAME}`));
    expect(frame.fields[1].labels).toMatchObject({ trailName: TRAIL_NAME });
  });

  test('the query’s region is used for labels, links and the call; the default region otherwise', async () => {
    const { deps, gate } = world();
    const frame = only((await runMetricsQuery(query({ region: 'eu-west-1' }), budget(), deps)).response.frames);
    expect(frame.fields[1].labels).toMatchObject({ region: 'eu-west-1' });
    expect((frame.fields[1].config!.links as Array<{ url: string }>)[0].url).toContain('eu-west-1');
    expect(gate.calls[0].quota).toContain('eu-west-1');
  });
});

describe('the bucket in progress', () => {
  test('is never filled with a zero: the frame ends with the last bucket CloudTrail answered', async () => {
    const later = NOW + 30_000; // half a minute into the bucket starting at NOW
    const series = new SeriesSource(new SeriesCache(), {
      pacing: pacingOf(new ManualGate()),
      gatherMs: 0,
      now: () => later,
    });
    const frame = only(
      (await runMetricsQuery(query({}, NOW - HOUR, later), budget(), { pool, series, now: () => later })).response
        .frames
    );
    const answered = await u.reference({ startMs: NOW - HOUR, endMs: NOW + MINUTE });
    expect(answered.timestamps).toEqual(minutes(NOW - HOUR, NOW));
    expect(frame.fields[0].values).toEqual(answered.timestamps);
    expect(frame.meta!.custom).toMatchObject({ endTime: iso(NOW + MINUTE) });
  });

  test('a query without a refresher answers all the same', async () => {
    const series = new SeriesSource(new SeriesCache(), {
      pacing: pacingOf(new ManualGate()),
      gatherMs: 0,
      now: () => NOW,
    });
    const answer = await runMetricsQuery(query({}), budget(), { pool, series, now: () => NOW });
    expect(only(answer.response.frames).fields[0].values).toEqual(minutes(NOW - HOUR, NOW));
  });
});

describe('per-query errors', () => {
  test('an invalid query fails with the validation message, before any call', async () => {
    const { deps, gate } = world();
    const error = await runMetricsQuery(query({ eventSource: '' }), budget(), deps).catch((e) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({ status: 400, errorSource: 'plugin' });
    expect(error.message).toContain('Event source is required');
    expect(gate.calls).toHaveLength(0);
  });

  test('a time range the planner refuses fails with its message, before any call', async () => {
    const { deps, gate } = world();
    const error = await runMetricsQuery(query({}, NOW + HOUR, NOW + 2 * HOUR), budget(), deps).catch((e) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({
      status: 400,
      errorSource: 'plugin',
      message: `The time range starts in the future (${iso(NOW + HOUR).slice(0, 16)}Z); there is no data yet.`,
    });
    expect(gate.calls).toHaveLength(0);
  });

  test('a failed fetch is that query’s error and the series is not kept fresh', async () => {
    u.sim.setFaults({ serverError: true });
    const { deps, noted } = world({ maxAttempts: 1 });
    const error = await runMetricsQuery(query({}), budget(), deps).catch((e) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect(error.errorSource).toBe('downstream');
    expect(noted).toHaveLength(0);
  });
});

describe('answers without a call of their own', () => {
  test('a query sharing a concurrent fetch says so and counts a cache hit', async () => {
    const { deps } = world({ gatherMs: 10 });
    const [first, second] = await Promise.all([
      runMetricsQuery(query({}), budget(), deps),
      runMetricsQuery(query({}, NOW - 30 * MINUTE), budget(), deps),
    ]);
    expect(only(first.response.frames).meta!.executedQueryString).toBe(call(NOW - HOUR, NOW));
    const shared = only(second.response.frames);
    expect(shared.meta!.executedQueryString).toBe(
      `${call(NOW - 30 * MINUTE, NOW)} (shared with a concurrent query: no call made)`
    );
    expect(statsOf(shared)).toMatchObject({ 'API calls': 0, 'Cache hits': 1 });
    expect(shared.fields[0].values).toEqual(minutes(NOW - 30 * MINUTE, NOW));
  });

  test('a dashboard query still waiting for its turn answers the cached part, without zeros for the rest', async () => {
    const gate = new ManualGate();
    const { deps, series } = world({}, gate);
    const cached = only((await runMetricsQuery(query({}), budget(), deps)).response.frames);
    gate.hold(() => Date.now() + 10_000);
    const answer = await runMetricsQuery(query({}, NOW - 3 * HOUR), budget(500), deps);
    const frame = only(answer.response.frames);
    expect(answer.loading).toMatchObject({ missing: { startMs: NOW - 3 * HOUR, endMs: NOW - HOUR }, queued: true });
    expect(frame.fields[0].values).toEqual(cached.fields[0].values);
    expect(frame.fields[1].values).toEqual(cached.fields[1].values);
    expect(frame.meta!.executedQueryString).toBe(
      `${call(NOW - 3 * HOUR, NOW)} (still waiting for its turn under the quota: no call made)`
    );
    expect(statsOf(frame)).toMatchObject({ 'API calls': 0, 'Cache hits': 0 });
    expect(frame.meta!.custom).toMatchObject({ source: 'loading' });
    gate.release();
    await until(() => series.fetches.total === 0);
  });

  test('while newer buckets load, the cached part is still zero-filled where no call could fetch it', async () => {
    const gate = new ManualGate();
    const { deps, series } = world({}, gate);
    const from = NOW - 15 * 24 * HOUR;
    // Cached: the first hour of the retention window, whose oldest minute the clamp left out.
    await runMetricsQuery(query({}, from, from + HOUR), budget(), deps);
    gate.hold(() => Date.now() + 10_000);
    const answer = await runMetricsQuery(query({}, from, from + 2 * HOUR), budget(500), deps);
    expect(answer.loading).toMatchObject({ missing: { startMs: from + HOUR, endMs: from + 2 * HOUR } });
    const frame = only(answer.response.frames);
    expect(frame.fields[0].values).toEqual(minutes(from, from + HOUR));
    expect(frame.fields[1].values[0]).toBe(0);
    gate.release();
    await until(() => series.fetches.total === 0);
  });

  test('while older buckets load, the cached part is zero-filled where the retention clamp left buckets out', async () => {
    const gate = new ManualGate();
    const { deps, series } = world({}, gate);
    // Plans made a while before their calls leave (queued under the quota): the retention cutoff
    // has moved by then, and the clamp leaves out the buckets that fell out of it.
    let planNow = NOW - HOUR;
    const planned = { ...deps, now: () => planNow };
    const from = NOW - HOUR - 15 * 24 * HOUR;
    const end = from + 3 * HOUR;
    await runMetricsQuery(query({}, from, end), budget(), planned);
    planNow = NOW - 2 * HOUR;
    gate.hold(() => Date.now() + 10_000);
    const answer = await runMetricsQuery(query({}, from - HOUR, end), budget(500), planned);
    expect(answer.loading).toMatchObject({ missing: { startMs: from - HOUR, endMs: from } });
    const frame = only(answer.response.frames);
    const clamped = NOW - 15 * 24 * HOUR + MINUTE; // the first minute inside retention when the call left
    expect(frame.fields[0].values).toEqual(minutes(from, end));
    const values = frame.fields[1].values as number[];
    expect(values.slice(0, (clamped - from) / MINUTE).every((v) => v === 0)).toBe(true);
    gate.release();
    await until(() => series.fetches.total === 0);
  });

  test('a series another replica fetched says it came from the shared cache', async () => {
    const stored = new Map<string, CachedSeries>();
    const { deps, gate } = world({
      coordination: {
        buckets: { read: async (key) => stored.get(key.id), write: async (key, s) => void stored.set(key.id, s) },
        locks: noFetchLock,
      },
    });
    const scope = await pool.scope('us-east-1');
    const points = await u.reference({ startMs: NOW - HOUR, endMs: NOW });
    stored.set(new SeriesKey(scope.account, { ...u.params }).id, {
      period: 60,
      range: { startMs: NOW - HOUR, endMs: NOW },
      fetchedAtMs: NOW,
      points,
    });
    const frame = only((await runMetricsQuery(query({}), budget(), deps)).response.frames);
    expect(frame.meta!.executedQueryString).toBe(
      `${call(NOW - HOUR, NOW)} (served from the cache shared by all replicas: no call made)`
    );
    expect(statsOf(frame)).toMatchObject({ 'API calls': 0, 'Cache hits': 1 });
    expect(frame.fields[1].values).toEqual(points.values);
    expect(gate.calls).toHaveLength(0);
  });
});

describe('parseQuery', () => {
  test('the DataQuery’s type and refId win over the JSON’s', () => {
    const parsed = parseQuery({
      ...query({ queryType: 'metrics', refId: 'Z' }),
      queryType: 'events',
      refId: 'B',
    });
    expect(parsed).toMatchObject({ queryType: 'events', refId: 'B' });
    expect(parseQuery({ ...query({ queryType: 'events' }), queryType: '' }).queryType).toBe('events');
  });

  test('names every problem of an invalid query in one 400 error', () => {
    let thrown: unknown;
    try {
      parseQuery(query({ eventSource: '', eventName: '' }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(QueryError);
    expect(thrown).toMatchObject({ status: 400, errorSource: 'plugin' });
    expect((thrown as Error).message).toMatch(/Event source is required[\s\S]*Event name/);
  });
});
