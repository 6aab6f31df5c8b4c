/**
 * The series source driven fast: the real cache, coalescing, JoinedCall, awsCall and fetcher
 * against the in-process simulator (no quotas, fixed data clock), paced by a ManualGate instead
 * of real 1 TPS seconds. seriesSource.test.ts keeps the same behaviours under the real limiter.
 */
import { QueryError } from '../../sdk/types';
import { pacingOf } from '../pacing/quotas';
import { QuotaKey } from '../core/keys';
import { cacheLookups, coalescedRequests } from '../core/metrics';
import type { BucketStore, FetchLock } from '../coordination/types';
import { noFetchLock } from '../coordination/localCoordination';
import { SeriesCache } from './seriesCache';
import { type CachedSeries } from '../core/series';
import type { FetchStats } from './seriesFetcher';
import { SeriesSource, clampToRetention, RETENTION_SAFETY_MS, type SeriesSourceOptions } from './seriesSource';
import { ManualGate } from '../testing/manualGate';
import { HOUR, MINUTE, NOW, pause, startUnitSimulator, until, type UnitSimulator } from '../testing/unitSimulator';

jest.setTimeout(10_000);

let u: UnitSimulator;
beforeAll(async () => {
  u = await startUnitSimulator('source-unit');
});
afterAll(() => u.stop());
beforeEach(() => {
  u.sim.resetCounts();
  u.sim.setFaults({ serverError: false, slowMs: 0 });
});

const stats = (): FetchStats => ({ apiCalls: 0, retries: 0, pages: 0 });
const budget = (ms = 5_000) => ({ deadlineMs: Date.now() + ms });
const calls = () => u.sim.calls().ListInsightsMetricData ?? 0;
const range = (startMs: number, endMs: number) => ({ startMs, endMs });
const minutes = (r: { startMs: number; endMs: number }) =>
  Array.from({ length: (r.endMs - r.startMs) / MINUTE }, (_, i) => r.startMs + i * MINUTE);

function setup(options: Partial<SeriesSourceOptions> = {}, gate = new ManualGate()) {
  const source = new SeriesSource(new SeriesCache(), {
    pacing: pacingOf(gate),
    gatherMs: 0,
    now: () => NOW,
    ...options,
  });
  return { source, gate };
}

describe('one request', () => {
  test('a cold request fetches exactly its range once and answers CloudTrail’s buckets and values', async () => {
    const { source, gate } = setup();
    const want = range(NOW - HOUR, NOW);
    const st = stats();
    const answer = await source.get(u.request(want, 'cold'), budget(), st);
    const expected = await u.reference(want);
    expect(answer.source).toBe('fetched');
    expect(answer.fetchedRanges).toEqual([want]);
    expect(answer.timestamps).toEqual(minutes(want));
    expect(answer.values).toEqual(expected.values);
    expect(answer.values.some((v) => v > 0)).toBe(true);
    // Every bucket before the data clock's minute had ended when it was read.
    expect(answer.completeUntilMs).toBe(NOW);
    expect(answer.loading).toBeUndefined();
    expect(st).toMatchObject({ apiCalls: 1, pages: 1, retries: 0 });
    expect(gate.calls).toEqual([
      expect.objectContaining({
        quota: new QuotaKey(u.account, 'ListInsightsMetricData').id,
        tps: 1,
        grantedAs: 'interactive',
      }),
    ]);
    expect(source.fetches).toEqual({ total: 0, background: 0 });
  });

  test('asking again is served from the cache: same buckets and values, no call', async () => {
    const { source, gate } = setup();
    const want = range(NOW - 2 * HOUR, NOW - HOUR);
    const first = await source.get(u.request(want, 'again'), budget(), stats());
    const st = stats();
    const again = await source.get(u.request(range(NOW - 2 * HOUR + 10 * MINUTE, NOW - HOUR), 'again'), budget(), st);
    expect(again.source).toBe('cache');
    expect(again.fetchedRanges).toEqual([]);
    expect(again.timestamps).toEqual(first.timestamps.slice(10));
    expect(again.values).toEqual(first.values.slice(10));
    expect(again.completeUntilMs).toBe(NOW - HOUR); // the cached range's own end
    expect(st.apiCalls).toBe(0);
    expect(calls()).toBe(1);
    expect(gate.calls).toHaveLength(1);
  });

  test('a wider request fetches only what the cache lacks and joins both parts in order', async () => {
    const { source } = setup();
    await source.get(u.request(range(NOW - 2 * HOUR, NOW), 'wider'), budget(), stats());
    const want = range(NOW - 5 * HOUR, NOW);
    const wider = await source.get(u.request(want, 'wider'), budget(), stats());
    expect(wider.source).toBe('partial');
    expect(wider.fetchedRanges).toEqual([range(NOW - 5 * HOUR, NOW - 2 * HOUR)]);
    expect(wider.timestamps).toEqual(minutes(want));
    expect(calls()).toBe(2);
    expect(wider.values).toEqual((await u.reference(want)).values);
  });

  test('an alert query’s fetch asks the quota as an alert', async () => {
    const { source, gate } = setup();
    await source.get(u.request(range(NOW - HOUR, NOW), 'alert-priority'), { ...budget(), priority: 'alert' }, stats());
    expect(gate.calls.map((c) => c.grantedAs)).toEqual(['alert']);
  });

  test('the newest bucket counts as complete only up to the minute the data was read in', async () => {
    const { source } = setup({ now: () => NOW + 30_000 });
    const answer = await source.get(u.request(range(NOW - HOUR, NOW + MINUTE), 'mid-minute'), budget(), stats());
    expect(answer.completeUntilMs).toBe(NOW);
  });
});

describe('retention', () => {
  const DAY = 24 * HOUR;

  test('clampToRetention trims a start that fell out of retention to the first bucket safely inside', () => {
    const now = Date.UTC(2026, 10, 20, 12, 0, 50);
    // 15 days at 1-minute periods, 15 s of safety (the call may leave that much later), rounded up to the minute.
    const oldest = Math.ceil((now + RETENTION_SAFETY_MS - 15 * DAY) / MINUTE) * MINUTE;
    expect(oldest).toBe(Date.UTC(2026, 10, 5, 12, 2, 0));
    expect(clampToRetention(range(oldest - MINUTE, now), 60, now)).toEqual(range(oldest, now));
    expect(clampToRetention(range(oldest - 1, now), 60, now)).toEqual(range(oldest, now));
    const atOldest = range(oldest, now);
    expect(clampToRetention(atOldest, 60, now)).toBe(atOldest);
    // A range wholly out of retention keeps its last bucket (the service answers it empty).
    expect(clampToRetention(range(oldest - 2 * HOUR, oldest - HOUR), 60, now)).toEqual(
      range(oldest - HOUR - MINUTE, oldest - HOUR)
    );
    // Other periods: their own retention and grid.
    const hourly = Math.ceil((now + RETENTION_SAFETY_MS - 90 * DAY) / HOUR) * HOUR;
    expect(clampToRetention(range(hourly - 3 * HOUR, now), 3600, now)).toEqual(range(hourly, now));
  });

  test('a range reaching past retention is sent trimmed, and the trimmed part is known empty afterwards', async () => {
    const { source } = setup();
    const want = range(NOW - 15 * 24 * HOUR - HOUR, NOW - 14 * 24 * HOUR);
    const first = await source.get(u.request(want, 'retention'), budget(), stats());
    const sent = clampToRetention(want, 60, NOW);
    expect(sent.startMs).toBeGreaterThan(want.startMs);
    expect(first.fetchedRanges).toEqual([sent]);
    expect(first.timestamps).toEqual(minutes(sent));
    const again = await source.get(u.request(want, 'retention'), budget(), stats());
    expect(again.source).toBe('cache');
    expect(calls()).toBe(1);
  });
});

describe('coalescing', () => {
  test('requests arriving within the gather window widen one call; each answer is its own slice', async () => {
    const { source, gate } = setup({ gatherMs: undefined });
    const day = range(NOW - 24 * HOUR, NOW);
    const hour = range(NOW - HOUR, NOW);
    const older = range(NOW - 26 * HOUR, NOW - 25 * HOUR);
    const first = source.get(u.request(day, 'gather'), budget(), stats());
    await pause(5); // well inside the default 20 ms
    const [a, b, c] = await Promise.all([
      first,
      source.get(u.request(hour, 'gather'), budget(), stats()),
      source.get(u.request(older, 'gather'), budget(), stats()),
    ]);
    expect(calls()).toBe(1);
    expect(gate.calls).toHaveLength(1);
    // The one call covered the union of what was missing.
    expect(a.fetchedRanges).toEqual([range(NOW - 26 * HOUR, NOW)]);
    expect(a.source).toBe('fetched');
    expect([b.source, c.source]).toEqual(['coalesced', 'coalesced']);
    expect([b.fetchedRanges, c.fetchedRanges]).toEqual([[], []]);
    const all = await u.reference(range(NOW - 26 * HOUR, NOW));
    const valueAt = new Map(all.timestamps.map((t, i) => [t, all.values[i]]));
    for (const [answer, r] of [
      [a, day],
      [b, hour],
      [c, older],
    ] as const) {
      expect(answer.timestamps).toEqual(minutes(r));
      expect(answer.values).toEqual(answer.timestamps.map((t) => valueAt.get(t)));
      expect(answer.completeUntilMs).toBe(NOW);
    }
  });

  test('a joiner whose range the call already sent covers waits for it and makes no call', async () => {
    u.sim.setFaults({ slowMs: 150 });
    const { source } = setup();
    const first = source.get(u.request(range(NOW - 2 * HOUR, NOW), 'sent-covered'), budget(), stats());
    await until(() => calls() === 1);
    const joiner = await source.get(u.request(range(NOW - HOUR, NOW), 'sent-covered'), budget(), stats());
    expect(joiner).toMatchObject({ source: 'coalesced', fetchedRanges: [] });
    expect(joiner.timestamps).toEqual(minutes(range(NOW - HOUR, NOW)));
    expect(joiner.values).toEqual((await first).values.slice(60));
    expect(calls()).toBe(1);
  });

  test('a joiner needing more than the call already sent asks again for what is still missing', async () => {
    u.sim.setFaults({ slowMs: 150 });
    const { source } = setup();
    const first = source.get(u.request(range(NOW - HOUR, NOW), 'sent-short'), budget(), stats());
    await until(() => calls() === 1);
    const want = range(NOW - 3 * HOUR, NOW);
    const joiner = await source.get(u.request(want, 'sent-short'), budget(), stats());
    await first;
    expect(joiner.source).toBe('partial');
    expect(joiner.fetchedRanges).toEqual([range(NOW - 3 * HOUR, NOW - HOUR)]);
    expect(joiner.timestamps).toEqual(minutes(want));
    u.sim.setFaults({ slowMs: 0 });
    expect(joiner.values).toEqual((await u.reference(want)).values);
    expect(calls()).toBe(3); // the two fetches, and the reference read
  });

  test('a joiner gets the shared call’s result itself, even when the cache cannot keep it (no second call)', async () => {
    u.sim.setFaults({ slowMs: 100 });
    const gate = new ManualGate();
    const source = new SeriesSource(new SeriesCache({ maxPoints: 1 }), {
      pacing: pacingOf(gate),
      gatherMs: 0,
      now: () => NOW,
    });
    const want = range(NOW - HOUR, NOW);
    const first = source.get(u.request(want, 'uncached'), budget(), stats());
    await until(() => calls() === 1);
    const [a, joiner] = await Promise.all([first, source.get(u.request(want, 'uncached'), budget(), stats())]);
    expect(joiner.source).toBe('coalesced');
    expect(joiner.timestamps).toEqual(minutes(want));
    expect(joiner.values).toEqual(a.values);
    expect(calls()).toBe(1);
    expect(source.cache.size).toBe(0);
  });

  test('a joiner needing buckets after the end of the call already sent asks again for them', async () => {
    u.sim.setFaults({ slowMs: 100 });
    const { source } = setup();
    const first = source.get(u.request(range(NOW - 2 * HOUR, NOW - HOUR), 'sent-early'), budget(), stats());
    await until(() => calls() === 1);
    const joiner = await source.get(u.request(range(NOW - 2 * HOUR, NOW), 'sent-early'), budget(), stats());
    await first;
    expect(joiner.source).toBe('partial');
    expect(joiner.fetchedRanges).toEqual([range(NOW - HOUR, NOW)]);
    expect(joiner.timestamps).toEqual(minutes(range(NOW - 2 * HOUR, NOW)));
    expect(calls()).toBe(2);
  });

  test('the cache lookup and coalescing metrics count hits, misses, partial hits and joins', async () => {
    const count = async (result: string) =>
      (await cacheLookups.get()).values.find((v) => v.labels.result === result)?.value ?? 0;
    const joins = async () => (await coalescedRequests.get()).values[0]?.value ?? 0;
    const before = {
      hit: await count('hit'),
      miss: await count('miss'),
      partial: await count('partial'),
      joins: await joins(),
    };
    const { source } = setup({ gatherMs: 10 });
    await Promise.all([
      source.get(u.request(range(NOW - HOUR, NOW), 'metrics'), budget(), stats()),
      source.get(u.request(range(NOW - HOUR, NOW), 'metrics'), budget(), stats()),
    ]);
    await source.get(u.request(range(NOW - HOUR, NOW), 'metrics'), budget(), stats());
    await source.get(u.request(range(NOW - 2 * HOUR, NOW), 'metrics'), budget(), stats());
    expect({
      hit: (await count('hit')) - before.hit,
      miss: (await count('miss')) - before.miss,
      partial: (await count('partial')) - before.partial,
      joins: (await joins()) - before.joins,
    }).toEqual({ hit: 1, miss: 1, partial: 1, joins: 1 });
  });

  test('a failure is shared by the joined requests, with the service’s error, not retried by each', async () => {
    u.sim.setFaults({ serverError: true });
    const { source } = setup({ maxAttempts: 2, gatherMs: 10 });
    const results = await Promise.allSettled([
      source.get(u.request(range(NOW - HOUR, NOW), 'fail'), budget(), stats()),
      source.get(u.request(range(NOW - HOUR, NOW), 'fail'), budget(), stats()),
    ]);
    const errors = results.map((r) => (r.status === 'rejected' ? (r.reason as QueryError) : undefined));
    expect(errors[0]).toBeInstanceOf(QueryError);
    expect(errors[1]).toBe(errors[0]);
    expect(errors[0]!.message).not.toMatch(/cancelled/);
    expect(errors[0]!.errorSource).toBe('downstream');
    expect(calls()).toBe(2); // two attempts of ONE shared call
    expect(source.fetches.total).toBe(0);
  });
});

describe('cancellation', () => {
  test('a query cancelled while its fetch waits for the quota fails alone; no call is sent', async () => {
    const gate = new ManualGate(false);
    gate.etaMs = () => Date.now() + 100;
    const { source } = setup({}, gate);
    const controller = new AbortController();
    const cancelled = source.get(
      u.request(range(NOW - HOUR, NOW), 'cancel'),
      { ...budget(), signal: controller.signal },
      stats()
    );
    await until(() => gate.held === 1);
    controller.abort(new Error('request cancelled by the caller'));
    const error = await cancelled.catch((e) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({
      message: 'The query was stopped: the request was cancelled or reached its deadline.',
      status: 504,
      errorSource: 'plugin',
    });
    await until(() => source.fetches.total === 0);
    expect(gate.held).toBe(0);
    expect(calls()).toBe(0);
  });

  test('one query’s cancellation does not stop the fetch it shares with another', async () => {
    const gate = new ManualGate(false);
    gate.etaMs = () => Date.now() + 100;
    const { source } = setup({}, gate);
    const controller = new AbortController();
    const want = range(NOW - HOUR, NOW);
    const cancelled = source.get(u.request(want, 'shared-cancel'), { ...budget(), signal: controller.signal }, stats());
    const patient = source.get(u.request(want, 'shared-cancel'), budget(), stats());
    await until(() => gate.held === 1);
    controller.abort(new Error('request cancelled by the caller'));
    await expect(cancelled).rejects.toMatchObject({ status: 504 });
    gate.release();
    const answer = await patient;
    expect(answer.source).toBe('coalesced');
    expect(answer.timestamps).toEqual(minutes(want));
    expect(calls()).toBe(1);
  });
});

describe('deadlines', () => {
  test('a dashboard query whose turn comes after its deadline answers what is cached at once, and says what is loading', async () => {
    const gate = new ManualGate();
    const { source } = setup({}, gate);
    const cachedHour = range(NOW - 2 * HOUR, NOW - HOUR);
    const cached = await source.get(u.request(cachedHour, 'loading'), budget(), stats());
    const readyAtMs = Date.now() + 5_000;
    gate.hold(() => readyAtMs);
    const started = Date.now();
    const early = await source.get(u.request(range(NOW - 2 * HOUR, NOW), 'loading'), budget(1_000), stats());
    expect(Date.now() - started).toBeLessThan(500); // no point waiting for a turn after the deadline
    expect(early.source).toBe('loading');
    expect(early.fetchedRanges).toEqual([]);
    expect(early.timestamps).toEqual(cached.timestamps);
    expect(early.values).toEqual(cached.values);
    expect(early.completeUntilMs).toBe(NOW - HOUR);
    expect(early.loading).toEqual({ missing: range(NOW - HOUR, NOW), readyAtMs, queued: true });
    expect(source.fetches).toEqual({ total: 1, background: 1 });
    // The fetch goes on in the background and fills the cache for the next refresh.
    gate.release();
    await until(() => source.fetches.total === 0);
    const refresh = await source.get(u.request(range(NOW - 2 * HOUR, NOW), 'loading'), budget(), stats());
    expect(refresh.source).toBe('cache');
    expect(refresh.timestamps).toEqual(minutes(range(NOW - 2 * HOUR, NOW)));
    expect(calls()).toBe(2);
  });

  test('an alert query past its deadline gets an error saying when its turn is expected, never partial data', async () => {
    const gate = new ManualGate(false);
    const { source } = setup({}, gate);
    gate.etaMs = () => Date.now() + 5_000;
    const late = await source
      .get(u.request(range(NOW - HOUR, NOW), 'alert-late'), { ...budget(200), priority: 'alert' }, stats())
      .catch((e) => e);
    expect(late).toBeInstanceOf(QueryError);
    expect(late).toMatchObject({ status: 504, errorSource: 'plugin' });
    expect(late.message).toBe(
      'The alert query reached its deadline before its turn under the CloudTrail quota of 1 call(s) per second (expected in about 5 s). Alert queries get complete data or this error; the data is still being fetched for the next evaluation.'
    );
    // A turn less than half a second away still reads as about 1 s, never 0 s.
    gate.etaMs = () => Date.now() + 300;
    const soon = await source
      .get(u.request(range(NOW - HOUR, NOW), 'alert-soon'), { ...budget(50), priority: 'alert' }, stats())
      .catch((e) => e);
    expect(soon.message).toContain('(expected in about 1 s)');
    gate.release();
    await until(() => source.fetches.total === 0);
  });

  test('a call already sent that outlives the deadline is a slow endpoint, not a loading series', async () => {
    u.sim.setFaults({ slowMs: 400 });
    const { source } = setup();
    const error = await source.get(u.request(range(NOW - HOUR, NOW), 'slow'), budget(150), stats()).catch((e) => e);
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({
      message: `ListInsightsMetricData to ${u.sim.url} did not answer before the query's deadline.`,
      status: 504,
      errorSource: 'downstream',
    });
  });

  test('a fetch still waiting in the quota’s line when the deadline comes is loading, even when its turn is overdue', async () => {
    const gate = new ManualGate(false);
    gate.etaMs = () => Date.now() - 1; // the line is behind its estimate
    const { source } = setup({}, gate);
    const early = await source.get(u.request(range(NOW - HOUR, NOW), 'overdue'), budget(100), stats());
    expect(early.source).toBe('loading');
    expect(early.loading?.queued).toBe(true);
    gate.release();
    await until(() => source.fetches.total === 0);
  });

  test('a sent call whose retry waits for the quota when the deadline comes is loading, not a slow endpoint', async () => {
    u.sim.setFaults({ serverError: { count: 1 } });
    const gate = new ManualGate(false);
    gate.etaMs = () => Date.now() + 100;
    const { source } = setup({}, gate);
    const answer = source.get(u.request(range(NOW - HOUR, NOW), 'retry-wait'), budget(3_000), stats());
    await until(() => gate.held === 1);
    gate.etaMs = () => Date.now() + 10_000; // the retry's turn comes after the deadline
    gate.release(1); // the first attempt goes and fails with a 500; its retry waits in the line
    const early = await answer;
    expect(calls()).toBe(1);
    expect(early.source).toBe('loading');
    expect(early.loading?.queued).toBe(true);
    gate.release();
    await until(() => source.fetches.total === 0);
    expect(calls()).toBe(2);
  });

  test('a dropped fetch’s cleanup leaves the new fetch of the same series alone', async () => {
    const gate = new ManualGate(false);
    gate.etaMs = () => Date.now() + 1_000;
    const { source } = setup({ maxBackgroundFetches: 0 }, gate);
    const want = range(NOW - HOUR, NOW);
    const dropped = await source.get(u.request(want, 'refetch'), budget(50), stats());
    expect(dropped.loading?.queued).toBe(false);
    const second = source.get(u.request(want, 'refetch'), budget(), stats());
    await pause(20); // the dropped fetch has ended by now
    const third = source.get(u.request(want, 'refetch'), budget(), stats());
    await until(() => gate.held === 1);
    gate.release();
    expect((await second).source).toBe('fetched');
    expect((await third).source).toBe('coalesced');
    expect(calls()).toBe(1);
  });

  test('background fetches are bounded: over the bound a fetch is dropped (no call) and says so', async () => {
    const gate = new ManualGate(false);
    gate.etaMs = () => Date.now() + 5_000;
    const { source } = setup({ maxBackgroundFetches: 1 }, gate);
    const answers = [];
    for (const name of ['bound-1', 'bound-2', 'bound-3']) {
      answers.push(await source.get(u.request(range(NOW - HOUR, NOW), name), budget(100), stats()));
    }
    expect(answers.map((a) => a.loading?.queued)).toEqual([true, false, false]);
    expect(answers.map((a) => a.source)).toEqual(['loading', 'loading', 'loading']);
    expect(source.fetches).toEqual({ total: 1, background: 1 });
    await until(() => gate.held === 1);
    gate.release();
    await until(() => source.fetches.total === 0);
    expect(calls()).toBe(1);
  });

  test('a fetch someone still waits for is never dropped, whatever the background bound', async () => {
    const gate = new ManualGate(false);
    gate.etaMs = () => Date.now() + 1_000;
    const { source } = setup({ maxBackgroundFetches: 0 }, gate);
    // One fetch becomes background work without passing the bound: its hurried query gives up
    // while another still waits, then that one is cancelled.
    const controller = new AbortController();
    const leaving = source
      .get(u.request(range(NOW - HOUR, NOW), 'kept-a'), { ...budget(), signal: controller.signal }, stats())
      .catch(() => undefined);
    const hurriedA = await source.get(u.request(range(NOW - HOUR, NOW), 'kept-a'), budget(50), stats());
    expect(hurriedA.loading?.queued).toBe(true);
    controller.abort(new Error('cancelled'));
    await leaving;
    expect(source.fetches).toEqual({ total: 1, background: 1 });
    // Another series: its hurried query gives up while a patient one waits; the fetch stays.
    const want = range(NOW - HOUR, NOW);
    const patient = source.get(u.request(want, 'kept-b'), budget(), stats());
    const hurriedB = await source.get(u.request(want, 'kept-b'), budget(50), stats());
    expect(hurriedB.loading?.queued).toBe(true);
    expect(source.fetches).toEqual({ total: 2, background: 1 });
    gate.release();
    expect((await patient).timestamps).toEqual(minutes(want));
    await until(() => source.fetches.total === 0);
  });

  test('a background fetch nobody asks for again is dropped once its keep window passes', async () => {
    const gate = new ManualGate(false);
    gate.etaMs = () => Date.now() + 100; // the turn keeps slipping
    const { source } = setup({ backgroundKeepMs: 100 }, gate);
    const early = await source.get(u.request(range(NOW - HOUR, NOW), 'drop'), budget(50), stats());
    expect(early.loading?.queued).toBe(true);
    await until(() => source.fetches.total === 0);
    expect(gate.held).toBe(0);
    expect(calls()).toBe(0);
  });

  test('by default a background fetch is kept for a minute after its expected turn', async () => {
    const gate = new ManualGate(false);
    gate.etaMs = () => Date.now() + 100;
    const { source } = setup({}, gate);
    await source.get(u.request(range(NOW - HOUR, NOW), 'keep'), budget(20), stats());
    await pause(400);
    expect(source.fetches).toEqual({ total: 1, background: 1 });
    gate.release();
    await until(() => source.fetches.total === 0);
    expect(calls()).toBe(1);
  });
});

describe('the cache shared by replicas', () => {
  test('a series another replica fetched is served from the shared store: no call, its buckets', async () => {
    const gate = new ManualGate();
    const want = range(NOW - HOUR, NOW);
    const stored = new Map<string, CachedSeries>();
    const request = u.request(want, 'replicated');
    const buckets: BucketStore = {
      read: async (key) => stored.get(key.id),
      write: async (key, series) => void stored.set(key.id, series),
    };
    const points = await u.reference(want);
    stored.set(request.key.id, { period: 60, range: want, fetchedAtMs: NOW, points });
    u.sim.resetCounts();
    const { source } = setup({ coordination: { buckets, locks: noFetchLock } }, gate);
    const answer = await source.get(request, budget(), stats());
    expect(answer).toMatchObject({ source: 'replicated', fetchedRanges: [], completeUntilMs: NOW });
    expect(answer.timestamps).toEqual(points.timestamps);
    expect(answer.values).toEqual(points.values);
    expect(gate.calls).toHaveLength(0);
    expect(calls()).toBe(0);
  });
  test('a query widening the range while the shared store is read gets its whole range, fetched once', async () => {
    const want = range(NOW - HOUR, NOW);
    const request = u.request(want, 'shared-widened');
    const points = await u.reference(want);
    u.sim.resetCounts();
    const stored = new Map<string, CachedSeries>([
      [request.key.id, { period: 60, range: want, fetchedAtMs: NOW, points }],
    ]);
    const buckets: BucketStore = {
      read: async (key) => {
        await pause(50); // a store over the network
        return stored.get(key.id);
      },
      write: async (key, series) => void stored.set(key.id, series),
    };
    const { source } = setup({ coordination: { buckets, locks: noFetchLock } });
    const first = source.get(request, budget(), stats());
    await pause(10);
    const wider = range(NOW - 2 * HOUR, NOW);
    const [a, b] = await Promise.all([first, source.get(u.request(wider, 'shared-widened'), budget(), stats())]);
    expect(a.timestamps).toEqual(minutes(want));
    expect(b.timestamps).toEqual(minutes(wider));
    expect(calls()).toBe(1);
  });

  test('a query widening the range while the fetch lock is released after another replica’s entry arrived gets its whole range', async () => {
    const want = range(NOW - HOUR, NOW);
    const request = u.request(want, 'shared-released');
    const points = await u.reference(want);
    u.sim.resetCounts();
    const stored = new Map<string, CachedSeries>();
    const buckets: BucketStore = {
      read: async (key) => stored.get(key.id),
      write: async (key, series) => void stored.set(key.id, series),
    };
    // Another replica publishes between this replica's first read and its lock; letting the lock
    // go is a round trip, during which a wider query joins.
    const locks: FetchLock = {
      tryAcquire: async (key) => {
        stored.set(key.id, { period: 60, range: want, fetchedAtMs: NOW, points });
        return { acquired: true, handle: { release: async () => void (await pause(50)) } };
      },
    };
    const { source } = setup({ coordination: { buckets, locks } });
    const first = source.get(request, budget(), stats());
    await pause(20);
    const wider = range(NOW - 2 * HOUR, NOW);
    const [a, b] = await Promise.all([first, source.get(u.request(wider, 'shared-released'), budget(), stats())]);
    expect(a.timestamps).toEqual(minutes(want));
    expect(b.timestamps).toEqual(minutes(wider));
    // Only the hour the other replica's entry lacks was fetched.
    expect(calls()).toBe(1);
  });
});
