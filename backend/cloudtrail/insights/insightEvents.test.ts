import type { Event } from '@aws-sdk/client-cloudtrail';
import { pairInsights, parseInsightEvent } from './insightEvents';

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
