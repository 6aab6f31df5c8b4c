import type { Event } from '@aws-sdk/client-cloudtrail';
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
    state: 'Start',
    timeMs: T0,
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    insightType: 'ApiErrorRateInsight',
    errorCode: 'AccessDenied',
    baselineAverage: 0.5,
    insightAverage: 9,
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

test('an End whose Start is outside the listing keeps its own time', () => {
  const [only] = pairInsights([parseInsightEvent(event('z', 'End', T0))!]);
  expect(only).toMatchObject({ startMs: T0, endMs: T0 });
});

const K = { id: 'k' };

test('the cache coalesces loads, serves within its age, reloads after it', async () => {
  const cache = new InsightCache(1000);
  let loads = 0;
  const load = async (): Promise<InsightList> => {
    loads++;
    await new Promise((r) => setTimeout(r, 10));
    return { insights: [], fetchedAtMs: T0, truncated: false };
  };
  await Promise.all([cache.get(K, T0, load), cache.get(K, T0, load)]);
  expect(loads).toBe(1);
  await cache.get(K, T0 + 900, load);
  expect(loads).toBe(1);
  await cache.get(K, T0 + 500, load, 100); // annotations ask for fresher data
  expect(loads).toBe(2);
});
