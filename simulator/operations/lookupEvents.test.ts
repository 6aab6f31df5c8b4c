// LookupEvents for Insights events: validation, filters, inclusive time bounds, paging, and agreement
// between the insightDetails statistics and the metric data.
import {
  ListInsightsMetricDataCommand,
  LookupEventsCommand,
  paginateLookupEvents,
  type LookupEventsCommandInput,
} from '@aws-sdk/client-cloudtrail';
import { startSimulator } from '../index';
import { cloudTrail, DAY_MS, errorOf, FIXED_NOW, TEST_KEY } from '../testSupport';
import type { EpisodeInfo, RunningSimulator } from '../types';

let sim: RunningSimulator;
let episodes: EpisodeInfo[];
beforeAll(async () => {
  sim = await startSimulator({ now: () => FIXED_NOW, quotas: false, seed: 'lookup-tests' });
  episodes = sim.catalog('us-east-1', sim.accountIdFor(TEST_KEY.accessKeyId)).episodes;
});
afterAll(() => sim.stop());

const lookup = (input: Partial<Record<keyof LookupEventsCommandInput, unknown>>) =>
  cloudTrail(sim).send(new LookupEventsCommand({ EventCategory: 'insight', ...input } as LookupEventsCommandInput));

async function allEvents(input: LookupEventsCommandInput) {
  const events = [];
  for await (const page of paginateLookupEvents({ client: cloudTrail(sim), pageSize: 50 }, input)) {
    events.push(...(page.Events ?? []));
  }
  return events;
}

describe('LookupEvents validation', () => {
  test.each([
    [
      'two lookup attributes',
      {
        LookupAttributes: [
          { AttributeKey: 'EventName', AttributeValue: 'A' },
          { AttributeKey: 'EventSource', AttributeValue: 'b' },
        ],
      },
      'InvalidLookupAttributesException',
      /more than one lookup attribute/,
    ],
    [
      'an unknown attribute key',
      { LookupAttributes: [{ AttributeKey: 'Colour', AttributeValue: 'red' }] },
      'InvalidLookupAttributesException',
      /AttributeKey 'Colour' is not valid/,
    ],
    [
      'a key Insights events do not support',
      { LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'alice' }] },
      'InvalidLookupAttributesException',
      /Username is not supported for Insights events/,
    ],
    [
      'an empty attribute value',
      { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: '' }] },
      'InvalidLookupAttributesException',
      /AttributeValue must be a string of 1 to 2000 characters/,
    ],
    [
      'StartTime after EndTime',
      { StartTime: new Date(FIXED_NOW - DAY_MS), EndTime: new Date(FIXED_NOW - 2 * DAY_MS) },
      'InvalidTimeRangeException',
      /StartTime must be earlier than or equal to EndTime/,
    ],
    [
      'StartTime in the future with the default EndTime',
      { StartTime: new Date(FIXED_NOW + 60_000) },
      'InvalidTimeRangeException',
      /StartTime must be earlier than or equal to EndTime/,
    ],
    ['MaxResults 0', { MaxResults: 0 }, 'InvalidMaxResultsException', /MaxResults must be between 1 and 50; got 0/],
    ['MaxResults 51', { MaxResults: 51 }, 'InvalidMaxResultsException', /MaxResults must be between 1 and 50; got 51/],
    [
      'an unknown EventCategory',
      { EventCategory: 'management' },
      'InvalidEventCategoryException',
      /EventCategory 'management' is not valid/,
    ],
    ['a forged NextToken', { NextToken: 'abc.def' }, 'InvalidNextTokenException', /NextToken is invalid/],
  ])('%s → %s', async (_, input, name, message) => {
    const error = await errorOf(lookup(input));
    expect(error.name).toBe(name);
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(error.message).toMatch(message);
  });

  test('without EventCategory (management events are not modelled) the answer is a valid empty page', async () => {
    expect((await cloudTrail(sim).send(new LookupEventsCommand({}))).Events).toEqual([]);
  });
});

describe('LookupEvents Insights events', () => {
  test('all Start/End events of the last 90 days, newest first, across pages without duplicates', async () => {
    const events = await allEvents({ EventCategory: 'insight' });
    const expected = episodes.length * 2 - episodes.filter((e) => e.endMs > FIXED_NOW).length;
    expect(events).toHaveLength(expected);
    expect(new Set(events.map((e) => e.EventId)).size).toBe(events.length);
    const times = events.map((e) => e.EventTime!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(FIXED_NOW - 90 * DAY_MS);
  });

  test('filters by EventSource, EventName and EventId', async () => {
    const bySource = await allEvents({
      EventCategory: 'insight',
      LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 's3.amazonaws.com' }],
    });
    expect(bySource.length).toBeGreaterThan(0);
    expect(bySource.every((e) => e.EventSource === 's3.amazonaws.com')).toBe(true);
    const name = episodes[0].eventName;
    const byName = await allEvents({
      EventCategory: 'insight',
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }],
    });
    expect(byName.length).toBeGreaterThan(0);
    expect(byName.every((e) => e.EventName === name)).toBe(true);
    const one = await lookup({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: byName[0].EventId }] });
    expect(one.Events?.map((e) => e.EventId)).toEqual([byName[0].EventId]);
  });

  test('StartTime and EndTime are inclusive', async () => {
    const episode = episodes.find((e) => e.endMs < FIXED_NOW)!;
    const at = await lookup({ StartTime: new Date(episode.startMs), EndTime: new Date(episode.startMs) });
    expect(at.Events?.some((e) => JSON.parse(e.CloudTrailEvent!).sharedEventID === episode.insightId)).toBe(true);
    const before = await lookup({
      StartTime: new Date(episode.startMs - 60_000),
      EndTime: new Date(episode.startMs - 1),
    });
    expect(before.Events?.some((e) => JSON.parse(e.CloudTrailEvent!).sharedEventID === episode.insightId)).toBe(false);
  });

  test('a token used with other parameters → InvalidNextTokenException', async () => {
    const first = await lookup({ MaxResults: 2 });
    expect(first.Events).toHaveLength(2);
    const error = await errorOf(
      lookup({
        MaxResults: 2,
        NextToken: first.NextToken,
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }],
      })
    );
    expect(error.name).toBe('InvalidNextTokenException');
  });

  test('insightDetails match the metric data: Start = first minute, End = episode mean, baseline = 7-day mean', async () => {
    const recent = episodes.filter((e) => e.endMs < FIXED_NOW && e.startMs > FIXED_NOW - 8 * DAY_MS).slice(0, 2);
    expect(recent.length).toBeGreaterThan(0);
    for (const episode of recent) {
      const events = await allEvents({
        EventCategory: 'insight',
        StartTime: new Date(episode.startMs),
        EndTime: new Date(episode.endMs),
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: episode.eventName }],
      });
      const records = events
        .map((e) => JSON.parse(e.CloudTrailEvent!))
        .filter((r) => r.sharedEventID === episode.insightId);
      const start = records.find((r) => r.insightDetails.state === 'Start');
      const end = records.find((r) => r.insightDetails.state === 'End');
      expect(start).toMatchObject({
        eventType: 'AwsCloudTrailInsight',
        eventCategory: 'Insight',
        awsRegion: 'us-east-1',
        recipientAccountId: sim.accountIdFor(TEST_KEY.accessKeyId),
      });
      expect(end.insightDetails).toMatchObject({
        eventSource: episode.eventSource,
        eventName: episode.eventName,
        insightType: episode.insightType,
        ...(episode.errorCode ? { errorCode: episode.errorCode } : {}),
      });
      expect(new Date(start.eventTime).getTime()).toBe(episode.startMs);
      expect(new Date(end.eventTime).getTime()).toBe(episode.endMs);

      const metric = (StartTime: number, EndTime: number) =>
        cloudTrail(sim).send(
          new ListInsightsMetricDataCommand({
            EventSource: episode.eventSource,
            EventName: episode.eventName,
            InsightType: episode.insightType,
            ErrorCode: episode.errorCode,
            Period: 60,
            DataType: 'FillWithZeros',
            StartTime: new Date(StartTime),
            EndTime: new Date(EndTime),
          })
        );
      const during = (await metric(episode.startMs, episode.endMs)).Values!;
      const baseline = (await metric(episode.startMs - 7 * DAY_MS, episode.startMs)).Values!;
      const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
      const stats = (r: typeof start) => r.insightDetails.insightContext.statistics;
      expect(stats(start).insight.average).toBe(during[0]);
      expect(stats(end).insight.average).toBeCloseTo(mean(during), 10);
      expect(stats(end).insightDuration).toBe(during.length);
      expect(stats(end).baselineDuration).toBe(10080);
      expect(baseline).toHaveLength(10080);
      expect(stats(start).baseline.average).toBeCloseTo(mean(baseline), 10);
      expect(stats(end).insight.average).toBeGreaterThan(3 * stats(end).baseline.average);
    }
  });
});
