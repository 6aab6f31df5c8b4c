// The accessDenied fault through the real SDKs: the error name, status and AWS's wording, with the IAM
// action AWS checks (ListInsightsMetricData is authorised by cloudtrail:LookupEvents).
import {
  DescribeTrailsCommand,
  GetInsightSelectorsCommand,
  ListInsightsDataCommand,
  ListInsightsMetricDataCommand,
  LookupEventsCommand,
} from '@aws-sdk/client-cloudtrail';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startSimulator } from '../index';
import { cloudTrail, errorOf, FIXED_NOW, rawCall, sts, TEST_KEY } from '../testSupport';
import type { RunningSimulator } from '../types';

const ACCOUNT = '111122223333';
const USER = `arn:aws:iam::${ACCOUNT}:user/simulator-user`;
const denial = (action: string, resource: string) =>
  `User: ${USER} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

let sim: RunningSimulator;
beforeEach(async () => {
  sim = await startSimulator({ now: () => FIXED_NOW, credentials: [{ ...TEST_KEY, accountId: ACCOUNT }] });
});
afterEach(() => sim.stop());

const metricInput = {
  EventSource: 'ec2.amazonaws.com',
  EventName: 'RunInstances',
  InsightType: 'ApiCallRateInsight' as const,
  Period: 3600,
  StartTime: new Date(FIXED_NOW - 86_400_000),
};

test('DescribeTrails denied: HTTP 400 AccessDeniedException naming cloudtrail:DescribeTrails; others still answer', async () => {
  sim.setFaults({ accessDenied: { operations: ['DescribeTrails'] } });
  const error = await errorOf(cloudTrail(sim).send(new DescribeTrailsCommand({})));
  expect(error.name).toBe('AccessDeniedException');
  expect(error.$metadata?.httpStatusCode).toBe(400);
  expect(error.message).toBe(denial('cloudtrail:DescribeTrails', '*'));
  await cloudTrail(sim).send(new GetInsightSelectorsCommand({ TrailName: 'management-events' }));
  expect(sim.calls()).toEqual({ DescribeTrails: 1, GetInsightSelectors: 1 });
});

test('GetInsightSelectors denied: the resource is the trail, whether named or given by ARN', async () => {
  sim.setFaults({ accessDenied: { operations: ['GetInsightSelectors'] } });
  const arn = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/management-events`;
  for (const TrailName of ['management-events', arn]) {
    const error = await errorOf(
      cloudTrail(sim, { region: 'eu-west-1' }).send(new GetInsightSelectorsCommand({ TrailName }))
    );
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toBe(denial('cloudtrail:GetInsightSelectors', arn));
  }
});

test('ListInsightsMetricData denied is named cloudtrail:LookupEvents; LookupEvents itself may still be allowed', async () => {
  sim.setFaults({ accessDenied: { operations: ['ListInsightsMetricData'] } });
  const error = await errorOf(cloudTrail(sim).send(new ListInsightsMetricDataCommand(metricInput)));
  expect(error.name).toBe('AccessDeniedException');
  expect(error.message).toBe(denial('cloudtrail:LookupEvents', '*'));
  await cloudTrail(sim).send(new LookupEventsCommand({ EventCategory: 'insight' }));
});

test('ListInsightsData denied is named cloudtrail:ListInsightsData on the trail', async () => {
  sim.setFaults({ accessDenied: { operations: ['ListInsightsData'] } });
  const trail = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/data-events`;
  const error = await errorOf(
    cloudTrail(sim).send(new ListInsightsDataCommand({ InsightSource: trail, DataType: 'InsightsEvents' }))
  );
  expect(error.name).toBe('AccessDeniedException');
  expect(error.message).toBe(denial('cloudtrail:ListInsightsData', trail));
});

test('without cloudtrail:ListInsightsData, ListInsightsMetricData is refused with a TrailName and answers without one', async () => {
  sim.setFaults({ accessDenied: { operations: ['ListInsightsData'] } });
  for (const TrailName of ['data-events', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/data-events`]) {
    const error = await errorOf(cloudTrail(sim).send(new ListInsightsMetricDataCommand({ ...metricInput, TrailName })));
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toBe(
      denial('cloudtrail:ListInsightsData', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/data-events`)
    );
  }
  await cloudTrail(sim).send(new ListInsightsMetricDataCommand(metricInput));
  expect(sim.calls()).toEqual({ ListInsightsMetricData: 3 });
});

test('true denies every CloudTrail operation, before input validation and quotas; false lifts it', async () => {
  sim.setFaults({ accessDenied: true });
  const invalid = await errorOf(cloudTrail(sim).send(new GetInsightSelectorsCommand({})));
  expect(invalid.name).toBe('AccessDeniedException');
  expect(invalid.message).toBe(denial('cloudtrail:GetInsightSelectors', '*'));
  // Three calls inside the 1 TPS quota: a denial does not spend it.
  for (let i = 0; i < 3; i++) {
    expect((await errorOf(cloudTrail(sim).send(new ListInsightsMetricDataCommand(metricInput)))).name).toBe(
      'AccessDeniedException'
    );
  }
  expect(sim.throttled()).toEqual({});
  sim.setFaults({ accessDenied: false });
  await cloudTrail(sim).send(new ListInsightsMetricDataCommand(metricInput));
});

test('the wire answer: __type without namespace and the x-amzn-ErrorType header', async () => {
  sim.setFaults({ accessDenied: { operations: ['LookupEvents'] } });
  const answer = await rawCall(sim, { target: 'CloudTrail_20131101.LookupEvents' });
  expect(answer.status).toBe(400);
  expect(answer.json).toEqual({ __type: 'AccessDeniedException', message: denial('cloudtrail:LookupEvents', '*') });
  expect(answer.headers.get('x-amzn-errortype')).toMatch(/^AccessDeniedException:/);
});

test('STS: AssumeRole denied with 403 AccessDenied naming the role; GetCallerIdentity needs no permission', async () => {
  sim.setFaults({ accessDenied: { operations: ['AssumeRole'] } });
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/grafana-reader`;
  const error = await errorOf(sts(sim).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'grafana' })));
  expect(error.name).toBe('AccessDenied');
  expect(error.$metadata?.httpStatusCode).toBe(403);
  expect(error.message).toBe(denial('sts:AssumeRole', roleArn));
  sim.setFaults({ accessDenied: true });
  expect((await sts(sim).send(new GetCallerIdentityCommand({}))).Arn).toBe(USER);
});

test('a misspelt operation is refused, through setFaults and the control endpoint', async () => {
  expect(() => sim.setFaults({ accessDenied: { operations: ['DescribeTrail'] } })).toThrow(
    /fault operations must be among .*DescribeTrails.*; got DescribeTrail$/
  );
  const refused = await fetch(`${sim.url}/__simulator/faults`, {
    method: 'POST',
    body: JSON.stringify({ accessDenied: { operations: ['Describe'] } }),
  });
  expect(refused.status).toBe(400);
  const accepted = await fetch(`${sim.url}/__simulator/faults`, {
    method: 'POST',
    body: JSON.stringify({ accessDenied: { operations: ['DescribeTrails'] } }),
  });
  expect(((await accepted.json()) as { accessDenied: unknown }).accessDenied).toEqual({
    operations: ['DescribeTrails'],
  });
  expect((await errorOf(cloudTrail(sim).send(new DescribeTrailsCommand({})))).name).toBe('AccessDeniedException');
});
