// The awsJson1_1 front end: both target spellings, unknown operations, AWS-shaped error envelopes,
// request ids, and the runtime control endpoints.
import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { startSimulator } from '../index';
import { cloudTrail, FIXED_NOW, rawCall } from '../testSupport';
import type { RunningSimulator } from '../types';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ now: () => FIXED_NOW, quotas: false });
});
afterAll(() => sim.stop());
beforeEach(() => sim.resetCounts());

const json = async (r: Response): Promise<any> => r.json();

const body = JSON.stringify({
  EventSource: 'ec2.amazonaws.com',
  EventName: 'RunInstances',
  InsightType: 'ApiCallRateInsight',
  Period: 3600,
  DataType: 'FillWithZeros',
  StartTime: (FIXED_NOW - 86_400_000) / 1000,
});

test("botocore's target spelling and the JS SDK's give the same answer", async () => {
  const botocore = await rawCall(sim, {
    target: 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.ListInsightsMetricData',
    body,
  });
  const js = await rawCall(sim, { target: 'CloudTrail_20131101.ListInsightsMetricData', body });
  expect(botocore.status).toBe(200);
  expect(botocore.headers.get('content-type')).toBe('application/x-amz-json-1.1');
  expect(botocore.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  expect(botocore.json.Timestamps).toHaveLength(24);
  expect(botocore.json.Timestamps).toEqual(js.json.Timestamps);
  expect(botocore.json.Values).toEqual(js.json.Values);
  expect(typeof (botocore.json.Timestamps as unknown[])[0]).toBe('number'); // epoch seconds
  expect(sim.calls()).toEqual({ ListInsightsMetricData: 2 });
});

test("ListInsightsData answers botocore's target spelling as the JS SDK's", async () => {
  const catalog = sim.catalog('us-east-1', sim.accountIdFor('AKIATESTSIMULATOR01'));
  const request = JSON.stringify({
    InsightSource: catalog.dataEvents.trailArn,
    DataType: 'InsightsEvents',
    MaxResults: 2,
  });
  const botocore = await rawCall(sim, {
    target: 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.ListInsightsData',
    body: request,
  });
  const js = await rawCall(sim, { target: 'CloudTrail_20131101.ListInsightsData', body: request });
  expect(botocore.status).toBe(200);
  expect(botocore.json.Events).toHaveLength(2);
  expect(botocore.json.Events).toEqual(js.json.Events);
  expect(typeof (botocore.json.Events as Array<{ EventTime: unknown }>)[0].EventTime).toBe('number');
  expect(sim.calls()).toEqual({ ListInsightsData: 2 });
});

test.each([
  ['an operation CloudTrail has but the simulator does not', 'CloudTrail_20131101.CreateTrail'],
  ['a made-up operation', 'CloudTrail_20131101.ListEverything'],
  ["another service's target", 'DynamoDB_20120810.ListTables'],
])('%s → UnknownOperationException', async (_, target) => {
  const response = await rawCall(sim, { target });
  expect(response.status).toBe(400);
  expect(response.json.__type).toBe('com.amazon.coral.service#UnknownOperationException');
  expect(response.headers.get('x-amzn-errortype')).toMatch(/^UnknownOperationException:/);
  expect(sim.calls()).toEqual({});
});

test('a request without X-Amz-Target → UnknownOperationException', async () => {
  expect((await rawCall(sim, {})).json.__type).toBe('com.amazon.coral.service#UnknownOperationException');
});

test('modelled errors carry the service namespace in __type and the SDK maps them to their classes', async () => {
  const response = await rawCall(sim, {
    target: 'CloudTrail_20131101.ListInsightsMetricData',
    body: JSON.stringify({ EventSource: 'x' }),
  });
  expect(response.json).toEqual({
    __type: 'com.amazonaws.cloudtrail.v20131101#InvalidParameterException',
    message: "EventSource 'x' does not match the pattern ^[a-z0-9_-]+\\.amazonaws\\.com$.",
  });
});

test('calls are counted per operation and reset on demand', async () => {
  await cloudTrail(sim).send(new DescribeTrailsCommand({}));
  await cloudTrail(sim).send(new DescribeTrailsCommand({}));
  expect(sim.calls()).toEqual({ DescribeTrails: 2 });
  expect(sim.throttled()).toEqual({});
  sim.resetCounts();
  expect(sim.calls()).toEqual({});
});

test('control endpoints report counts and switch faults at runtime', async () => {
  await cloudTrail(sim).send(new DescribeTrailsCommand({}));
  expect(await json(await fetch(`${sim.url}/__simulator/calls`))).toEqual({
    calls: { DescribeTrails: 1 },
    throttled: {},
  });
  const faults = await json(
    await fetch(`${sim.url}/__simulator/faults`, { method: 'POST', body: JSON.stringify({ insightsDisabled: true }) })
  );
  expect(faults.insightsDisabled).toBe(true);
  expect(sim.faults().insightsDisabled).toBe(true);
  const bad = await fetch(`${sim.url}/__simulator/faults`, {
    method: 'POST',
    body: JSON.stringify({ serverError: { rate: 2 } }),
  });
  expect(bad.status).toBe(400);
  expect((await json(bad)).message).toMatch(/fault rate must be within \[0, 1\]/);
  sim.setFaults({ insightsDisabled: false });
  await fetch(`${sim.url}/__simulator/reset`, { method: 'POST' });
  expect(sim.calls()).toEqual({});
  expect(await json(await fetch(`${sim.url}/__simulator/health`))).toEqual({ status: 'ok' });
  const catalog = await json(await fetch(`${sim.url}/__simulator/catalog?region=eu-west-1`));
  expect(catalog.region).toBe('eu-west-1');
  expect(catalog.series.length).toBeGreaterThan(20);
});
