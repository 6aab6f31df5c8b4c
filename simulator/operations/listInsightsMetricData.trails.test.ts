// ListInsightsMetricData and TrailName through the real SDK: data-event series answer only with the
// TrailName (name or ARN) of the trail that logs them, and then carry TrailARN; management series answer
// with or without a TrailName; a trail answers only the categories and types its selectors turn on.
import { ListInsightsMetricDataCommand, type ListInsightsMetricDataCommandInput } from '@aws-sdk/client-cloudtrail';
import { startSimulator } from '../index';
import { cloudTrail, DAY_MS, errorOf, FIXED_NOW, TEST_KEY } from '../testSupport';
import type { Catalog, RunningSimulator, SeriesInfo } from '../types';

let sim: RunningSimulator;
let catalog: Catalog;
beforeAll(async () => {
  sim = await startSimulator({ now: () => FIXED_NOW, quotas: false, seed: 'metric-trail-tests' });
  catalog = sim.catalog('us-east-1', sim.accountIdFor(TEST_KEY.accessKeyId));
});
afterAll(() => sim.stop());

const window = { Period: 300, StartTime: new Date(FIXED_NOW - 7 * DAY_MS) };
const metric = (series: SeriesInfo, input: Partial<ListInsightsMetricDataCommandInput> = {}, region = 'us-east-1') =>
  cloudTrail(sim, { region }).send(
    new ListInsightsMetricDataCommand({
      EventSource: series.eventSource,
      EventName: series.eventName,
      InsightType: series.insightType,
      ErrorCode: series.errorCode,
      ...window,
      ...input,
    })
  );
const dataSeries = (eventName: string, insightType = 'ApiCallRateInsight') =>
  catalog.dataEvents.series.find((s) => s.eventName === eventName && s.insightType === insightType)!;

test('the catalog: management series hold no data events; the data-event trail logs S3, Lambda and DynamoDB', () => {
  const names = (list: SeriesInfo[]) => list.map((s) => `${s.eventSource} ${s.eventName} ${s.errorCode ?? ''}`.trim());
  expect(names(catalog.series)).not.toEqual(
    expect.arrayContaining([expect.stringMatching(/DeleteObject|GetObject|Invoke$/)])
  );
  expect(names(catalog.dataEvents.series)).toEqual(
    expect.arrayContaining([
      's3.amazonaws.com DeleteObject',
      's3.amazonaws.com GetObject',
      'lambda.amazonaws.com Invoke',
      'dynamodb.amazonaws.com PutItem',
      'dynamodb.amazonaws.com DeleteItem',
      's3.amazonaws.com DeleteObject AccessDenied',
    ])
  );
  expect(catalog.dataEvents).toMatchObject({
    trailName: 'data-events',
    trailArn: expect.stringMatching(/:trail\/data-events$/),
  });
});

test.each([
  ['s3 DeleteObject', 'DeleteObject', 'ApiCallRateInsight'],
  ['lambda Invoke', 'Invoke', 'ApiCallRateInsight'],
  ['dynamodb PutItem', 'PutItem', 'ApiCallRateInsight'],
  ['s3 DeleteObject AccessDenied', 'DeleteObject', 'ApiErrorRateInsight'],
])(
  '%s: points with the data-event trail (name or ARN) and its TrailARN; none without a TrailName',
  async (_, name, type) => {
    const series = dataSeries(name, type);
    const byName = await metric(series, { TrailName: 'data-events', DataType: 'FillWithZeros' });
    expect(byName.TrailARN).toBe(catalog.dataEvents.trailArn);
    expect(byName.Values!.some((v) => v > 0)).toBe(true);
    const byArn = await metric(series, { TrailName: catalog.dataEvents.trailArn, DataType: 'FillWithZeros' });
    expect(byArn).toMatchObject({ TrailARN: catalog.dataEvents.trailArn, Values: byName.Values });
    // Without TrailName: a valid answer for a series without management activity.
    const without = await metric(series);
    expect(without.TrailARN).toBeUndefined();
    expect(without.Values).toEqual([]);
    const filled = await metric(series, { DataType: 'FillWithZeros' });
    expect(filled.Values).toHaveLength(byName.Values!.length);
    expect(new Set(filled.Values)).toEqual(new Set([0]));
  }
);

test('a data-event series on a trail that logs no data events has no points, and the ARN is still echoed', async () => {
  const out = await metric(dataSeries('GetObject'), { TrailName: 'management-events' });
  expect(out).toMatchObject({ TrailARN: catalog.trailArn, Values: [] });
});

test('management series answer the same with or without a TrailName of a trail with management Insights', async () => {
  const runInstances = catalog.series.find((s) => s.eventName === 'RunInstances')!;
  const reference = await metric(runInstances, { DataType: 'FillWithZeros' });
  expect(reference.TrailARN).toBeUndefined();
  expect(reference.Values!.some((v) => v > 0)).toBe(true);
  for (const TrailName of ['management-events', 'data-events', catalog.dataEvents.trailArn]) {
    const out = await metric(runInstances, { TrailName, DataType: 'FillWithZeros' });
    expect(out.Values).toEqual(reference.Values);
    expect(out.TrailARN).toMatch(/^arn:aws:cloudtrail:us-east-1:\d{12}:trail\//);
  }
});

test('the organization trail (error-rate Insights on management events only), named by ARN from another region', async () => {
  const org = catalog.trails.find((t) => t.isOrganizationTrail)!;
  expect(org).toMatchObject({
    homeRegion: 'us-east-1',
    trailArn: expect.stringMatching(/:trail\/organization-trail$/),
  });
  const west = sim.catalog('eu-west-1', catalog.accountId);
  const errors = west.series.find((s) => s.insightType === 'ApiErrorRateInsight')!;
  const calls = west.series.find((s) => s.insightType === 'ApiCallRateInsight')!;
  const reference = await metric(errors, {}, 'eu-west-1');
  expect(reference.Values!.length).toBeGreaterThan(0);
  const viaOrg = await metric(errors, { TrailName: org.trailArn }, 'eu-west-1');
  expect(viaOrg).toMatchObject({ TrailARN: org.trailArn, Values: reference.Values });
  expect((await metric(calls, { TrailName: org.trailArn }, 'eu-west-1')).Values).toEqual([]);
  const byName = await errorOf(metric(errors, { TrailName: 'organization-trail' }, 'eu-west-1'));
  expect(byName.name).toBe('TrailNotFoundException');
});
