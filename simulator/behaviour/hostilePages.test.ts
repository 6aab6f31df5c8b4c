// The hostile-page faults on the wire (raw HTTP, as a client sees the bytes) and through the real SDK.
import { DescribeTrailsCommand, ListInsightsMetricDataCommand } from '@aws-sdk/client-cloudtrail';
import { startSimulator } from '../index';
import { OVERSIZED_POINTS } from './hostilePages';
import { cloudTrail, errorOf, FIXED_NOW, signedHeaders } from '../testSupport';
import type { RunningSimulator } from '../types';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ now: () => FIXED_NOW, quotas: false });
});
afterEach(() => sim.setFaults({ corruptPage: false, htmlError: false }));
afterAll(() => sim.stop());

const HOUR_S = 3600;
const startS = FIXED_NOW / 1000 - 6 * HOUR_S;
const request = {
  EventSource: 'ec2.amazonaws.com',
  EventName: 'RunInstances',
  InsightType: 'ApiCallRateInsight',
  Period: 3600,
  StartTime: startS,
  DataType: 'FillWithZeros',
};

async function wire(target = 'CloudTrail_20131101.ListInsightsMetricData') {
  const body = JSON.stringify(request);
  const headers = await signedHeaders(sim, {
    body,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
  });
  const response = await fetch(`${sim.url}/`, { method: 'POST', headers, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
const page = async () => JSON.parse((await wire()).text) as { Timestamps: unknown[]; Values: unknown };

test('without the fault the page is six hourly buckets of counts', async () => {
  const good = await page();
  expect(good.Timestamps).toEqual([0, 1, 2, 3, 4, 5].map((h) => startS + h * HOUR_S));
  expect((good.Values as unknown[]).every((v) => typeof v === 'number')).toBe(true);
});

test.each([
  ['nullValue', null],
  ['nanString', 'NaN'],
  ['infinityString', 'Infinity'],
])('%s puts %p in the middle of the values', async (kind, bad) => {
  sim.setFaults({ corruptPage: kind as 'nullValue' });
  const corrupt = await page();
  expect(corrupt.Timestamps).toHaveLength(6);
  expect((corrupt.Values as unknown[])[3]).toBe(bad);
});

test('offGridTimestamp moves one timestamp 17 s off the grid; conflictingDuplicate repeats one with another value', async () => {
  sim.setFaults({ corruptPage: 'offGridTimestamp' });
  expect((await page()).Timestamps[3]).toBe(startS + 3 * HOUR_S + 17);
  sim.setFaults({ corruptPage: 'conflictingDuplicate' });
  const duplicated = await page();
  const values = duplicated.Values as number[];
  expect(duplicated.Timestamps.slice(3, 5)).toEqual([startS + 3 * HOUR_S, startS + 3 * HOUR_S]);
  expect(values[4]).toBe(values[3] + 1);
});

test('valuesNotList sends Values as a string, which the SDK passes through unchecked', async () => {
  sim.setFaults({ corruptPage: 'valuesNotList' });
  expect(typeof (await page()).Values).toBe('string');
  const out = await cloudTrail(sim).send(
    new ListInsightsMetricDataCommand({
      ...request,
      InsightType: 'ApiCallRateInsight',
      DataType: 'FillWithZeros',
      StartTime: new Date(startS * 1000),
    })
  );
  expect(typeof out.Values).toBe('string');
});

test('oversized streams a 3,000,000-point page without a Content-Length', async () => {
  sim.setFaults({ corruptPage: 'oversized' });
  const answer = await wire();
  expect(answer.headers.get('content-length')).toBeNull();
  expect(answer.headers.get('transfer-encoding')).toBe('chunked');
  const parsed = JSON.parse(answer.text);
  expect(parsed).toMatchObject({ EventSource: 'ec2.amazonaws.com', EventName: 'RunInstances' });
  expect(parsed.Timestamps).toHaveLength(OVERSIZED_POINTS);
  expect(parsed.Values).toHaveLength(OVERSIZED_POINTS);
  expect(answer.text.length).toBeGreaterThan(30_000_000);
});

test('htmlError answers HTTP 502 text/html before the service sees the call; operations limits it', async () => {
  sim.setFaults({ htmlError: { count: 1, operations: ['ListInsightsMetricData'] } });
  sim.resetCounts();
  await cloudTrail(sim).send(new DescribeTrailsCommand({}));
  const answer = await wire();
  expect(answer.status).toBe(502);
  expect(answer.headers.get('content-type')).toBe('text/html');
  expect(answer.text).toContain('<h1>502 Bad Gateway</h1>');
  expect(sim.calls()).toEqual({ DescribeTrails: 1 });
  expect((await wire()).status).toBe(200);
  sim.setFaults({ htmlError: true });
  const error = await errorOf(cloudTrail(sim).send(new DescribeTrailsCommand({})));
  expect(error.$metadata?.httpStatusCode).toBe(502);
});

test('an unknown corruptPage kind is refused', () => {
  expect(() => sim.setFaults({ corruptPage: 'zeros' as 'nullValue' })).toThrow(/corruptPage must be false or one of/);
});
