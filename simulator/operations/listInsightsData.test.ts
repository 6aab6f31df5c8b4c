// ListInsightsData through the real SDK and its paginator: validation per the model, the data-event
// trail's Insights (which LookupEvents does not list), dimensions, inclusive time bounds, paging, and
// agreement with ListInsightsMetricData called with the trail's name.
import {
  ListInsightsDataCommand,
  ListInsightsMetricDataCommand,
  LookupEventsCommand,
  paginateListInsightsData,
  paginateLookupEvents,
  type ListInsightsDataCommandInput,
} from '@aws-sdk/client-cloudtrail';
import { startSimulator } from '../index';
import { cloudTrail, DAY_MS, errorOf, FIXED_NOW, TEST_KEY } from '../testSupport';
import type { Catalog, RunningSimulator } from '../types';

let sim: RunningSimulator;
let catalog: Catalog;
let dataTrail: string;
beforeAll(async () => {
  sim = await startSimulator({ now: () => FIXED_NOW, quotas: false, seed: 'insights-data-tests' });
  catalog = sim.catalog('us-east-1', sim.accountIdFor(TEST_KEY.accessKeyId));
  dataTrail = catalog.dataEvents.trailArn;
});
afterAll(() => sim.stop());

const list = (input: Partial<Record<keyof ListInsightsDataCommandInput, unknown>>) =>
  cloudTrail(sim).send(
    new ListInsightsDataCommand({
      InsightSource: dataTrail,
      DataType: 'InsightsEvents',
      ...input,
    } as ListInsightsDataCommandInput)
  );

async function allEvents(input: Partial<ListInsightsDataCommandInput> = {}, pageSize = 50) {
  const events = [];
  for await (const page of paginateListInsightsData(
    { client: cloudTrail(sim), pageSize },
    { InsightSource: dataTrail, DataType: 'InsightsEvents', ...input }
  )) {
    expect(page.Events!.length).toBeLessThanOrEqual(pageSize);
    events.push(...(page.Events ?? []));
  }
  return events;
}

describe('ListInsightsData validation', () => {
  const account = () => catalog.accountId;
  test.each([
    ['InsightSource missing', { InsightSource: undefined }, /InsightSource is required/],
    ['InsightSource shorter than 3', { InsightSource: 'ab' }, /InsightSource must be between 3 and 256/],
    [
      'InsightSource longer than 256',
      { InsightSource: `arn:aws:cloudtrail:us-east-1:123456789012:trail/${'a'.repeat(210)}` },
      /InsightSource must be between 3 and 256 characters long; got 258/,
    ],
    ['InsightSource with a space', { InsightSource: 'my trail' }, /InsightSource 'my trail' does not match/],
    ['InsightSource a trail name', { InsightSource: 'data-events' }, /'data-events' is not a trail ARN/],
    ['InsightSource another ARN', { InsightSource: 'arn:aws:s3:::my-bucket' }, /is not a trail ARN/],
    ['DataType missing', { DataType: undefined }, /DataType is required/],
    [
      'DataType unknown',
      { DataType: 'InsightsMetrics' },
      /DataType 'InsightsMetrics' is not valid; valid values: InsightsEvents/,
    ],
    ['Dimensions empty', { Dimensions: {} }, /Dimensions must contain exactly one item; got 0/],
    [
      'two Dimensions',
      { Dimensions: { EventName: 'GetObject', EventSource: 's3.amazonaws.com' } },
      /Dimensions must contain exactly one item; got 2/,
    ],
    [
      'an unknown dimension',
      { Dimensions: { Username: 'alice' } },
      /Dimensions key 'Username' is not valid; valid values: EventId, EventName, EventSource/,
    ],
    ['an empty dimension value', { Dimensions: { EventName: '' } }, /Dimensions.EventName must be between 1 and 2000/],
    ['MaxResults 0', { MaxResults: 0 }, /MaxResults must be between 1 and 50; got 0/],
    ['MaxResults 51', { MaxResults: 51 }, /MaxResults must be between 1 and 50; got 51/],
    ['NextToken of 3 characters', { NextToken: 'abc' }, /NextToken must be between 4 and 1000 characters long; got 3/],
    ['NextToken of 1001 characters', { NextToken: 'x'.repeat(1001) }, /NextToken must be between 4 and 1000/],
    [
      'NextToken forged',
      { NextToken: 'eyJvIjo1MH0.AAAA' },
      /NextToken is invalid, expired, or was issued for different/,
    ],
    [
      'StartTime after EndTime',
      { StartTime: new Date(FIXED_NOW - DAY_MS), EndTime: new Date(FIXED_NOW - 2 * DAY_MS) },
      /StartTime must be earlier than or equal to EndTime/,
    ],
  ])('%s → InvalidParameterException', async (_, input, message) => {
    const error = await errorOf(list(input));
    expect(error.name).toBe('InvalidParameterException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(error.message).toMatch(message);
  });

  test('a trail ARN naming no trail → TrailNotFoundException; another region’s single-region trail is none here', async () => {
    for (const InsightSource of [
      `arn:aws:cloudtrail:us-east-1:${account()}:trail/no-such-trail`,
      `arn:aws:cloudtrail:eu-west-1:${account()}:trail/data-events`,
      `arn:aws:cloudtrail:us-east-1:999999999999:trail/data-events`,
    ]) {
      const error = await errorOf(list({ InsightSource }));
      expect(error.name).toBe('TrailNotFoundException');
      expect(error.message).toContain(`Unknown trail: ${InsightSource}`);
    }
  });
});

describe('ListInsightsData events', () => {
  test('every data-event Insights event of the last 90 days, newest first, across pages without duplicates', async () => {
    const events = await allEvents({}, 50);
    const episodes = catalog.dataEvents.episodes;
    expect(episodes.length).toBeGreaterThan(30);
    const expected = episodes.length * 2 - episodes.filter((e) => e.endMs > FIXED_NOW).length;
    expect(events).toHaveLength(expected);
    expect(events.length).toBeGreaterThan(50); // more than one page
    expect(new Set(events.map((e) => e.EventId)).size).toBe(events.length);
    const times = events.map((e) => e.EventTime!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(events.map((e) => e.EventSource))).toEqual(
      new Set(['s3.amazonaws.com', 'lambda.amazonaws.com', 'dynamodb.amazonaws.com'])
    );
    // Any page size gives the same listing.
    expect((await allEvents({}, 7)).map((e) => e.EventId)).toEqual(events.map((e) => e.EventId));
  });

  test('the records have the Insights shape of LookupEvents, and LookupEvents does not list them', async () => {
    const events = await allEvents();
    const record = JSON.parse(events[0].CloudTrailEvent!);
    expect(record).toMatchObject({
      eventType: 'AwsCloudTrailInsight',
      eventCategory: 'Insight',
      eventID: events[0].EventId,
      awsRegion: 'us-east-1',
      recipientAccountId: catalog.accountId,
      insightDetails: {
        state: expect.stringMatching(/^(Start|End)$/),
        eventSource: events[0].EventSource,
        eventName: events[0].EventName,
        insightType: expect.stringMatching(/^Api(Call|Error)RateInsight$/),
        insightContext: {
          statistics: { baseline: { average: expect.any(Number) }, insight: { average: expect.any(Number) } },
          attributions: expect.any(Array),
        },
      },
    });
    const lookedUp = [];
    for await (const page of paginateLookupEvents({ client: cloudTrail(sim) }, { EventCategory: 'insight' })) {
      lookedUp.push(...(page.Events ?? []));
    }
    const ids = new Set(lookedUp.map((e) => e.EventId));
    expect(events.filter((e) => ids.has(e.EventId))).toEqual([]);
    const deletes = await cloudTrail(sim).send(
      new LookupEventsCommand({
        EventCategory: 'insight',
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DeleteObject' }],
      })
    );
    expect(deletes.Events).toEqual([]);
  });

  test.each(['EventName', 'EventSource', 'EventId'] as const)(
    'the %s dimension keeps the matching events',
    async (key) => {
      const all = await allEvents();
      const sample = all.find((e) => e.EventName === 'DeleteObject') ?? all[0];
      const value = sample[key]!;
      const filtered = await allEvents({ Dimensions: { [key]: value } });
      expect(filtered.length).toBeGreaterThan(0);
      expect(filtered.map((e) => e.EventId)).toEqual(all.filter((e) => e[key] === value).map((e) => e.EventId));
    }
  );

  test('StartTime and EndTime are inclusive; a StartTime older than 90 days is clipped', async () => {
    const all = await allEvents();
    const t = all[5].EventTime!;
    const exact = await allEvents({ StartTime: t, EndTime: t });
    expect(exact.map((e) => e.EventId)).toEqual(
      all.filter((e) => e.EventTime!.getTime() === t.getTime()).map((e) => e.EventId)
    );
    const old = await allEvents({ StartTime: new Date(FIXED_NOW - 400 * DAY_MS) });
    expect(old).toHaveLength(all.length);
  });

  test('a trail without data-event Insights has none to list', async () => {
    for (const InsightSource of [catalog.trailArn, catalog.trails.find((t) => t.isOrganizationTrail)!.trailArn]) {
      expect((await list({ InsightSource })).Events).toEqual([]);
    }
  });

  test('a token is bound to its parameters', async () => {
    const first = await list({ MaxResults: 5 });
    expect(first.NextToken!.length).toBeGreaterThanOrEqual(4);
    expect(first.NextToken!.length).toBeLessThanOrEqual(1000);
    const error = await errorOf(list({ NextToken: first.NextToken, Dimensions: { EventSource: 's3.amazonaws.com' } }));
    expect(error.name).toBe('InvalidParameterException');
    // MaxResults may change between pages.
    expect((await list({ NextToken: first.NextToken, MaxResults: 3 })).Events).toHaveLength(3);
  });

  test('an Insight’s metric has points with the data-event trail’s TrailName and none without', async () => {
    // One that ended, within the 15 days of 60 s points.
    const episode = catalog.dataEvents.episodes.find(
      (e) => e.startMs > FIXED_NOW - 14 * DAY_MS && e.endMs < FIXED_NOW - DAY_MS
    )!;
    const starts = await allEvents({
      Dimensions: { EventName: episode.eventName },
      StartTime: new Date(episode.startMs),
      EndTime: new Date(episode.startMs),
    });
    const start = starts.find((e) => JSON.parse(e.CloudTrailEvent!).sharedEventID === episode.insightId)!;
    const details = JSON.parse(start.CloudTrailEvent!).insightDetails;
    const metric = (TrailName?: string) =>
      cloudTrail(sim).send(
        new ListInsightsMetricDataCommand({
          TrailName,
          EventSource: episode.eventSource,
          EventName: episode.eventName,
          InsightType: episode.insightType,
          ErrorCode: episode.errorCode,
          Period: 60,
          DataType: 'FillWithZeros',
          StartTime: new Date(episode.startMs),
          EndTime: new Date(episode.endMs),
        })
      );
    for (const TrailName of [catalog.dataEvents.trailName, dataTrail]) {
      const withTrail = await metric(TrailName);
      expect(withTrail.TrailARN).toBe(dataTrail);
      expect(withTrail.Timestamps!.length).toBeGreaterThan(0);
      // The Start event's insight average is the first minute's count.
      expect(withTrail.Timestamps![0].getTime()).toBe(episode.startMs);
      expect(withTrail.Values![0]).toBe(details.insightContext.statistics.insight.average);
    }
    const without = await metric(undefined);
    expect(without.TrailARN).toBeUndefined();
    expect(without.Timestamps!.length).toBe((episode.endMs - episode.startMs) / 60_000);
    expect(new Set(without.Values)).toEqual(new Set([0]));
    const nonZero = await cloudTrail(sim).send(
      new ListInsightsMetricDataCommand({
        EventSource: episode.eventSource,
        EventName: episode.eventName,
        InsightType: episode.insightType,
        ErrorCode: episode.errorCode,
        Period: 60,
        StartTime: new Date(episode.startMs),
        EndTime: new Date(episode.endMs),
      })
    );
    expect(nonZero.Timestamps).toEqual([]);
  });
});
