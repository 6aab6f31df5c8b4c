// DescribeTrails and GetInsightSelectors as the backend's health check uses them.
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

test('DescribeTrails lists one multi-region trail with Insights selectors, in the configured account and the signed region', async () => {
  const out = await client().send(new DescribeTrailsCommand({}));
  expect(out.trailList).toEqual([
    expect.objectContaining({
      Name: 'management-events',
      TrailARN: 'arn:aws:cloudtrail:eu-central-1:111122223333:trail/management-events',
      HomeRegion: 'eu-central-1',
      IsMultiRegionTrail: true,
      HasInsightSelectors: true,
    }),
  ]);
  expect((await client().send(new DescribeTrailsCommand({ trailNameList: ['someone-else'] }))).trailList).toEqual([]);
  expect(
    (await client().send(new DescribeTrailsCommand({ trailNameList: ['management-events'] }))).trailList
  ).toHaveLength(1);
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

test.each([
  [{}, 'InvalidParameterCombinationException', /either a TrailName or an EventDataStore/],
  [{ TrailName: 'x' }, 'InvalidTrailNameException', /Trail name 'x' is not valid/],
  [{ TrailName: 'missing-trail' }, 'TrailNotFoundException', /Unknown trail: missing-trail/],
])('GetInsightSelectors(%j) → %s', async (input, name, message) => {
  const error = await errorOf(client().send(new GetInsightSelectorsCommand(input)));
  expect(error.name).toBe(name);
  expect(error.message).toMatch(message);
});
