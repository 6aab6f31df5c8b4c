// Values, alignment, FillWithZeros vs NonZeroData, period sums, clock movement, determinism and paging
// of ListInsightsMetricData, through the real SDK and its paginator.
import {
  ListInsightsMetricDataCommand,
  paginateListInsightsMetricData,
  type ListInsightsMetricDataCommandInput,
} from '@aws-sdk/client-cloudtrail';
import { startSimulator } from '../index';
import { cloudTrail, DAY_MS, errorOf, FIXED_NOW } from '../testSupport';
import type { RunningSimulator } from '../types';

let now = FIXED_NOW;
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ now: () => now, quotas: false, seed: 'data-tests' });
});
afterAll(() => sim.stop());
afterEach(() => {
  now = FIXED_NOW;
});

const runInstances: ListInsightsMetricDataCommandInput = {
  EventSource: 'ec2.amazonaws.com',
  EventName: 'RunInstances',
  InsightType: 'ApiCallRateInsight',
};
const get = (input: Partial<ListInsightsMetricDataCommandInput>, target = sim) =>
  cloudTrail(target).send(new ListInsightsMetricDataCommand({ ...runInstances, ...input }));
const ms = (dates: Date[] | undefined) => (dates ?? []).map((d) => d.getTime());

describe('ListInsightsMetricData data', () => {
  test('FillWithZeros returns every aligned bucket in [StartTime, EndTime); NonZeroData the same minus zeros', async () => {
    const StartTime = new Date(FIXED_NOW - DAY_MS);
    const fill = await get({ Period: 60, StartTime, DataType: 'FillWithZeros' });
    expect(fill.Timestamps).toHaveLength(1440);
    ms(fill.Timestamps).forEach((t, i) => expect(t).toBe(StartTime.getTime() + i * 60_000));
    const zeros = fill.Values!.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(100); // quiet minutes exist, so the two data types really differ
    const nonZero = await get({ Period: 60, StartTime });
    expect(nonZero.Values).toHaveLength(1440 - zeros);
    expect(nonZero.Values!.every((v) => v > 0)).toBe(true);
    const fillByTime = new Map(ms(fill.Timestamps).map((t, i) => [t, fill.Values![i]]));
    ms(nonZero.Timestamps).forEach((t, i) => expect(fillByTime.get(t)).toBe(nonZero.Values![i]));
    expect(nonZero.NextToken).toBeUndefined();
  });

  test('300 s and 3600 s buckets are sums of the 60 s values they cover', async () => {
    const StartTime = new Date(FIXED_NOW - 2 * DAY_MS);
    const EndTime = new Date(FIXED_NOW - DAY_MS);
    const minute = (await get({ Period: 60, StartTime, EndTime, DataType: 'FillWithZeros' })).Values!;
    const five = (await get({ Period: 300, StartTime, EndTime, DataType: 'FillWithZeros' })).Values!;
    const hour = (await get({ Period: 3600, StartTime, EndTime, DataType: 'FillWithZeros' })).Values!;
    const sums = (size: number) =>
      Array.from({ length: minute.length / size }, (_, i) =>
        minute.slice(i * size, (i + 1) * size).reduce((a, b) => a + b, 0)
      );
    expect(five).toEqual(sums(5));
    expect(hour).toEqual(sums(60));
  });

  test('an unaligned StartTime starts at the next period boundary; a bucket is whole even if EndTime cuts it', async () => {
    const StartTime = new Date(FIXED_NOW - DAY_MS + 1234);
    const EndTime = new Date(FIXED_NOW - DAY_MS + 3 * 3600_000 + 1);
    const out = await get({ Period: 3600, StartTime, EndTime, DataType: 'FillWithZeros' });
    expect(ms(out.Timestamps)).toEqual([1, 2, 3].map((h) => FIXED_NOW - DAY_MS + h * 3600_000));
    const minutes = await get({
      Period: 60,
      StartTime: new Date(FIXED_NOW - DAY_MS + 3 * 3600_000),
      EndTime: new Date(FIXED_NOW - DAY_MS + 4 * 3600_000),
      DataType: 'FillWithZeros',
    });
    expect(out.Values![2]).toBe(minutes.Values!.reduce((a, b) => a + b, 0));
  });

  test('only complete buckets are served, and the data moves forward with the clock', async () => {
    now = FIXED_NOW + 30 * 60_000 + 5000; // 12:30:05
    const nextDay = (Period: number) =>
      get({ Period, StartTime: new Date(FIXED_NOW), EndTime: new Date(FIXED_NOW + DAY_MS), DataType: 'FillWithZeros' });
    const first = await nextDay(60);
    expect(first.Timestamps).toHaveLength(30);
    expect(ms(first.Timestamps).at(-1)).toBe(FIXED_NOW + 29 * 60_000);
    const hourly = await nextDay(3600);
    expect(hourly.Timestamps).toHaveLength(0);
    now += 10 * 60_000;
    const later = await nextDay(60);
    expect(later.Timestamps).toHaveLength(40);
    expect(later.Values!.slice(0, 30)).toEqual(first.Values);
  });

  test('the error-rate series answer with their ErrorCode echoed', async () => {
    const series = sim
      .catalog('us-east-1', sim.accountIdFor('AKIATESTSIMULATOR01'))
      .series.find((s) => s.errorCode === 'NoSuchBucket')!;
    const out = await get({
      EventSource: series.eventSource,
      EventName: series.eventName,
      InsightType: 'ApiErrorRateInsight',
      ErrorCode: 'NoSuchBucket',
    });
    expect(out).toMatchObject({
      EventSource: 's3.amazonaws.com',
      EventName: 'PutBucketPolicy',
      InsightType: 'ApiErrorRateInsight',
      ErrorCode: 'NoSuchBucket',
    });
    expect(out.Values!.length).toBeGreaterThan(0);
  });

  test('a series with no activity is valid and empty (all zeros when filled)', async () => {
    const input = {
      EventSource: 'quicksight.amazonaws.com',
      EventName: 'CreateDashboard',
      StartTime: new Date(FIXED_NOW - DAY_MS),
    };
    expect((await get(input)).Values).toEqual([]);
    expect(new Set((await get({ ...input, DataType: 'FillWithZeros' })).Values)).toEqual(new Set([0]));
  });

  test('data is deterministic per seed, and differs by seed, account and region', async () => {
    const window = { Period: 300, StartTime: new Date(FIXED_NOW - DAY_MS), DataType: 'FillWithZeros' as const };
    const reference = (await get(window)).Values;
    const twin = await startSimulator({ now: () => FIXED_NOW, quotas: false, seed: 'data-tests' });
    const other = await startSimulator({ now: () => FIXED_NOW, quotas: false, seed: 'another-seed' });
    try {
      expect((await get(window, twin)).Values).toEqual(reference);
      expect((await get(window, other)).Values).not.toEqual(reference);
      const otherAccount = await cloudTrail(sim, {
        credentials: { accessKeyId: 'AKIAOTHERACCOUNT', secretAccessKey: 'x' },
      }).send(new ListInsightsMetricDataCommand({ ...runInstances, ...window }));
      expect(otherAccount.Values).not.toEqual(reference);
      const otherRegion = await cloudTrail(sim, { region: 'eu-west-1' }).send(
        new ListInsightsMetricDataCommand({ ...runInstances, ...window })
      );
      expect(otherRegion.Values).not.toEqual(reference);
    } finally {
      await twin.stop();
      await other.stop();
    }
  });
});

describe('ListInsightsMetricData paging', () => {
  const fullWindow = { Period: 60, StartTime: new Date(FIXED_NOW - 15 * DAY_MS) };

  test.each(['FillWithZeros', 'NonZeroData'] as const)(
    '%s: pages of MaxResults concatenate to the single-page answer',
    async (DataType) => {
      const single = await get({ ...fullWindow, DataType });
      expect(single.NextToken).toBeUndefined();
      const timestamps: number[] = [];
      const values: number[] = [];
      let pages = 0;
      for await (const page of paginateListInsightsMetricData(
        { client: cloudTrail(sim), pageSize: 1000 },
        { ...runInstances, ...fullWindow, DataType }
      )) {
        pages++;
        expect(page.Values!.length).toBeLessThanOrEqual(1000);
        timestamps.push(...ms(page.Timestamps));
        values.push(...page.Values!);
      }
      expect(pages).toBe(Math.ceil(single.Values!.length / 1000));
      expect(timestamps).toEqual(ms(single.Timestamps));
      expect(values).toEqual(single.Values);
    }
  );

  test('a token keeps its window while the clock moves on', async () => {
    const first = await get({ Period: 60, DataType: 'FillWithZeros', MaxResults: 21599 });
    now += 5 * 60_000;
    const second = await get({ Period: 60, DataType: 'FillWithZeros', NextToken: first.NextToken });
    expect(second.Timestamps).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
  });

  test('a token used with different parameters, edited, or from another simulator is rejected', async () => {
    const first = await get({ ...fullWindow, MaxResults: 10 });
    const token = first.NextToken!;
    expect(token.length).toBeLessThanOrEqual(5000);
    const wrongSeries = await errorOf(get({ ...fullWindow, EventName: 'TerminateInstances', NextToken: token }));
    expect(wrongSeries.name).toBe('InvalidParameterException');
    expect(wrongSeries.message).toMatch(
      /NextToken is invalid, expired, or was issued for different request parameters/
    );
    expect((await errorOf(get({ ...fullWindow, DataType: 'FillWithZeros', NextToken: token }))).name).toBe(
      'InvalidParameterException'
    );
    const edited = `${token.slice(0, 3)}${token[3] === 'A' ? 'B' : 'A'}${token.slice(4)}`;
    expect((await errorOf(get({ ...fullWindow, NextToken: edited }))).name).toBe('InvalidParameterException');
    const other = await startSimulator({ now: () => FIXED_NOW, quotas: false, seed: 'data-tests' });
    try {
      expect((await errorOf(get({ ...fullWindow, NextToken: token }, other))).name).toBe('InvalidParameterException');
    } finally {
      await other.stop();
    }
    // MaxResults may change between pages.
    expect((await get({ ...fullWindow, MaxResults: 5, NextToken: token })).Values).toHaveLength(5);
  });
});
