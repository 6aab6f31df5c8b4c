import { QueryError } from '../../sdk/types';
import type { Insight } from '../core/insights';
import { countOptions, insightLabel, insightListRequest, insightOptions } from './insightOptions';

const MIN = 60_000;
const DAY = 1440 * MIN;
const T0 = Date.UTC(2026, 10, 1, 10);
const NOW = T0 + 120 * MIN;
const insight = (over: Partial<Insight>): Insight => ({
  id: 'i',
  eventId: 'e',
  startMs: T0,
  endMs: T0 + 25 * MIN,
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateUser',
  insightType: 'ApiCallRateInsight',
  ...over,
});
const INSIGHTS = [
  insight({ id: 'open', eventId: 'e-open', startMs: T0 + 60 * MIN, endMs: undefined }),
  insight({ id: 'ended', eventId: 'e-ended' }),
  insight({
    id: 'err',
    eventId: 'e-err',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'RunInstances',
    insightType: 'ApiErrorRateInsight',
    errorCode: 'AccessDenied',
    startMs: T0 + 30 * MIN,
    endMs: T0 + 40 * MIN,
  }),
  insight({ id: 'old', eventId: 'e-old', eventName: 'DeleteUser', startMs: T0 - 3 * DAY, endMs: T0 - 3 * DAY + MIN }),
];

const request = (query: Record<string, string>, identity = {}) =>
  insightListRequest(new URLSearchParams(query), identity, NOW);
const options = (query: Record<string, string>, identity = {}) =>
  insightOptions(INSIGHTS, request(query, identity), NOW);

describe('the Insights list of a variable', () => {
  test('error codes that had Insights in the range, most Insights first (call-rate Insights have none)', () => {
    expect(options({ value: 'errorCode' })).toEqual([
      { value: 'AccessDenied', label: 'AccessDenied', description: '1 Insight in the time range' },
    ]);
    expect(options({ value: 'errorCode', from: String(T0 + 45 * MIN), to: String(NOW) })).toEqual([]);
  });

  test('by default: event names of the Insights of the last 90 days, most Insights first', () => {
    expect(options({})).toEqual([
      { value: 'CreateUser', label: 'CreateUser', description: '2 Insights in the time range' },
      { value: 'DeleteUser', label: 'DeleteUser', description: '1 Insight in the time range' },
      { value: 'RunInstances', label: 'RunInstances', description: '1 Insight in the time range' },
    ]);
    expect(request({}).range).toEqual({ fromMs: NOW - 90 * DAY, toMs: NOW });
  });

  test('only Insights open during [from, to]; an ongoing one lasts until now', () => {
    const lastHour = { from: String(NOW - 60 * MIN), to: String(NOW) };
    expect(options({ ...lastHour, value: 'eventId' }).map((o) => o.value)).toEqual(['e-open']);
    const around = { from: String(T0 + 20 * MIN), to: String(T0 + 35 * MIN) };
    expect(options({ ...around, value: 'eventId' }).map((o) => o.value)).toEqual(['e-err', 'e-ended']);
  });

  test('the events query filters: state, insight type, error code, event source and name', () => {
    expect(options({ state: 'ongoing', value: 'eventId' }).map((o) => o.value)).toEqual(['e-open']);
    expect(options({ state: 'ended', value: 'eventSource' })).toEqual([
      { value: 'iam.amazonaws.com', label: 'iam.amazonaws.com', description: '2 Insights in the time range' },
      { value: 'ec2.amazonaws.com', label: 'ec2.amazonaws.com', description: '1 Insight in the time range' },
    ]);
    expect(options({ insightType: 'ApiErrorRateInsight', errorCode: 'AccessDenied' }).map((o) => o.value)).toEqual([
      'RunInstances',
    ]);
    expect(options({ errorCode: 'ThrottlingException' })).toEqual([]);
    expect(
      options({ value: 'eventId' }, { eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' }).map((o) => o.value)
    ).toEqual(['e-open', 'e-ended']);
  });

  test('one option per Insight, newest first, named so a person can tell them apart', () => {
    expect(options({ value: 'eventId' })).toEqual([
      {
        value: 'e-open',
        label: 'CreateUser (iam.amazonaws.com), API call rate, since 2026-11-01 11:00 UTC, ongoing',
        description: 'Ongoing',
      },
      {
        value: 'e-err',
        label: 'RunInstances (ec2.amazonaws.com), API error rate AccessDenied, 2026-11-01 10:30 – 10:40 UTC',
        description: 'Ended',
      },
      {
        value: 'e-ended',
        label: 'CreateUser (iam.amazonaws.com), API call rate, 2026-11-01 10:00 – 10:25 UTC',
        description: 'Ended',
      },
      {
        value: 'e-old',
        label: expect.stringMatching(/^DeleteUser .*, 2026-10-29 10:00 – 10:01 UTC$/),
        description: 'Ended',
      },
    ]);
  });

  test('an Insight without its own event ID (an End whose Start is not listed) is valued by its shared ID', () => {
    const noId = insight({ id: 'shared-1', eventId: undefined });
    expect(insightOptions([noId], request({ value: 'eventId' }), NOW)[0].value).toBe('shared-1');
  });

  test('labels: an Insight over midnight names both days; an unknown type reads as itself', () => {
    const overnight = insight({ startMs: Date.UTC(2026, 10, 1, 23, 50), endMs: Date.UTC(2026, 10, 2, 0, 20) });
    expect(insightLabel(overnight)).toBe(
      'CreateUser (iam.amazonaws.com), API call rate, 2026-11-01 23:50 – 2026-11-02 00:20 UTC'
    );
    expect(insightLabel(insight({ insightType: 'FutureInsight' }))).toMatch(
      /^CreateUser \(iam.amazonaws.com\), FutureInsight, /
    );
  });

  test.each([
    [{ state: 'sometimes' }, /^State must be one of all, ongoing, ended\.$/],
    [{ insightType: 'CallRate' }, /^Insight type filter must be empty/],
    [
      { insightType: 'ApiCallRateInsight', errorCode: 'AccessDenied' },
      /^Only API error rate Insights have an error code/,
    ],
    [{ value: 'userAgent' }, /^Parameter value="userAgent" must be eventName, eventSource, errorCode or eventId\.$/],
    [{ from: 'yesterday' }, /^Parameter from="yesterday" must be epoch milliseconds\.$/],
    [{ to: '-5' }, /^Parameter to="-5" must be epoch milliseconds\.$/],
    [{ from: '2000', to: '1000' }, /^Parameter from must not be after to\.$/],
  ])('bad input %j is refused with a 400 naming it', (query, message) => {
    let error: unknown;
    try {
      request(query);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({ status: 400, errorSource: 'plugin', message: expect.stringMatching(message) });
  });
});

test('countOptions: most frequent first, ties by name, empty values skipped, the period named', () => {
  const picked = countOptions(INSIGHTS, (i) => i.errorCode);
  expect(picked).toEqual([
    { value: 'AccessDenied', label: 'AccessDenied', description: '1 Insight in the last 90 days' },
  ]);
  expect(countOptions(INSIGHTS, (i) => i.eventName).map((o) => o.value)).toEqual([
    'CreateUser',
    'DeleteUser',
    'RunInstances',
  ]);
});
