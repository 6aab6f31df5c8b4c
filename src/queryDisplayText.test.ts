import { DEFAULT_QUERY } from './shared/queryModel';
import { queryDisplayText } from './queryDisplayText';
import type { CloudTrailInsightsQuery } from './types';

const metrics: CloudTrailInsightsQuery = {
  refId: 'A',
  ...DEFAULT_QUERY,
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateUser',
};

test('metrics queries read like their series', () => {
  expect(queryDisplayText(metrics, 'us-east-1')).toBe('CreateUser (iam) call rate · us-east-1 · period Auto');
  expect(
    queryDisplayText(
      {
        ...metrics,
        insightType: 'ApiErrorRateInsight',
        errorCode: 'AccessDenied',
        region: 'eu-west-1',
        period: 300,
        valueUnit: 'perMinute',
      },
      'us-east-1'
    )
  ).toBe('CreateUser AccessDenied (iam) error rate per minute · eu-west-1 · period 5 min');
  expect(queryDisplayText({ ...metrics, eventName: '' }, 'us-east-1')).toBe(
    'Metrics: choose an event source and event name'
  );
});

test('events queries and annotations name their filters', () => {
  expect(queryDisplayText({ refId: 'E', queryType: 'events', eventSource: '', eventName: '' }, 'us-east-1')).toBe(
    'Insights events: all event sources · all types · All · us-east-1'
  );
  expect(
    queryDisplayText(
      {
        refId: 'E',
        queryType: 'events',
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRole',
        insightType: 'ApiErrorRateInsight',
        state: 'ongoing',
        eventsFormat: 'count',
      },
      ''
    )
  ).toBe(
    'Insights events: sts.amazonaws.com AssumeRole · API error rate · Ongoing · default region · count per series'
  );
  expect(
    queryDisplayText({ refId: 'N', queryType: 'annotations', eventSource: '', eventName: '' }, 'eu-west-1')
  ).toMatch(/^Insights annotations: /);
});

test('the data-event scope names its trail (by name, also when the query holds its ARN) and region', () => {
  const arn = 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/data-events';
  expect(
    queryDisplayText(
      { ...metrics, eventSource: 's3.amazonaws.com', eventName: 'GetObject', eventCategory: 'data', trailName: arn },
      'us-east-1'
    )
  ).toBe('GetObject (s3) call rate · eu-west-1 · data events of data-events · period Auto');
  expect(
    queryDisplayText(
      { refId: 'E', queryType: 'events', eventSource: '', eventName: '', eventCategory: 'data', trailName: 'audit' },
      'us-east-1'
    )
  ).toBe('Insights events: all event sources · all types · All · us-east-1 · data events of audit');
});
