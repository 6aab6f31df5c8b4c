// An organization: the management account owns the organization trail; member accounts see it as a
// shadow trail and may not read its Insights data; delegated administrators may. Accounts outside the
// configured organization manage an organization of their own.
import {
  DescribeTrailsCommand,
  GetInsightSelectorsCommand,
  ListInsightsDataCommand,
  ListInsightsMetricDataCommand,
} from '@aws-sdk/client-cloudtrail';
import { startSimulator } from '../index';
import { cloudTrail, errorOf, FIXED_NOW } from '../testSupport';
import type { RunningSimulator } from '../types';

const MANAGEMENT = '111111111111';
const MEMBER = '222222222222';
const ADMIN = '333333333333';
const OUTSIDER = '444444444444';
const ORG_TRAIL = `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/organization-trail`;
const keyOf = (account: string) => ({ accessKeyId: `AKIA${account}`, secretAccessKey: `secret-${account}` });

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({
    now: () => FIXED_NOW,
    quotas: false,
    credentials: [MANAGEMENT, MEMBER, ADMIN, OUTSIDER].map((accountId) => ({ ...keyOf(accountId), accountId })),
    organization: {
      managementAccountId: MANAGEMENT,
      memberAccountIds: [MEMBER],
      delegatedAdministratorAccountIds: [ADMIN],
    },
  });
});
afterAll(() => sim.stop());

const as = (account: string, region = 'us-east-1') => cloudTrail(sim, { region, credentials: keyOf(account) });
const arns = async (account: string, includeShadowTrails?: boolean, region = 'us-east-1') =>
  (await as(account, region).send(new DescribeTrailsCommand({ includeShadowTrails }))).trailList?.map(
    (t) => t.TrailARN
  );

test('the management account sees its organization trail as a home trail in us-east-1', async () => {
  expect(await arns(MANAGEMENT, false)).toContain(ORG_TRAIL);
  const [trail] = (await as(MANAGEMENT).send(new DescribeTrailsCommand({ trailNameList: ['organization-trail'] })))
    .trailList!;
  expect(trail).toMatchObject({
    TrailARN: ORG_TRAIL,
    IsOrganizationTrail: true,
    IsMultiRegionTrail: true,
    HomeRegion: 'us-east-1',
  });
});

test('a member sees the organization trail only as a shadow, in every region, under its ARN in the management account', async () => {
  for (const region of ['us-east-1', 'ap-southeast-2']) {
    expect(await arns(MEMBER, undefined, region)).toEqual([
      `arn:aws:cloudtrail:${region}:${MEMBER}:trail/management-events`,
      `arn:aws:cloudtrail:${region}:${MEMBER}:trail/data-events`,
      ORG_TRAIL,
    ]);
    expect(await arns(MEMBER, false, region)).toHaveLength(2);
  }
  // Its name is not one of the member's trails.
  expect(
    (await as(MEMBER).send(new DescribeTrailsCommand({ trailNameList: ['organization-trail'] }))).trailList
  ).toEqual([]);
  // Its settings may be read.
  expect((await as(MEMBER).send(new GetInsightSelectorsCommand({ TrailName: ORG_TRAIL }))).TrailARN).toBe(ORG_TRAIL);
});

test('only the management account and delegated administrators may read the organization trail’s Insights data', async () => {
  const listing = (account: string) =>
    as(account).send(new ListInsightsDataCommand({ InsightSource: ORG_TRAIL, DataType: 'InsightsEvents' }));
  const metric = (account: string) =>
    as(account).send(
      new ListInsightsMetricDataCommand({
        TrailName: ORG_TRAIL,
        EventSource: 'sts.amazonaws.com',
        EventName: 'AssumeRole',
        InsightType: 'ApiErrorRateInsight',
        ErrorCode: 'AccessDenied',
      })
    );
  for (const account of [MANAGEMENT, ADMIN]) {
    expect((await listing(account)).Events).toEqual([]);
    expect((await metric(account)).TrailARN).toBe(ORG_TRAIL);
  }
  for (const call of [listing, metric]) {
    const error = await errorOf(call(MEMBER));
    expect(error.name).toBe('OperationNotPermittedException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
    expect(error.message).toMatch(
      /on organization trail .* is only permitted for the organization's management account or a delegated administrator account/
    );
  }
});

test("a member's own data-event trail is its own; another account's trail is not found", async () => {
  const own = `arn:aws:cloudtrail:us-east-1:${MEMBER}:trail/data-events`;
  const out = await as(MEMBER).send(
    new ListInsightsDataCommand({ InsightSource: own, DataType: 'InsightsEvents', MaxResults: 3 })
  );
  expect(out.Events).toHaveLength(3);
  const error = await errorOf(
    as(MEMBER).send(
      new ListInsightsDataCommand({
        InsightSource: `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/data-events`,
        DataType: 'InsightsEvents',
      })
    )
  );
  expect(error.name).toBe('TrailNotFoundException');
});

test('an account outside the organization manages an organization of its own', async () => {
  expect(await arns(OUTSIDER, false)).toContain(`arn:aws:cloudtrail:us-east-1:${OUTSIDER}:trail/organization-trail`);
  expect(await arns(OUTSIDER)).not.toContain(ORG_TRAIL);
  expect(sim.catalog('us-east-1', MEMBER).trails.find((t) => t.isOrganizationTrail)).toMatchObject({
    trailArn: ORG_TRAIL,
    accountId: MANAGEMENT,
    shadow: true,
  });
});
