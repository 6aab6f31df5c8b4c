import { annotationFrame, insightText, insightTitle } from './annotations';
import { insightFilter } from './insightFilter';
import type { Insight } from '../core/insights';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 1);
const insight = (over: Partial<Insight>): Insight => ({
  id: 'i',
  startMs: T0,
  endMs: T0 + 10 * MIN,
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateUser',
  insightType: 'ApiCallRateInsight',
  baselineAverage: 0.25,
  insightAverage: 12.5,
  ...over,
});

test('title and text say what was unusual and by how much', () => {
  expect(insightTitle(insight({}))).toBe('Unusual API call rate: CreateUser (iam)');
  expect(
    insightTitle(insight({ insightType: 'ApiErrorRateInsight', errorCode: 'AccessDenied', endMs: undefined }))
  ).toBe('Unusual API error rate: CreateUser AccessDenied (iam) (ongoing)');
  expect(insightText(insight({}))).toBe('Insight average 12.5 calls/min vs baseline 0.25 calls/min.');
});

test('the frame holds the insights overlapping the range, oldest first, with tags', () => {
  const insights = [
    insight({ id: 'late', startMs: T0 + 60 * MIN, endMs: undefined }),
    insight({ id: 'in', startMs: T0, endMs: T0 + 10 * MIN }),
    insight({ id: 'before', startMs: T0 - 120 * MIN, endMs: T0 - 100 * MIN }),
    insight({ id: 'errors', startMs: T0 + 5 * MIN, insightType: 'ApiErrorRateInsight', errorCode: 'Throttling' }),
  ];
  const now = T0 + 90 * MIN;
  const frame = annotationFrame('A', insights, { fromMs: T0 - 30 * MIN, toMs: now }, insightFilter({}), now);
  expect(frame.fields.map((f) => f.name)).toEqual(['time', 'timeEnd', 'title', 'text', 'tags']);
  expect(frame.fields[0].values).toEqual([T0, T0 + 5 * MIN, T0 + 60 * MIN]);
  expect(frame.fields[1].values).toEqual([T0 + 10 * MIN, T0 + 10 * MIN, now]);
  expect(frame.fields[4].values[1]).toBe('ApiErrorRateInsight,iam.amazonaws.com,CreateUser,Throttling');
  const errorsOnly = annotationFrame(
    'A',
    insights,
    { fromMs: T0 - 30 * MIN, toMs: now },
    insightFilter({ insightType: 'ApiErrorRateInsight' }),
    now
  );
  expect(errorsOnly.fields[0].values).toEqual([T0 + 5 * MIN]);
  const ongoing = annotationFrame(
    'A',
    insights,
    { fromMs: T0 - 30 * MIN, toMs: now },
    insightFilter({ state: 'ongoing' }),
    now
  );
  expect(ongoing.fields[0].values).toEqual([T0 + 60 * MIN]);
});

test('the text names the top user identities and user agents with their shares', () => {
  const text = insightText(
    insight({
      attributions: {
        userIdentityArn: [
          { value: 'arn:aws:iam::1:role/a', share: 0.625 },
          { value: 'arn:aws:iam::1:role/b', share: 0.25 },
        ],
        userAgent: [{ value: 'aws-cli/2', share: 1 }],
      },
    })
  );
  expect(text.split('\n')).toEqual([
    'Insight average 12.5 calls/min vs baseline 0.25 calls/min.',
    'Top user identities: arn:aws:iam::1:role/a (63%), arn:aws:iam::1:role/b (25%).',
    'Top user agents: aws-cli/2 (100%).',
  ]);
});
