// DescribeTrails and GetInsightSelectors as the backend's health check and trail picker use them: the
// management-events trail, the data-event trail, the organization trail and its shadows, and an event
// data store with Insights.
import { DescribeTrailsCommand, GetInsightSelectorsCommand } from '@aws-sdk/client-cloudtrail';
import { startSimulator } from '../index';
import { cloudTrail, errorOf, FIXED_NOW } from '../testSupport';
import type { RunningSimulator } from '../types';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({
    now: () => FIXED_NOW,
    quotas: false,
    credentials: [{ accessKeyId: 'AKIAACCOUNTKEY', secretAccessKey: 'secret', accountId: '111122223333' }],
  });
});
afterAll(() => sim.stop());

const client = (region = 'eu-central-1') =>
  cloudTrail(sim, { region, credentials: { accessKeyId: 'AKIAACCOUNTKEY', secretAccessKey: 'secret' } });
const arn = (region: string, name: string) => `arn:aws:cloudtrail:${region}:111122223333:trail/${name}`;
const ORG_ARN = arn('us-east-1', 'organization-trail');

test('DescribeTrails lists the multi-region management-events trail first, with Insights selectors, in the configured account and the signed region', async () => {
  const out = await client().send(new DescribeTrailsCommand({}));
  expect(out.trailList?.[0]).toEqual(
    expect.objectContaining({
      Name: 'management-events',
      TrailARN: 'arn:aws:cloudtrail:eu-central-1:111122223333:trail/management-events',
      HomeRegion: 'eu-central-1',
      IsMultiRegionTrail: true,
      HasInsightSelectors: true,
    })
  );
  expect(out.trailList?.map((t) => t.Name)).toEqual(['management-events', 'data-events', 'organization-trail']);
  expect((await client().send(new DescribeTrailsCommand({ trailNameList: ['someone-else'] }))).trailList).toEqual([]);
  expect(
    (await client().send(new DescribeTrailsCommand({ trailNameList: ['management-events'] }))).trailList
  ).toHaveLength(1);
});

test('the data-event trail: single-region, custom (data) event selectors, Insights on', async () => {
  const out = await client().send(new DescribeTrailsCommand({ trailNameList: ['data-events'] }));
  expect(out.trailList).toEqual([
    {
      Name: 'data-events',
      S3BucketName: 'aws-cloudtrail-logs-111122223333-data-events',
      IncludeGlobalServiceEvents: false,
      IsMultiRegionTrail: false,
      HomeRegion: 'eu-central-1',
      TrailARN: arn('eu-central-1', 'data-events'),
      LogFileValidationEnabled: true,
      HasCustomEventSelectors: true,
      HasInsightSelectors: true,
      IsOrganizationTrail: false,
    },
  ]);
});

test('the organization trail is a home trail in us-east-1 and a shadow elsewhere, listed unless includeShadowTrails is false', async () => {
  const home = await client('us-east-1').send(new DescribeTrailsCommand({ includeShadowTrails: false }));
  expect(home.trailList?.map((t) => t.TrailARN)).toEqual([
    arn('us-east-1', 'management-events'),
    arn('us-east-1', 'data-events'),
    ORG_ARN,
  ]);
  expect(home.trailList?.[2]).toMatchObject({
    Name: 'organization-trail',
    HomeRegion: 'us-east-1',
    IsMultiRegionTrail: true,
    IsOrganizationTrail: true,
    HasInsightSelectors: true,
  });
  for (const includeShadowTrails of [undefined, true]) {
    const shadows = await client().send(new DescribeTrailsCommand({ includeShadowTrails }));
    expect(shadows.trailList?.[2]).toMatchObject({
      Name: 'organization-trail',
      TrailARN: ORG_ARN,
      HomeRegion: 'us-east-1',
    });
  }
  const noShadows = await client().send(new DescribeTrailsCommand({ includeShadowTrails: false }));
  expect(noShadows.trailList?.map((t) => t.Name)).toEqual(['management-events', 'data-events']);
});

test('a trail of another region is named by its ARN: its name alone matches only trails homed here', async () => {
  const byName = await client().send(new DescribeTrailsCommand({ trailNameList: ['organization-trail'] }));
  expect(byName.trailList).toEqual([]);
  const byArn = await client().send(
    new DescribeTrailsCommand({ trailNameList: [ORG_ARN], includeShadowTrails: false })
  );
  expect(byArn.trailList?.map((t) => t.TrailARN)).toEqual([ORG_ARN]);
  expect(
    (await client('us-east-1').send(new DescribeTrailsCommand({ trailNameList: ['organization-trail'] }))).trailList
  ).toHaveLength(1);
  // Another region's single-region trail is not seen from here at all.
  const elsewhere = await client().send(
    new DescribeTrailsCommand({ trailNameList: [arn('eu-west-1', 'data-events')] })
  );
  expect(elsewhere.trailList).toEqual([]);
});

test.each([
  [['a--b'], 'InvalidTrailNameException', /Trail name 'a--b' is not valid/],
  [['arn:aws:cloudtrail:us-east-1:bad'], 'CloudTrailARNInvalidException', /is not a valid trail ARN/],
])('DescribeTrails(trailNameList %j) → %s', async (trailNameList, name, message) => {
  const error = await errorOf(client().send(new DescribeTrailsCommand({ trailNameList })));
  expect(error.name).toBe(name);
  expect(error.message).toMatch(message);
});

test('GetInsightSelectors returns both Insights types for the trail, by name or ARN', async () => {
  for (const TrailName of [
    'management-events',
    'arn:aws:cloudtrail:eu-central-1:111122223333:trail/management-events',
  ]) {
    const out = await client().send(new GetInsightSelectorsCommand({ TrailName }));
    expect(out.TrailARN).toBe('arn:aws:cloudtrail:eu-central-1:111122223333:trail/management-events');
    expect(out.InsightSelectors?.map((s) => s.InsightType)).toEqual(['ApiCallRateInsight', 'ApiErrorRateInsight']);
  }
});

test('GetInsightSelectors gives the event categories of each selector, per trail', async () => {
  const selectors = async (TrailName: string) =>
    (await client().send(new GetInsightSelectorsCommand({ TrailName }))).InsightSelectors;
  expect(await selectors('management-events')).toEqual([
    { InsightType: 'ApiCallRateInsight', EventCategories: ['Management'] },
    { InsightType: 'ApiErrorRateInsight', EventCategories: ['Management'] },
  ]);
  expect(await selectors('data-events')).toEqual([
    { InsightType: 'ApiCallRateInsight', EventCategories: ['Management', 'Data'] },
    { InsightType: 'ApiErrorRateInsight', EventCategories: ['Management', 'Data'] },
  ]);
  // The organization trail, a shadow here, by its ARN.
  const org = await client().send(new GetInsightSelectorsCommand({ TrailName: ORG_ARN }));
  expect(org).toMatchObject({
    TrailARN: ORG_ARN,
    InsightSelectors: [{ InsightType: 'ApiErrorRateInsight', EventCategories: ['Management'] }],
  });
});

test('GetInsightSelectors on an event data store (by ARN or ID) returns its ARN and Insights destination', async () => {
  const [source, destination] = sim.catalog('eu-central-1').eventDataStores;
  const id = source.eventDataStoreArn.split('/').pop()!;
  expect(source.eventDataStoreArn).toMatch(
    /^arn:aws:cloudtrail:eu-central-1:111122223333:eventdatastore\/[0-9a-f-]{36}$/
  );
  for (const EventDataStore of [source.eventDataStoreArn, id]) {
    const out = await client().send(new GetInsightSelectorsCommand({ EventDataStore }));
    expect(out).toMatchObject({
      EventDataStoreArn: source.eventDataStoreArn,
      InsightsDestination: destination.eventDataStoreArn,
      InsightSelectors: [
        { InsightType: 'ApiCallRateInsight', EventCategories: ['Management'] },
        { InsightType: 'ApiErrorRateInsight', EventCategories: ['Management'] },
      ],
    });
    expect(out.TrailARN).toBeUndefined();
  }
  const error = await errorOf(
    client().send(new GetInsightSelectorsCommand({ EventDataStore: destination.eventDataStoreArn }))
  );
  expect(error.name).toBe('InsightNotEnabledException');
  expect(error.message).toMatch(/^Event data store arn:.* does not have Insights enabled/);
});

test.each([
  [{}, 'InvalidParameterCombinationException', /either a TrailName or an EventDataStore/],
  [
    { TrailName: 'management-events', EventDataStore: 'arn:aws:cloudtrail:eu-central-1:111122223333:eventdatastore/x' },
    'InvalidParameterCombinationException',
    /cannot specify both a TrailName and an EventDataStore/,
  ],
  [{ TrailName: 'x' }, 'InvalidTrailNameException', /Trail name 'x' is not valid/],
  [{ TrailName: 'missing-trail' }, 'TrailNotFoundException', /Unknown trail: missing-trail/],
  [{ TrailName: 'organization-trail' }, 'TrailNotFoundException', /Unknown trail: organization-trail/],
  [{ EventDataStore: 'no store' }, 'InvalidParameterException', /EventDataStore 'no store' does not match/],
  [{ EventDataStore: 'missing-store' }, 'EventDataStoreNotFoundException', /missing-store was not found/],
])('GetInsightSelectors(%j) → %s', async (input, name, message) => {
  const error = await errorOf(client().send(new GetInsightSelectorsCommand(input)));
  expect(error.name).toBe(name);
  expect(error.message).toMatch(message);
});
