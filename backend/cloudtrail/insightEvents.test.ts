import type { Event } from '@aws-sdk/client-cloudtrail';
import { QueryError } from '../sdk/types';
import type { CallBudget } from './awsCall';
import { InsightCache, pairInsights, parseInsightEvent, type InsightList } from './insightEvents';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 1);

function event(id: string, state: 'Start' | 'End', timeMs: number, extra: Record<string, unknown> = {}): Event {
  return {
    EventId: `${id}-${state}`,
    EventTime: new Date(timeMs),
    CloudTrailEvent: JSON.stringify({
      sharedEventID: id,
      insightDetails: {
        state,
        eventSource: 'iam.amazonaws.com',
        eventName: 'CreateUser',
        insightType: 'ApiCallRateInsight',
        insightContext: { statistics: { baseline: { average: 0.5 }, insight: { average: state === 'Start' ? 9 : 6 } } },
        ...extra,
      },
    }),
  };
}

test('parses the fields of an Insights record; junk records are skipped', () => {
  expect(
    parseInsightEvent(event('x', 'Start', T0, { insightType: 'ApiErrorRateInsight', errorCode: 'AccessDenied' }))
  ).toEqual({
    id: 'x',
    eventId: 'x-Start',
    state: 'Start',
    timeMs: T0,
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    insightType: 'ApiErrorRateInsight',
    errorCode: 'AccessDenied',
    baselineAverage: 0.5,
    insightAverage: 9,
    attributions: undefined,
  });
  expect(parseInsightEvent({ CloudTrailEvent: '{not json' })).toBeUndefined();
  expect(parseInsightEvent({ CloudTrailEvent: JSON.stringify({ eventName: 'ConsoleLogin' }) })).toBeUndefined();
});

test('Start and End pair by shared id, in any order; the End statistics cover the whole insight', () => {
  const parsed = [event('a', 'End', T0 + 30 * MIN), event('b', 'Start', T0 + 60 * MIN), event('a', 'Start', T0)].map(
    (e) => parseInsightEvent(e)!
  );
  const insights = pairInsights(parsed);
  expect(insights).toEqual([
    expect.objectContaining({ id: 'b', startMs: T0 + 60 * MIN }),
    expect.objectContaining({ id: 'a', startMs: T0, endMs: T0 + 30 * MIN, insightAverage: 6, baselineAverage: 0.5 }),
  ]);
  expect(insights[0].endMs).toBeUndefined();
});

test('the End event keeps the Start event id and brings the attributions of the whole insight', () => {
  const attributions = (arn: string) => ({
    attributions: [{ attribute: 'userIdentityArn', insight: [{ value: arn, average: 6 }], baseline: [] }],
  });
  const start = event('a', 'Start', T0, {
    insightContext: { statistics: { insight: { average: 9 } }, ...attributions('first') },
  });
  const end = event('a', 'End', T0 + 30 * MIN, {
    insightContext: { statistics: { insight: { average: 6 } }, ...attributions('whole') },
  });
  const [insight] = pairInsights([parseInsightEvent(end)!, parseInsightEvent(start)!]);
  expect(insight).toMatchObject({
    eventId: 'a-Start',
    attributions: { userIdentityArn: [{ value: 'whole', share: 1 }] },
  });
});

test('an End whose Start is outside the listing keeps its own time', () => {
  const [only] = pairInsights([parseInsightEvent(event('z', 'End', T0))!]);
  expect(only).toMatchObject({ startMs: T0, endMs: T0 });
});

const K = { id: 'k' };
const caller = (signal?: AbortSignal) => ({ signal, deadlineMs: () => Date.now() + 5_000 });

test('the cache coalesces loads, serves within its age, reloads after it', async () => {
  const cache = new InsightCache(1000);
  let loads = 0;
  const load = async (): Promise<InsightList> => {
    loads++;
    await new Promise((r) => setTimeout(r, 10));
    return { insights: [], fetchedAtMs: T0, truncated: false };
  };
  await Promise.all([cache.get(K, T0, caller(), load), cache.get(K, T0, caller(), load)]);
  expect(loads).toBe(1);
  await cache.get(K, T0 + 900, caller(), load);
  expect(loads).toBe(1);
  await cache.get(K, T0 + 500, caller(), load, 100); // annotations ask for fresher data
  expect(loads).toBe(2);
});

/** A load that ends when its shared signal aborts (as awsCall does), or after `ms`. */
function slowLoad(ms: number, seen: { signal?: AbortSignal }) {
  return (shared: CallBudget) =>
    new Promise<InsightList>((resolve, reject) => {
      seen.signal = shared.signal;
      const timer = setTimeout(() => resolve({ insights: [], fetchedAtMs: T0, truncated: false }), ms);
      shared.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(shared.signal!.reason);
      });
    });
}

test("a shared load is not cancelled by its first caller's abort: a second caller still gets its answer", async () => {
  const cache = new InsightCache();
  const seen: { signal?: AbortSignal } = {};
  const first = new AbortController();
  const cancelled = cache.get(K, T0, caller(first.signal), slowLoad(50, seen));
  const patient = cache.get(K, T0, caller(), slowLoad(50, seen));
  first.abort(new Error('request cancelled by the caller'));
  await expect(cancelled).rejects.toThrow('LookupEvents was stopped: the request was cancelled');
  await expect(patient).resolves.toMatchObject({ insights: [] });
  expect(seen.signal!.aborted).toBe(false);
});

test('a shared load stops when every caller has cancelled', async () => {
  const cache = new InsightCache();
  const seen: { signal?: AbortSignal } = {};
  const callers = [new AbortController(), new AbortController()];
  const waits = callers.map((c) => cache.get(K, T0, caller(c.signal), slowLoad(5_000, seen)));
  callers.forEach((c) => c.abort(new Error('gone')));
  await Promise.all(waits.map((w) => expect(w).rejects.toThrow(QueryError)));
  expect(seen.signal!.aborted).toBe(true);
});
