import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { AccountScope, SeriesKey } from '../../core/keys';
import { FIRST_BACKOFF_MS } from './refreshBudget';
import { Refresher, type RefresherOptions } from './refresher';
import { SeriesCache } from '../seriesCache';
import type { FetchStats } from '../seriesFetcher';
import type { QueryBudget, SeriesRequest, SeriesResult } from '../seriesSource';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = 1_000 * HOUR;
const scope = {
  account: new AccountScope({ kind: 'account', accountId: '111122223333' }, 'us-east-1'),
  endpointLabel: 'x',
};
const client = new CloudTrailClient({ region: 'us-east-1' });

/** The range a "last 1 h" panel at 60 s plans at `nowMs` (planPeriod's alignment). */
const lastHour = (nowMs: number) => ({
  startMs: Math.floor((nowMs - HOUR) / MINUTE) * MINUTE,
  endMs: Math.ceil(nowMs / MINUTE) * MINUTE,
});

/**
 * A refresher over a real SeriesCache and a stand-in for the series source that behaves like it
 * for the refresher: a cache hit (with `renewWithinMs`) costs nothing, anything else is one call
 * stored at the current time.
 */
function setup(options: Partial<RefresherOptions> = {}, throttle = () => false, fail = (_: string) => false) {
  let nowMs = T0;
  const cache = new SeriesCache();
  const sent: Array<{ name: string; priority?: string; at: number }> = [];
  const target = {
    cache,
    async get(request: SeriesRequest, budget: QueryBudget, stats: FetchStats): Promise<SeriesResult> {
      const look = cache.lookup(request.key, request.range, nowMs + (budget.renewWithinMs ?? 0));
      if (look.hit) {
        return { ...look.points, fetchedRanges: [], source: 'cache', completeUntilMs: look.completeUntilMs };
      }
      sent.push({ name: String(request.params.EventName), priority: budget.priority, at: nowMs });
      stats.apiCalls++;
      if (throttle()) {
        stats.throttles = 1;
      }
      if (fail(String(request.params.EventName))) {
        throw new Error('AccessDenied');
      }
      cache.store(request.key, request.period, request.range, nowMs, { timestamps: [], values: [] });
      return { timestamps: [], values: [], fetchedRanges: [request.range], source: 'fetched', completeUntilMs: nowMs };
    },
  };
  const refresher = new Refresher(target, {
    share: 0.5,
    windowMs: 2 * HOUR,
    maxSeriesPerScope: 100,
    tps: 1,
    now: () => nowMs,
    ...options,
  });
  const requestFor = (name: string, range = lastHour(nowMs)): SeriesRequest => {
    const params = {
      EventSource: 'ec2.amazonaws.com',
      EventName: name,
      InsightType: 'ApiCallRateInsight',
      Period: 60,
      DataType: 'FillWithZeros',
    } as const;
    return { key: new SeriesKey(scope.account, params), client, scope, params, period: 60, range };
  };
  /** A user's query: answered (fetched now if the cache cannot), then noted, as queryRunner does. */
  const ask = (name: string, range?: { startMs: number; endMs: number }) => {
    const request = requestFor(name, range);
    if (!cache.lookup(request.key, request.range, nowMs).hit) {
      cache.store(request.key, 60, request.range, nowMs, { timestamps: [], values: [] });
    }
    refresher.note(request);
  };
  /** Would a dashboard opened now find `name` in the cache? */
  const warm = (name: string) => cache.lookup(requestFor(name).key, lastHour(nowMs), nowMs).hit;
  const advance = async (ms: number, each?: () => void) => {
    for (let t = 0; t < ms; t += 1_000) {
      nowMs += 1_000;
      await refresher.tick();
      each?.();
    }
  };
  const at = () => nowMs;
  return { refresher, sent, ask, warm, advance, at };
}

afterAll(() => client.destroy());

const names = (n: number, prefix = 'Event') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('Refresher', () => {
  it('keeps a dashboard warm: opened at any second of any minute, every series is a cache hit', async () => {
    const { refresher, sent, ask, warm, advance } = setup();
    const dashboard = names(20);
    // The first load: one call per second under the 1 TPS quota.
    for (const name of dashboard) {
      ask(name);
      await advance(1_000);
    }
    const cold: string[] = [];
    await advance(5 * MINUTE, () => cold.push(...dashboard.filter((name) => !warm(name))));
    refresher.dispose();
    expect(cold).toEqual([]);
    // ~one call per series per 55 s, all at background priority.
    expect(sent.length).toBeGreaterThanOrEqual(20 * 5);
    expect(sent.length).toBeLessThanOrEqual(Math.ceil((20 * 5 * 60) / 55) + 20);
    expect(new Set(sent.map((s) => s.priority))).toEqual(new Set(['background']));
  });

  it('never spends more than its share of the quota in any 60 s', async () => {
    const { refresher, sent, ask, advance } = setup({ share: 0.3 });
    names(40).forEach((name) => ask(name));
    await advance(10 * MINUTE);
    refresher.dispose();
    // 30 % of 1 call/s: 18 calls in any minute, not a minute's burst on top of a minute's rate.
    for (const { at } of sent) {
      expect(sent.filter((s) => s.at >= at && s.at < at + MINUTE).length).toBeLessThanOrEqual(18);
    }
    expect(sent.length).toBeGreaterThanOrEqual(18 * 9);
    expect(refresher.callsLastMinute()).toBeLessThanOrEqual(18);
  });

  it('when its share cannot cover every series, keeps the most recently asked ones fully fresh', async () => {
    const { refresher, ask, warm, advance } = setup({ share: 0.2 }); // 12 calls/min: ~10 series
    const older = names(10, 'Older');
    const newer = names(8, 'Newer');
    older.forEach((name) => ask(name));
    await advance(1_000);
    newer.forEach((name) => ask(name));
    const cold = new Set<string>();
    await advance(2 * MINUTE);
    await advance(3 * MINUTE, () => newer.filter((name) => !warm(name)).forEach((name) => cold.add(name)));
    refresher.dispose();
    expect([...cold]).toEqual([]);
    expect(older.filter(warm).length).toBeLessThan(older.length);
  });

  it('tracks at most maxSeriesPerScope series, dropping the least recently asked', async () => {
    const { refresher, sent, ask, advance } = setup({ maxSeriesPerScope: 3 });
    for (const name of ['A', 'B', 'C', 'D', 'E']) {
      ask(name);
      await advance(1_000);
    }
    expect(refresher.tracked).toBe(3);
    await advance(2 * MINUTE);
    refresher.dispose();
    expect(new Set(sent.map((s) => s.name))).toEqual(new Set(['C', 'D', 'E']));
  });

  it('stops refreshing series nobody asked for within the window', async () => {
    const { refresher, sent, ask, advance } = setup({ windowMs: 5 * MINUTE });
    ask('A');
    await advance(5 * MINUTE + 1_000);
    const before = sent.length;
    expect(before).toBeGreaterThanOrEqual(5);
    await advance(10 * MINUTE);
    refresher.dispose();
    expect(sent.length).toBe(before);
    expect(refresher.tracked).toBe(0);
  });

  it('backs off when CloudTrail throttles a refresh, doubling while throttles continue', async () => {
    let throttling = true;
    const { refresher, sent, ask, advance, at } = setup({}, () => throttling);
    const asked = at();
    ask('A');
    const seconds = () => sent.map((s) => (s.at - asked) / 1000);
    await advance(MINUTE);
    expect(seconds()).toEqual([55]); // renewed 5 s before its freshness ends (throttled, answered by a retry)
    await advance(MINUTE);
    expect(seconds()).toEqual([55, 110]); // paused 30 s (nothing due then), throttled again at the next renewal
    throttling = false;
    // Paused 60 s now, until 170 s (the series was due at 165 s).
    await advance(49_000);
    expect(sent.length).toBe(2);
    await advance(2 * MINUTE);
    refresher.dispose();
    expect(seconds().slice(2, 4)).toEqual([170, 225]); // then every 55 s again
  });

  it('does not track ranges whose buckets have all ended, and skips a failing series until asked again', async () => {
    const { refresher, sent, ask, advance, at } = setup({}, undefined, (name) => name === 'Denied');
    ask('Yesterday', { startMs: at() - 25 * HOUR, endMs: at() - 24 * HOUR });
    expect(refresher.tracked).toBe(0);
    ask('Denied');
    await advance(3 * MINUTE);
    expect(sent.map((s) => s.name)).toEqual(['Denied']);
    ask('Denied');
    await advance(MINUTE);
    refresher.dispose();
    expect(sent.map((s) => s.name)).toEqual(['Denied', 'Denied']);
  });

  it('is off at share 0', async () => {
    const { refresher, sent, ask, advance } = setup({ share: 0 });
    ask('A');
    await advance(3 * MINUTE);
    expect(refresher.tracked).toBe(0);
    expect(sent.length).toBe(0);
  });
});

describe('data source instances that are disposed (settings or secrets changed, data source deleted)', () => {
  /** Two instances' clients of one account, one of another account; which one each refresh used. */
  function lifecycle() {
    let nowMs = T0;
    const cache = new SeriesCache();
    const used: Array<{ client: CloudTrailClient; name: string }> = [];
    const target = {
      cache,
      async get(request: SeriesRequest, budget: QueryBudget, stats: FetchStats): Promise<SeriesResult> {
        const look = cache.lookup(request.key, request.range, nowMs + (budget.renewWithinMs ?? 0));
        if (look.hit) {
          return { ...look.points, fetchedRanges: [], source: 'cache', completeUntilMs: look.completeUntilMs };
        }
        used.push({ client: request.client, name: String(request.params.EventName) });
        stats.apiCalls++;
        cache.store(request.key, request.period, request.range, nowMs, { timestamps: [], values: [] });
        return {
          timestamps: [],
          values: [],
          fetchedRanges: [request.range],
          source: 'fetched',
          completeUntilMs: nowMs,
        };
      },
    };
    const refresher = new Refresher(target, {
      share: 0.5,
      windowMs: 2 * HOUR,
      maxSeriesPerScope: 100,
      tps: 1,
      now: () => nowMs,
    });
    const otherAccount = {
      account: new AccountScope({ kind: 'account', accountId: '444455556666' }, 'us-east-1'),
      endpointLabel: 'x',
      caller: 'arn:other-account',
    };
    const instance = (callScope: typeof scope & { caller?: string }) => {
      const disposal = new AbortController();
      return { client: new CloudTrailClient({ region: 'us-east-1' }), scope: callScope, disposal };
    };
    const ask = (from: ReturnType<typeof instance>, name: string, trail?: string) => {
      const params = {
        EventSource: 'ec2.amazonaws.com',
        EventName: name,
        InsightType: 'ApiCallRateInsight',
        Period: 60,
        DataType: 'FillWithZeros',
        ...(trail ? { TrailName: trail } : {}),
      } as const;
      const request: SeriesRequest = {
        key: new SeriesKey(from.scope.account, params, from.scope.caller),
        client: from.client,
        lifetime: from.disposal.signal,
        scope: from.scope,
        params,
        period: 60,
        range: lastHour(nowMs),
      };
      cache.store(request.key, 60, request.range, nowMs, { timestamps: [], values: [] });
      refresher.note(request);
    };
    const advance = async (ms: number) => {
      for (let t = 0; t < ms; t += 1_000) {
        nowMs += 1_000;
        await refresher.tick();
      }
    };
    return { refresher, used, instance, ask, advance, otherAccount };
  }

  it("stops using a disposed instance's client at once; a live instance of the same account refreshes its series", async () => {
    const { refresher, used, instance, ask, advance } = lifecycle();
    const live = instance({ ...scope, caller: 'arn:reader' });
    const retired = instance({ ...scope, caller: 'arn:reader' });
    ask(live, 'RunInstances');
    ask(retired, 'RunInstances');
    ask(retired, 'CreateTags'); // asked only through the retired instance, same account
    retired.disposal.abort();
    const disposedAt = used.length;
    await advance(3 * MINUTE);
    refresher.dispose();
    expect(used.slice(disposedAt).filter((u) => u.client === retired.client)).toEqual([]);
    expect(used.filter((u) => u.name === 'RunInstances').length).toBeGreaterThanOrEqual(2);
    expect(used.filter((u) => u.name === 'CreateTags').every((u) => u.client === live.client)).toBe(true);
    expect(used.filter((u) => u.name === 'CreateTags').length).toBeGreaterThanOrEqual(2);
    [live, retired].forEach((i) => i.client.destroy());
  });

  it('drops the series of an account no live instance holds, and a trail series no instance of its caller holds', async () => {
    const { refresher, used, instance, ask, advance, otherAccount } = lifecycle();
    const alone = instance(otherAccount);
    const reader = instance({ ...scope, caller: 'arn:reader' });
    const trailReader = instance({ ...scope, caller: 'arn:trail-reader' });
    ask(alone, 'AttachRolePolicy');
    ask(reader, 'CreateUser');
    ask(trailReader, 'PutBucketPolicy', 'data-events');
    alone.disposal.abort();
    trailReader.disposal.abort();
    await advance(3 * MINUTE);
    refresher.dispose();
    expect(used.map((u) => u.name).filter((n) => n !== 'CreateUser')).toEqual([]);
    expect(used.filter((u) => u.name === 'CreateUser').every((u) => u.client === reader.client)).toBe(true);
    expect(refresher.scopeCount).toBe(0); // disposed: nothing left
    [alone, reader, trailReader].forEach((i) => i.client.destroy());
  });

  it('refreshes a trail series only with a client of the caller that asked for it', async () => {
    const { refresher, used, instance, ask, advance } = lifecycle();
    const trailReader = instance({ ...scope, caller: 'arn:trail-reader' });
    const other = instance({ ...scope, caller: 'arn:other' });
    ask(trailReader, 'PutBucketPolicy', 'data-events');
    ask(other, 'CreateUser'); // the newest holder of the account, but another caller
    await advance(3 * MINUTE);
    refresher.dispose();
    const trail = used.filter((u) => u.name === 'PutBucketPolicy');
    expect(trail.length).toBeGreaterThanOrEqual(2);
    expect(trail.every((u) => u.client === trailReader.client)).toBe(true);
    [trailReader, other].forEach((i) => i.client.destroy());
  });

  it('does not take up a client whose instance was already disposed', () => {
    const { refresher, instance, ask } = lifecycle();
    const retired = instance({ ...scope, caller: 'arn:reader' });
    retired.disposal.abort();
    ask(retired, 'RunInstances');
    expect(refresher.tracked).toBe(0);
    refresher.dispose();
    retired.client.destroy();
  });
});
