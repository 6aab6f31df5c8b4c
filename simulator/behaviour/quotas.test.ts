// Throttling at AWS's documented rates, per account + region + operation, answered as a
// ThrottlingException the SDK classifies as throttling. Uses real time (buckets refill in real time).
import {
  DescribeTrailsCommand,
  ListInsightsDataCommand,
  ListInsightsMetricDataCommand,
  LookupEventsCommand,
} from '@aws-sdk/client-cloudtrail';
import { isThrottlingError } from '@smithy/core/retry';
import { startSimulator } from '../index';
import { cloudTrail, errorOf, FIXED_NOW } from '../testSupport';
import type { RunningSimulator } from '../types';

let sim: RunningSimulator;
beforeEach(async () => {
  sim = await startSimulator({ now: () => FIXED_NOW });
});
afterEach(() => sim.stop());

const metric = new ListInsightsMetricDataCommand({
  EventSource: 'ec2.amazonaws.com',
  EventName: 'RunInstances',
  InsightType: 'ApiCallRateInsight',
  Period: 3600,
  StartTime: new Date(FIXED_NOW - 86_400_000),
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function outcomes(sends: Array<() => Promise<unknown>>): Promise<{ ok: number; throttled: number }> {
  const results = await Promise.allSettled(sends.map((s) => s()));
  for (const r of results) {
    if (r.status === 'rejected') {
      expect((r.reason as Error).name).toBe('ThrottlingException');
    }
  }
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  return { ok, throttled: results.length - ok };
}

test('ListInsightsMetricData: 1 TPS; the second call in the same second gets ThrottlingException (400, "Rate exceeded")', async () => {
  const client = cloudTrail(sim);
  await client.send(metric);
  const error = await errorOf(client.send(metric));
  expect(error.name).toBe('ThrottlingException');
  expect(error.message).toBe('Rate exceeded');
  expect(error.$metadata?.httpStatusCode).toBe(400);
  expect(isThrottlingError(error as never)).toBe(true);
  expect(sim.calls()).toEqual({ ListInsightsMetricData: 2 });
  expect(sim.throttled()).toEqual({ ListInsightsMetricData: 1 });
  await sleep(1000);
  await client.send(metric);
});

test('buckets are per account and per region', async () => {
  await cloudTrail(sim).send(metric);
  expect((await errorOf(cloudTrail(sim).send(metric))).name).toBe('ThrottlingException');
  await cloudTrail(sim, { region: 'eu-west-1' }).send(metric);
  await cloudTrail(sim, { credentials: { accessKeyId: 'AKIASECONDACCOUNT', secretAccessKey: 'x' } }).send(metric);
  // Another operation has its own bucket.
  await cloudTrail(sim).send(new LookupEventsCommand({ EventCategory: 'insight', MaxResults: 1 }));
});

test('bursts: LookupEvents allows 2 at once, other operations 10 at once', async () => {
  const client = cloudTrail(sim);
  expect(
    await outcomes(Array.from({ length: 6 }, () => () => client.send(new LookupEventsCommand({ MaxResults: 1 }))))
  ).toEqual({ ok: 2, throttled: 4 });
  const started = performance.now();
  const describe = await outcomes(Array.from({ length: 20 }, () => () => client.send(new DescribeTrailsCommand({}))));
  const elapsedMs = performance.now() - started;
  expect(describe.ok).toBeGreaterThanOrEqual(10);
  // The burst of 10, plus the tokens that 10 per second refills while the 20 calls arrive (at least
  // one; more only when a loaded machine spreads the calls out).
  expect(describe.ok).toBeLessThanOrEqual(10 + Math.max(1, Math.ceil(elapsedMs / 100)));
  expect(sim.throttled()).toEqual({ LookupEvents: 4, DescribeTrails: describe.throttled });
});

test('ListInsightsData has its own bucket of 2 per second, per account and region', async () => {
  const client = cloudTrail(sim);
  const trail = sim.catalog('us-east-1', sim.accountIdFor('AKIATESTSIMULATOR01')).dataEvents.trailArn;
  const listing = () =>
    client.send(new ListInsightsDataCommand({ InsightSource: trail, DataType: 'InsightsEvents', MaxResults: 1 }));
  expect(await outcomes(Array.from({ length: 5 }, () => listing))).toEqual({ ok: 2, throttled: 3 });
  expect(sim.throttled()).toEqual({ ListInsightsData: 3 });
  // LookupEvents and ListInsightsMetricData are not spent by it.
  await client.send(new LookupEventsCommand({ EventCategory: 'insight', MaxResults: 1 }));
  await client.send(metric);
  await sleep(500);
  await listing();
});

test('sustained LookupEvents rate is 2 per second', async () => {
  const client = cloudTrail(sim);
  const started = performance.now();
  let ok = 0;
  while (performance.now() - started < 2000) {
    try {
      await client.send(new LookupEventsCommand({ MaxResults: 1 }));
      ok++;
    } catch {
      await sleep(20);
    }
  }
  // burst of 2 + 2 per second for 2 s (±1 for timing at the edges)
  expect(ok).toBeGreaterThanOrEqual(5);
  expect(ok).toBeLessThanOrEqual(7);
});

test('quotas can be switched off or given other rates', async () => {
  const free = await startSimulator({ now: () => FIXED_NOW, quotas: false });
  const custom = await startSimulator({ now: () => FIXED_NOW, quotas: { ListInsightsMetricData: 5 } });
  try {
    expect(await outcomes(Array.from({ length: 8 }, () => () => cloudTrail(free).send(metric)))).toEqual({
      ok: 8,
      throttled: 0,
    });
    expect(await outcomes(Array.from({ length: 8 }, () => () => cloudTrail(custom).send(metric)))).toEqual({
      ok: 5,
      throttled: 3,
    });
  } finally {
    await free.stop();
    await custom.stop();
  }
});
