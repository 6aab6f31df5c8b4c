import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { AccountScope, SeriesKey } from './keys';
import { FIRST_BACKOFF_MS, Refresher, type RefresherOptions } from './refresher';
import { SeriesCache } from './seriesCache';
import type { FetchStats } from './seriesFetcher';
import type { QueryBudget, SeriesRequest, SeriesResult } from './seriesSource';

const MINUTE = 60_000;
const scope = {
  account: new AccountScope({ kind: 'account', accountId: '111122223333' }, 'us-east-1'),
  endpointLabel: 'x',
};
const client = new CloudTrailClient({ region: 'us-east-1' });

function setup(options: Partial<RefresherOptions> = {}, throttle = () => false) {
  let nowMs = 10 * MINUTE;
  const cache = new SeriesCache();
  const sent: Array<{ id: string; priority?: string; at?: number }> = [];
  const target = {
    cache,
    async get(request: SeriesRequest, budget: QueryBudget, stats: FetchStats): Promise<SeriesResult> {
      sent.push({ id: request.key.id, priority: budget.priority, at: nowMs });
      stats.apiCalls++;
      if (throttle()) {
        stats.throttles = 1;
      }
      cache.store(request.key, request.period, request.range, nowMs, { timestamps: [], values: [] });
      return { timestamps: [], values: [], fetchedRanges: [], source: 'fetched', completeUntilMs: nowMs };
    },
  };
  const refresher = new Refresher(target, {
    share: 0.3,
    windowMs: 2 * 60 * MINUTE,
    maxSeriesPerScope: 100,
    tps: 1,
    now: () => nowMs,
    ...options,
  });
  const ask = (name: string) => {
    const params = {
      EventSource: 'ec2.amazonaws.com',
      EventName: name,
      InsightType: 'ApiCallRateInsight',
      Period: 60,
    } as const;
    const request: SeriesRequest = {
      key: new SeriesKey(scope.account, params),
      client,
      scope,
      params,
      period: 60,
      range: { startMs: nowMs - 60 * MINUTE, endMs: Math.ceil(nowMs / MINUTE) * MINUTE },
    };
    cache.store(request.key, 60, request.range, nowMs, { timestamps: [], values: [] });
    refresher.note(request);
  };
  const advance = async (ms: number, stepMs = 1_000) => {
    for (let t = 0; t < ms; t += stepMs) {
      nowMs += stepMs;
      await refresher.tick();
    }
  };
  return { refresher, sent, ask, advance, cache };
}

afterAll(() => client.destroy());

describe('Refresher bounds', () => {
  it('refreshes at background priority and never spends more than its share of the quota', async () => {
    const { refresher, sent, ask, advance } = setup();
    for (let i = 0; i < 40; i++) {
      ask(`Event${i}`);
    }
    await advance(10 * MINUTE);
    refresher.dispose();
    // 30% of 1 call/s: 18 calls a minute, plus the one minute the token bucket holds.
    expect(sent.length).toBeLessThanOrEqual(18 * 10 + 18);
    expect(sent.length).toBeGreaterThanOrEqual(18 * 10 - 1);
    expect(new Set(sent.map((s) => s.priority))).toEqual(new Set(['background']));
  });

  it('keeps every series fresh when the share covers them: one call per series per bucket', async () => {
    const { refresher, sent, ask, advance } = setup();
    for (let i = 0; i < 10; i++) {
      ask(`Event${i}`);
    }
    await advance(5 * MINUTE);
    refresher.dispose();
    expect(sent.length).toBeGreaterThanOrEqual(10 * 4);
    expect(sent.length).toBeLessThanOrEqual(10 * 6);
    expect(refresher.lagSeconds()).toBe(0);
  });

  it('tracks at most maxSeriesPerScope series, dropping the least recently asked', async () => {
    const { refresher, sent, ask, advance } = setup({ maxSeriesPerScope: 3 });
    for (const name of ['A', 'B', 'C', 'D', 'E']) {
      ask(name);
    }
    expect(refresher.tracked).toBe(3);
    await advance(2 * MINUTE);
    refresher.dispose();
    const names = new Set(sent.map((s) => decodeURIComponent(s.id.split('|')[5])));
    expect(names).toEqual(new Set(['C', 'D', 'E']));
  });

  it('stops refreshing series nobody asked for within the window', async () => {
    const { refresher, sent, ask, advance } = setup({ windowMs: 5 * MINUTE });
    ask('A');
    await advance(5 * MINUTE + 1_000, 10_000);
    const before = sent.length;
    expect(before).toBeGreaterThan(0);
    await advance(10 * MINUTE, 10_000);
    refresher.dispose();
    expect(sent.length).toBe(before);
    expect(refresher.tracked).toBe(0);
  });

  it('backs off when CloudTrail throttles a refresh, doubling while throttles continue', async () => {
    let throttling = true;
    const { refresher, sent, ask, advance } = setup({}, () => throttling);
    ask('A');
    await advance(MINUTE); // due at the bucket end: refreshed and throttled
    expect(sent.map((s) => (s.at! - 10 * MINUTE) / 1000)).toEqual([60]);
    await advance(FIRST_BACKOFF_MS + MINUTE); // paused 30 s, then the next bucket: throttled again
    expect(sent.length).toBe(2);
    throttling = false;
    await advance(29_000); // paused 60 s now: nothing before 13:00
    expect(sent.length).toBe(2);
    await advance(2 * MINUTE);
    refresher.dispose();
    expect(sent.length).toBeGreaterThanOrEqual(4);
  });

  it('is off at share 0', async () => {
    const { refresher, sent, ask, advance } = setup({ share: 0 });
    ask('A');
    await advance(3 * MINUTE, 10_000);
    expect(refresher.tracked).toBe(0);
    expect(sent.length).toBe(0);
  });
});
