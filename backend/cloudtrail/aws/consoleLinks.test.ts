import { consoleOrigin, eventHistoryUrl, insightsUrl, trailUrl } from './consoleLinks';

test.each([
  ['us-east-1', 'https://us-east-1.console.aws.amazon.com'],
  ['eu-west-1', 'https://eu-west-1.console.aws.amazon.com'],
  ['ap-northeast-2', 'https://ap-northeast-2.console.aws.amazon.com'],
  ['cn-north-1', 'https://console.amazonaws.cn'],
  ['us-gov-west-1', 'https://console.amazonaws-us-gov.com'],
])('%s opens the console of its partition in that region', (region, origin) => {
  expect(consoleOrigin(region)).toBe(origin);
  expect(insightsUrl(region)).toBe(`${origin}/cloudtrail/home?region=${region}#/insights`);
});

test('event history is filtered to one attribute (the event name, else the event source) and the time range', () => {
  const url = eventHistoryUrl('eu-west-1', {
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    startMs: Date.UTC(2026, 10, 1, 10),
    endMs: Date.UTC(2026, 10, 1, 12),
  });
  expect(url).toBe(
    'https://eu-west-1.console.aws.amazon.com/cloudtrail/home?region=eu-west-1#/events?' +
      'EventName=CreateUser&StartTime=2026-11-01T10%3A00%3A00.000Z&EndTime=2026-11-01T12%3A00%3A00.000Z'
  );
  // The console applies one attribute filter: without an event name, the event source.
  expect(eventHistoryUrl('eu-west-1', { eventSource: 'iam.amazonaws.com' })).toBe(
    'https://eu-west-1.console.aws.amazon.com/cloudtrail/home?region=eu-west-1#/events?EventSource=iam.amazonaws.com'
  );
  expect(eventHistoryUrl('us-east-1', {})).toBe(
    'https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events'
  );
  // Never further back than the 90 days event history keeps.
  const [, fragment] = eventHistoryUrl('us-east-1', { startMs: 0, endMs: Date.UTC(2026, 10, 1) }).split('#/events?');
  expect(new URLSearchParams(fragment).get('StartTime')).toBe('2026-08-03T00:00:00.000Z');
});

test("data-event Insights open the trail's page (by ARN), or the trails list for a plain name", () => {
  const arn = 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/data-events';
  expect(trailUrl('eu-west-1', arn)).toBe(
    'https://eu-west-1.console.aws.amazon.com/cloudtrail/home?region=eu-west-1#/trails/arn%3Aaws%3Acloudtrail%3Aeu-west-1%3A123456789012%3Atrail%2Fdata-events'
  );
  expect(trailUrl('cn-north-1', 'data-events')).toBe(
    'https://console.amazonaws.cn/cloudtrail/home?region=cn-north-1#/trails'
  );
});
