// Every validation rule and retention boundary of ListInsightsMetricData, through the real SDK.
import { ListInsightsMetricDataCommand, type ListInsightsMetricDataCommandInput } from '@aws-sdk/client-cloudtrail';
import { startSimulator } from '../index';
import { cloudTrail, DAY_MS, errorOf, FIXED_NOW, rawCall } from '../testSupport';
import type { RunningSimulator } from '../types';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ now: () => FIXED_NOW, quotas: false });
});
afterAll(() => sim.stop());

const base: ListInsightsMetricDataCommandInput = {
  EventSource: 'ec2.amazonaws.com',
  EventName: 'RunInstances',
  InsightType: 'ApiCallRateInsight',
};
const send = (input: Partial<Record<keyof ListInsightsMetricDataCommandInput, unknown>>) =>
  cloudTrail(sim).send(new ListInsightsMetricDataCommand({ ...base, ...input } as ListInsightsMetricDataCommandInput));

async function expectInvalid(input: Parameters<typeof send>[0], message: RegExp, name = 'InvalidParameterException') {
  const error = await errorOf(send(input));
  expect(error.name).toBe(name);
  expect(error.$metadata?.httpStatusCode).toBe(name === 'TrailNotFoundException' ? 404 : 400);
  expect(error.message).toMatch(message);
}

describe('ListInsightsMetricData validation', () => {
  test.each([
    ['EventSource missing', { EventSource: undefined }, /EventSource is required/],
    ['EventSource not *.amazonaws.com', { EventSource: 'ec2' }, /EventSource 'ec2' does not match/],
    ['EventSource with upper case', { EventSource: 'EC2.amazonaws.com' }, /does not match/],
    [
      'EventSource longer than 256',
      { EventSource: `${'a'.repeat(243)}.amazonaws.com` },
      /EventSource must be between 1 and 256 characters long; got 257/,
    ],
    ['EventName missing', { EventName: undefined }, /EventName is required/],
    ['EventName with a dash', { EventName: 'Run-Instances' }, /EventName 'Run-Instances' does not match/],
    [
      'EventName longer than 128',
      { EventName: 'A'.repeat(129) },
      /EventName must be between 1 and 128 characters long; got 129/,
    ],
    ['InsightType missing', { InsightType: undefined }, /InsightType is required/],
    [
      'InsightType unknown',
      { InsightType: 'ApiLatencyInsight' },
      /InsightType 'ApiLatencyInsight' is not valid; valid values: ApiCallRateInsight, ApiErrorRateInsight/,
    ],
    [
      'ErrorCode missing for error rate',
      { InsightType: 'ApiErrorRateInsight' },
      /ErrorCode is required when InsightType is ApiErrorRateInsight/,
    ],
    [
      'ErrorCode given for call rate',
      { ErrorCode: 'AccessDenied' },
      /ErrorCode is only valid when InsightType is ApiErrorRateInsight/,
    ],
    [
      'ErrorCode longer than 128',
      { InsightType: 'ApiErrorRateInsight', ErrorCode: 'E'.repeat(129) },
      /ErrorCode must be between 1 and 128/,
    ],
    ['ErrorCode empty', { InsightType: 'ApiErrorRateInsight', ErrorCode: '' }, /ErrorCode must be between 1 and 128/],
    [
      'ErrorCode with a character outside its pattern',
      { InsightType: 'ApiErrorRateInsight', ErrorCode: 'Access Denied!' },
      /^ErrorCode 'Access Denied!' is not valid: it must match the pattern \^\[\\w\\d\\s_\.,\\-:\\\[\\\]\]\+\$ \(letters, digits, whitespace and _ \. , - : \[ \] only\)\.$/,
    ],
    [
      'ErrorCode with a non-ASCII letter (\\w is ASCII for AWS)',
      { InsightType: 'ApiErrorRateInsight', ErrorCode: 'AccèsRefusé' },
      /ErrorCode 'AccèsRefusé' is not valid/,
    ],
    ['Period 120', { Period: 120 }, /Period must be one of 60, 300, 3600 seconds; got 120/],
    ['Period 0', { Period: 0 }, /Period must be one of 60, 300, 3600 seconds; got 0/],
    [
      'DataType unknown',
      { DataType: 'Sparse' },
      /DataType 'Sparse' is not valid; valid values: FillWithZeros, NonZeroData/,
    ],
    ['MaxResults 0', { MaxResults: 0 }, /MaxResults must be between 1 and 21600; got 0/],
    ['MaxResults 21601', { MaxResults: 21601 }, /MaxResults must be between 1 and 21600; got 21601/],
    ['NextToken empty', { NextToken: '' }, /NextToken must be between 1 and 5000 characters long; got 0/],
    ['NextToken longer than 5000', { NextToken: 'x'.repeat(5001) }, /NextToken must be between 1 and 5000/],
    [
      'NextToken forged',
      { NextToken: 'eyJwIjowfQ.AAAA' },
      /NextToken is invalid, expired, or was issued for different request parameters/,
    ],
    [
      'StartTime equal to EndTime',
      { StartTime: new Date(FIXED_NOW - DAY_MS), EndTime: new Date(FIXED_NOW - DAY_MS) },
      /StartTime .* must be earlier than EndTime/,
    ],
    [
      'StartTime after EndTime',
      { StartTime: new Date(FIXED_NOW - DAY_MS), EndTime: new Date(FIXED_NOW - 2 * DAY_MS) },
      /must be earlier than EndTime/,
    ],
    [
      'StartTime in the future with default EndTime',
      { StartTime: new Date(FIXED_NOW + 60_000) },
      /must be earlier than EndTime/,
    ],
  ])('%s → InvalidParameterException', (_, input, message) => expectInvalid(input, message));

  test('a malformed TrailName → InvalidTrailNameException', () =>
    expectInvalid({ TrailName: 'a--b' }, /Trail name 'a--b' is not valid/, 'InvalidTrailNameException'));
  test('a TrailName that looks like an IP address → InvalidTrailNameException', () =>
    expectInvalid({ TrailName: '10.0.0.1' }, /not valid/, 'InvalidTrailNameException'));
  test('an unknown trail → TrailNotFoundException', () =>
    expectInvalid({ TrailName: 'other-trail' }, /Unknown trail: other-trail/, 'TrailNotFoundException'));

  test('the simulated trail by name or ARN is accepted and its ARN echoed', async () => {
    const arn = sim.catalog('us-east-1', sim.accountIdFor('AKIATESTSIMULATOR01')).trailArn;
    for (const TrailName of ['management-events', arn]) {
      const out = await send({ TrailName, Period: 3600, StartTime: new Date(FIXED_NOW - DAY_MS) });
      expect(out.TrailARN).toBe(arn);
    }
  });

  test('ErrorCodes within the pattern are accepted, spaces, dots, colons and brackets included', async () => {
    for (const ErrorCode of ['AccessDenied', 'Client.UnauthorizedOperation', 'Server Error: [503], retry-later_1']) {
      const out = await send({ InsightType: 'ApiErrorRateInsight', ErrorCode, Period: 3600 });
      expect(out.ErrorCode).toBe(ErrorCode);
    }
  });

  test('MaxResults 1 and 21600 are accepted', async () => {
    expect((await send({ MaxResults: 1, DataType: 'FillWithZeros' })).Values).toHaveLength(1);
    expect((await send({ MaxResults: 21600, Period: 60, DataType: 'FillWithZeros' })).Values).toHaveLength(21600);
  });

  test('a parameter of the wrong JSON type → SerializationException (raw HTTP: the SDK cannot send it)', async () => {
    const response = await rawCall(sim, {
      target: 'CloudTrail_20131101.ListInsightsMetricData',
      body: JSON.stringify({ ...base, Period: '60' }),
    });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      __type: 'com.amazon.coral.service#SerializationException',
      message: 'Value of Period must be an integer.',
    });
  });

  test('a body that is not JSON → SerializationException', async () => {
    const response = await rawCall(sim, {
      target: 'CloudTrail_20131101.ListInsightsMetricData',
      body: '{"EventSource":',
    });
    expect(response.json.__type).toBe('com.amazon.coral.service#SerializationException');
  });
});

describe('ListInsightsMetricData retention (cutoffs inclusive, relative to the clock)', () => {
  test.each([
    [60, 15],
    [300, 63],
    [3600, 90],
  ])('Period %i: StartTime exactly %i days ago is accepted, 1 ms earlier is rejected', async (Period, days) => {
    const cutoff = FIXED_NOW - days * DAY_MS;
    const ok = await send({
      Period,
      StartTime: new Date(cutoff),
      EndTime: new Date(cutoff + 2 * 3600_000),
      DataType: 'FillWithZeros',
    });
    expect(ok.Timestamps?.[0]?.getTime()).toBe(cutoff);
    await expectInvalid(
      { Period, StartTime: new Date(cutoff - 1) },
      new RegExp(`outside the retention for Period ${Period}: data points are kept for ${days} days`)
    );
    const justInside = await send({
      Period,
      StartTime: new Date(cutoff + 1),
      EndTime: new Date(cutoff + 2 * 3600_000),
      DataType: 'FillWithZeros',
    });
    expect(justInside.Timestamps?.[0]?.getTime()).toBe(cutoff + Period * 1000);
  });

  test('without StartTime the window starts at the retention of the period (never an error)', async () => {
    const minute = await send({ Period: 60, DataType: 'FillWithZeros' });
    expect(minute.Timestamps).toHaveLength(15 * 1440);
    expect(minute.Timestamps?.[0]?.getTime()).toBe(FIXED_NOW - 15 * DAY_MS);
    const hour = await send({ DataType: 'FillWithZeros' });
    expect(hour.Timestamps).toHaveLength(90 * 24);
    expect(hour.Timestamps?.[0]?.getTime()).toBe(FIXED_NOW - 90 * DAY_MS);
  });
});
