/**
 * fetchAllPages against the in-process simulator (no quotas, fixed data clock), paced by a
 * ManualGate; the few answers the simulator never gives (a NextToken repeated) come from a
 * loopback endpoint of this file that answers ListInsightsMetricData as told.
 */
import { createServer, type Server } from 'node:http';
import { pacingOf } from '../pacing/quotas';
import type { AddressInfo } from 'node:net';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { AwsCallError } from '../aws/awsFailures';
import { QuotaKey } from '../core/keys';
import { EXTRA_PAGES, MAX_PAGE_SIZE, describeCall, fetchAllPages, type FetchStats } from './seriesFetcher';
import type { MetricParams, Range } from '../core/series';
import { ManualGate } from '../testing/manualGate';
import { HOUR, KEYS, MINUTE, NOW, pause, startUnitSimulator, type UnitSimulator } from '../testing/unitSimulator';

jest.setTimeout(10_000);

let u: UnitSimulator;
beforeAll(async () => {
  u = await startUnitSimulator('fetcher-unit');
});
afterAll(() => u.stop());
beforeEach(() => {
  u.sim.resetCounts();
  u.sim.setFaults({ endlessNextToken: false, corruptPage: false, slowMs: 0 });
});

const stats = (): FetchStats => ({ apiCalls: 0, retries: 0, pages: 0 });
const budget = () => ({ deadlineMs: () => Date.now() + 5_000 });
const calls = () => u.sim.calls().ListInsightsMetricData ?? 0;
const minutes = (r: Range) => Array.from({ length: (r.endMs - r.startMs) / MINUTE }, (_, i) => r.startMs + i * MINUTE);
const scope = () => u.request({ startMs: 0, endMs: 0 }).scope;

function fetch(range: Range, options: { pageSize?: number; stats?: FetchStats; gate?: ManualGate } = {}) {
  const { gate = new ManualGate(), ...rest } = options;
  return fetchAllPages(u.client, scope(), u.params, () => range, budget(), {
    pacing: pacingOf(gate),
    maxAttempts: 1,
    ...rest,
  });
}

describe('describeCall', () => {
  const params: MetricParams = {
    EventSource: 'ec2.amazonaws.com',
    EventName: 'RunInstances',
    InsightType: 'ApiCallRateInsight',
    Period: 300,
    DataType: 'FillWithZeros',
  };
  const range = { startMs: Date.UTC(2026, 10, 24, 10), endMs: Date.UTC(2026, 10, 24, 12) };

  test('spells the call as sent, with ISO times', () => {
    expect(describeCall(params, range)).toBe(
      'ListInsightsMetricData EventSource=ec2.amazonaws.com EventName=RunInstances InsightType=ApiCallRateInsight Period=300 StartTime=2026-11-24T10:00:00.000Z EndTime=2026-11-24T12:00:00.000Z DataType=FillWithZeros'
    );
  });

  test('names the error code and trail only when the call has them', () => {
    expect(
      describeCall(
        { ...params, InsightType: 'ApiErrorRateInsight', ErrorCode: 'AccessDenied', TrailName: 'org' },
        range
      )
    ).toBe(
      'ListInsightsMetricData EventSource=ec2.amazonaws.com EventName=RunInstances InsightType=ApiErrorRateInsight ErrorCode=AccessDenied TrailName=org Period=300 StartTime=2026-11-24T10:00:00.000Z EndTime=2026-11-24T12:00:00.000Z DataType=FillWithZeros'
    );
  });
});

describe('fetchAllPages', () => {
  test('one page: the range as asked, CloudTrail’s buckets and values, counted once', async () => {
    const range = { startMs: NOW - 6 * HOUR, endMs: NOW };
    const gate = new ManualGate();
    const st = stats();
    const result = await fetch(range, { stats: st, gate });
    expect(result.range).toEqual(range);
    expect(result.points.timestamps).toEqual(minutes(range));
    expect(result.points.values).toEqual((await u.reference(range)).values);
    expect(st).toEqual({ apiCalls: 1, retries: 0, pages: 1 });
    expect(gate.calls.map((c) => [c.quota, c.tps])).toEqual([
      [new QuotaKey(u.account, 'ListInsightsMetricData').id, 1],
    ]);
  });

  test('small pages: every page is fetched with the NextToken and merged in order', async () => {
    const range = { startMs: NOW - 6 * HOUR, endMs: NOW };
    const gate = new ManualGate();
    const st = stats();
    const result = await fetch(range, { stats: st, pageSize: 100, gate });
    expect(st).toEqual({ apiCalls: 4, retries: 0, pages: 4 }); // 360 buckets, 100 a page
    expect(gate.calls).toHaveLength(4); // each page waits for its own quota slot
    expect(result.points.timestamps).toEqual(minutes(range));
    expect(result.points.values).toEqual((await u.reference(range)).values);
  });

  test('a page size below 1 asks one point a page; above the API maximum, the maximum', async () => {
    const five = { startMs: NOW - 5 * MINUTE, endMs: NOW };
    const st = stats();
    expect((await fetch(five, { stats: st, pageSize: 0 })).points.timestamps).toEqual(minutes(five));
    expect(st.pages).toBe(5);
    const big = stats();
    const day = { startMs: NOW - 24 * HOUR, endMs: NOW };
    expect((await fetch(day, { stats: big, pageSize: MAX_PAGE_SIZE * 2 })).points.timestamps).toHaveLength(1_440);
    expect(big.pages).toBe(1);
  });

  test('works without stats', async () => {
    const range = { startMs: NOW - HOUR, endMs: NOW };
    const result = await fetchAllPages(u.client, scope(), u.params, () => range, budget(), {
      pacing: pacingOf(new ManualGate()),
      pageSize: 30,
    });
    expect(result.points.timestamps).toEqual(minutes(range));
  });

  test('the range is read once, when the first page is sent (after the quota grant), not before', async () => {
    const gate = new ManualGate(false);
    gate.etaMs = () => Date.now() + 100;
    let range = { startMs: NOW - HOUR, endMs: NOW };
    let reads = 0;
    const pending = fetchAllPages(
      u.client,
      scope(),
      u.params,
      () => {
        reads++;
        return range;
      },
      budget(),
      { pacing: pacingOf(gate), pageSize: 40 }
    );
    await pause(20);
    expect(reads).toBe(0);
    range = { startMs: NOW - 2 * HOUR, endMs: NOW }; // a joiner widened it while it waited
    gate.release();
    const result = await pending;
    expect(reads).toBe(1);
    expect(result.range).toEqual(range);
    expect(result.points.timestamps).toEqual(minutes(range));
    expect(calls()).toBe(3);
  });

  test('an endpoint that does not answer is abandoned at the attempt timeout, not waited for', async () => {
    u.sim.setFaults({ slowMs: 600 }); // answered in time for a call that kept waiting
    const error = await fetchAllPages(
      u.client,
      scope(),
      u.params,
      () => ({ startMs: NOW - HOUR, endMs: NOW }),
      budget(),
      {
        pacing: pacingOf(new ManualGate()),
        maxAttempts: 1,
        attemptTimeoutMs: 100,
      }
    ).catch((e) => e);
    expect(error).toMatchObject({
      message: `ListInsightsMetricData to ${u.sim.url} did not answer before the query's deadline.`,
      status: 504,
    });
  });

  test('an endless NextToken stops after the pages the range can need plus two, with a clear error', async () => {
    u.sim.setFaults({ endlessNextToken: true });
    const st = stats();
    // 60 buckets at 25 a page need 3 pages.
    const error = await fetch({ startMs: NOW - HOUR, endMs: NOW }, { stats: st, pageSize: 25 }).catch((e) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toMatchObject({
      message: `CloudTrail still returned a NextToken after ${3 + EXTRA_PAGES} pages of ListInsightsMetricData, more than this time range can hold; stopped paging to keep the query bounded.`,
      status: 502,
      errorSource: 'downstream',
      operation: 'ListInsightsMetricData',
    });
    expect(st.pages).toBe(5);
    expect(calls()).toBe(5);
  });

  test('at the full page size an endless NextToken stops after three pages', async () => {
    u.sim.setFaults({ endlessNextToken: true });
    const st = stats();
    await expect(fetch({ startMs: NOW - HOUR, endMs: NOW }, { stats: st })).rejects.toThrow(/after 3 pages/);
    expect(st.pages).toBe(3);
  });

  test('a corrupt page is refused, naming the series', async () => {
    u.sim.setFaults({ corruptPage: 'nullValue' });
    const error = await fetch({ startMs: NOW - HOUR, endMs: NOW }).catch((e) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error.message).toContain(
      `for ListInsightsMetricData ${u.params.EventSource} ${u.params.EventName} ${u.params.InsightType}; the answer was not used.`
    );
  });
});

describe('answers the simulator never gives', () => {
  let server: Server;
  let client: CloudTrailClient;
  /** What the endpoint answers to each call (its parsed request body). */
  let answer: (request: Record<string, unknown>) => unknown;
  const seen: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const request = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        seen.push(request);
        res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(answer(request)));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    client = new CloudTrailClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: KEYS,
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    seen.length = 0;
  });

  const ask = (range: Range, pageSize?: number, st = stats()) =>
    fetchAllPages(client, scope(), u.params, () => range, budget(), {
      pacing: pacingOf(new ManualGate()),
      stats: st,
      pageSize,
    });

  test('the same NextToken twice ends paging with a clear error', async () => {
    const t = (NOW - 2 * MINUTE) / 1000;
    answer = (request) =>
      request.NextToken === undefined
        ? { Timestamps: [t], Values: [1], NextToken: 'again' }
        : { Timestamps: [t + 60], Values: [2], NextToken: 'again' };
    const st = stats();
    const error = await ask({ startMs: NOW - HOUR, endMs: NOW }, 10, st).catch((e) => e);
    expect(error).toBeInstanceOf(AwsCallError);
    expect(error).toMatchObject({
      message: 'CloudTrail returned the same NextToken twice for ListInsightsMetricData; stopped paging.',
      status: 502,
      errorSource: 'downstream',
      operation: 'ListInsightsMetricData',
    });
    expect(st.pages).toBe(2);
    expect(seen.map((r) => r.NextToken)).toEqual([undefined, 'again']);
  });

  test('each new NextToken is sent back once; paging ends on the page without one', async () => {
    const t = (NOW - 3 * MINUTE) / 1000;
    const pages: Record<string, unknown> = {
      first: { Timestamps: [t], Values: [4], NextToken: 'b' },
      b: { Timestamps: [t + 60], Values: [5], NextToken: 'c' },
      c: { Timestamps: [t + 120], Values: [6] },
    };
    answer = (request) => pages[(request.NextToken as string | undefined) ?? 'first'];
    const result = await ask({ startMs: NOW - HOUR, endMs: NOW }, 10);
    expect(seen.map((r) => r.NextToken)).toEqual([undefined, 'b', 'c']);
    expect(seen.map((r) => r.MaxResults)).toEqual([10, 10, 10]);
    expect(result.points).toEqual({ timestamps: [t * 1000, t * 1000 + 60_000, t * 1000 + 120_000], values: [4, 5, 6] });
  });

  test('the call carries the series, the range and no MaxResults at the full page size', async () => {
    answer = () => ({ Timestamps: [], Values: [] });
    await ask({ startMs: NOW - HOUR, endMs: NOW });
    expect(seen).toEqual([
      {
        ...u.params,
        StartTime: (NOW - HOUR) / 1000,
        EndTime: NOW / 1000,
      },
    ]);
  });

  test('a page holding more points than asked for is refused', async () => {
    const t = (NOW - 3 * MINUTE) / 1000;
    answer = () => ({ Timestamps: [t, t + 60, t + 120], Values: [1, 2, 3] });
    await expect(ask({ startMs: NOW - HOUR, endMs: NOW }, 2)).rejects.toThrow(
      /a page of 3 points, more than the 2 asked for/
    );
  });
});
