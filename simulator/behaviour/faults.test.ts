// Each switchable fault, observed through the real SDK.
import {
  DescribeTrailsCommand,
  GetInsightSelectorsCommand,
  ListInsightsDataCommand,
  ListInsightsMetricDataCommand,
  LookupEventsCommand,
  paginateListInsightsData,
  paginateListInsightsMetricData,
  paginateLookupEvents,
} from '@aws-sdk/client-cloudtrail';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startSimulator } from '../index';
import { cloudTrail, errorOf, FIXED_NOW, sts, TEST_KEY } from '../testSupport';
import type { RunningSimulator } from '../types';

let sim: RunningSimulator;
beforeEach(async () => {
  sim = await startSimulator({ now: () => FIXED_NOW, quotas: false });
});
afterEach(() => sim.stop());

const describeTrails = () => cloudTrail(sim).send(new DescribeTrailsCommand({}));
const metricInput = {
  EventSource: 'ec2.amazonaws.com',
  EventName: 'RunInstances',
  InsightType: 'ApiCallRateInsight' as const,
  Period: 3600,
  StartTime: new Date(FIXED_NOW - 86_400_000),
};

describe('serverError', () => {
  test('{ count: 2 } fails the next two calls with HTTP 500 InternalFailure, then recovers', async () => {
    sim.setFaults({ serverError: { count: 2 } });
    for (let i = 0; i < 2; i++) {
      const error = await errorOf(describeTrails());
      expect(error.name).toBe('InternalFailure');
      expect(error.$metadata?.httpStatusCode).toBe(500);
    }
    await describeTrails();
    expect(sim.calls()).toEqual({ DescribeTrails: 3 });
  });

  test('the SDK retries through a short outage when allowed more attempts', async () => {
    sim.setFaults({ serverError: { count: 1 } });
    const out = await cloudTrail(sim, { maxAttempts: 3 }).send(new DescribeTrailsCommand({}));
    expect(out.$metadata.attempts).toBe(2);
  });

  test('true fails every call until switched off; operations limits it', async () => {
    sim.setFaults({ serverError: true });
    expect((await errorOf(describeTrails())).name).toBe('InternalFailure');
    sim.setFaults({ serverError: { rate: 1, operations: ['LookupEvents'] } });
    await describeTrails();
    expect((await errorOf(cloudTrail(sim).send(new LookupEventsCommand({})))).name).toBe('InternalFailure');
    sim.setFaults({ serverError: false });
    await cloudTrail(sim).send(new LookupEventsCommand({}));
  });

  test('{ rate: 0.5 } fails about half the calls, reproducibly for a seed', async () => {
    sim.setFaults({ serverError: { rate: 0.5 } });
    const results = await Promise.allSettled(Array.from({ length: 40 }, () => describeTrails()));
    const failed = results.filter((r) => r.status === 'rejected').length;
    expect(failed).toBeGreaterThan(8);
    expect(failed).toBeLessThan(32);
  });
});

test('slowMs delays every answer', async () => {
  sim.setFaults({ slowMs: 300 });
  const started = performance.now();
  await describeTrails();
  expect(performance.now() - started).toBeGreaterThanOrEqual(295);
});

test('resetConnection drops the connection without an answer', async () => {
  sim.setFaults({ resetConnection: { count: 1 } });
  const error = (await errorOf(describeTrails())) as Error & { code?: string };
  expect(`${error.code} ${error.message}`).toMatch(/ECONNRESET|socket hang up/);
  await describeTrails();
});

test('malformedBody answers 200 with truncated JSON, which the SDK cannot parse', async () => {
  sim.setFaults({ malformedBody: { count: 1 } });
  const error = await errorOf(cloudTrail(sim).send(new ListInsightsMetricDataCommand(metricInput)));
  expect(error.message).toMatch(/JSON|Unexpected end|Unterminated|Deserialization/i);
  await cloudTrail(sim).send(new ListInsightsMetricDataCommand(metricInput));
});

test('endlessNextToken: both paginators keep going with empty pages past the real end', async () => {
  sim.setFaults({ endlessNextToken: true });
  const metricPages: number[] = [];
  for await (const page of paginateListInsightsMetricData({ client: cloudTrail(sim) }, { ...metricInput })) {
    expect(page.NextToken).toBeDefined();
    metricPages.push(page.Values!.length);
    if (metricPages.length === 5) {
      break;
    }
  }
  expect(metricPages[0]).toBeGreaterThan(0);
  expect(metricPages.slice(1)).toEqual([0, 0, 0, 0]);
  const tokens = new Set<string>();
  for await (const page of paginateLookupEvents(
    { client: cloudTrail(sim) },
    { EventCategory: 'insight', StartTime: new Date(FIXED_NOW - 3600_000) }
  )) {
    tokens.add(page.NextToken!);
    if (tokens.size === 4) {
      break;
    }
  }
  expect(tokens.size).toBe(4);
  const dataTrail = sim.catalog('us-east-1', sim.accountIdFor(TEST_KEY.accessKeyId)).dataEvents.trailArn;
  const dataTokens = new Set<string>();
  for await (const page of paginateListInsightsData(
    { client: cloudTrail(sim) },
    { InsightSource: dataTrail, DataType: 'InsightsEvents', StartTime: new Date(FIXED_NOW - 3600_000) }
  )) {
    dataTokens.add(page.NextToken!);
    if (dataTokens.size === 3) {
      break;
    }
  }
  expect(dataTokens.size).toBe(3);
});

test('insightsDisabled: no selectors, no Insights events, no metric data', async () => {
  sim.setFaults({ insightsDisabled: true });
  const error = await errorOf(cloudTrail(sim).send(new GetInsightSelectorsCommand({ TrailName: 'management-events' })));
  expect(error.name).toBe('InsightNotEnabledException');
  expect(error.message).toMatch(/does not have Insights enabled/);
  expect((await describeTrails()).trailList?.[0].HasInsightSelectors).toBe(false);
  expect((await cloudTrail(sim).send(new LookupEventsCommand({ EventCategory: 'insight' }))).Events).toEqual([]);
  expect((await cloudTrail(sim).send(new ListInsightsMetricDataCommand(metricInput))).Values).toEqual([]);
  // Every trail and the event data store; the data-event trail lists no Insights, its metrics are empty.
  expect((await describeTrails()).trailList?.map((t) => t.HasInsightSelectors)).toEqual([false, false, false]);
  const { dataEvents, eventDataStores } = sim.catalog('us-east-1', sim.accountIdFor(TEST_KEY.accessKeyId));
  const store = await errorOf(
    cloudTrail(sim).send(new GetInsightSelectorsCommand({ EventDataStore: eventDataStores[0].eventDataStoreArn }))
  );
  expect(store.name).toBe('InsightNotEnabledException');
  const listing = await cloudTrail(sim).send(
    new ListInsightsDataCommand({ InsightSource: dataEvents.trailArn, DataType: 'InsightsEvents' })
  );
  expect(listing.Events).toEqual([]);
  const getObject = await cloudTrail(sim).send(
    new ListInsightsMetricDataCommand({
      ...metricInput,
      EventSource: 's3.amazonaws.com',
      EventName: 'GetObject',
      TrailName: 'data-events',
    })
  );
  expect(getObject.Values).toEqual([]);
});

test('badCredentials: CloudTrail answers UnrecognizedClientException, STS InvalidClientTokenId', async () => {
  sim.setFaults({ badCredentials: true });
  expect((await errorOf(describeTrails())).name).toBe('UnrecognizedClientException');
  expect((await errorOf(sts(sim).send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
  expect(sim.calls()).toEqual({});
});

test('throttleAll throttles every call even with quotas off', async () => {
  sim.setFaults({ throttleAll: true });
  expect((await errorOf(describeTrails())).name).toBe('ThrottlingException');
  expect(sim.throttled()).toEqual({ DescribeTrails: 1 });
  sim.setFaults({ throttleAll: false });
  await describeTrails();
});

test('faults given at start apply from the first call', async () => {
  const faulty = await startSimulator({ faults: { serverError: { count: 1 } }, quotas: false });
  try {
    expect((await errorOf(cloudTrail(faulty).send(new DescribeTrailsCommand({})))).name).toBe('InternalFailure');
    expect(faulty.faults().serverError).toEqual({ count: 0 });
  } finally {
    await faulty.stop();
  }
});
