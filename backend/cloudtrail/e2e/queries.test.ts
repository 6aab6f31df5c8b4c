/**
 * Metrics and annotation queries through the built executable against the simulator (real 1 TPS
 * quota), checked against an oracle simulator with the same seed asked directly via the SDK.
 * The plugin runs with CLOUDTRAIL_PAGE_SIZE=3000 so that long ranges really page.
 */
import { TRAIL_NAME, type SeriesInfo } from '../../../simulator';
import { Oracle } from './oracle';
import { DAY_MS, HOUR_MS, seriesQuery, type DecodedFrame } from './harness';
import { stackForFile } from './stack';

jest.setTimeout(120_000);

const SEED = 'queries';
const KEYS = { accessKeyId: 'AKIDQUERYTEST', secretAccessKey: 'query-secret' };

// These tests count the simulator's calls exactly; the background refresher (tested in its own files)
// would add refreshes of earlier tests' series whenever a minute ends during a test.
const stack = stackForFile({
  seed: SEED,
  keys: KEYS,
  env: { CLOUDTRAIL_PAGE_SIZE: '3000' },
  refresher: false,
});
let oracle: Oracle;
let callRate: SeriesInfo;
let errorRate: SeriesInfo;

beforeAll(async () => {
  oracle = await Oracle.start(SEED, KEYS);
  const series = stack.sim.catalog('us-east-1').series;
  callRate = series.find((s) => s.insightType === 'ApiCallRateInsight')!;
  errorRate = series.find((s) => s.insightType === 'ApiErrorRateInsight')!;
});

afterAll(async () => {
  await oracle?.stop();
});

const statsOf = (frame: DecodedFrame) =>
  Object.fromEntries(frame.meta!.stats.map((s: any) => [s.displayName, s.value]));

/** The frame's points must equal the oracle's for the range the plugin reported. */
async function expectMatchesOracle(
  frame: DecodedFrame,
  series: SeriesInfo,
  dataType: string,
  region = 'us-east-1',
  trailName?: string
) {
  const custom = frame.meta!.custom;
  const expected = await oracle.series(region, {
    EventSource: series.eventSource,
    EventName: series.eventName,
    InsightType: series.insightType,
    ErrorCode: series.errorCode,
    Period: custom.period,
    StartTime: new Date(custom.startTime),
    EndTime: new Date(custom.endTime),
    DataType: dataType as any,
    TrailName: trailName,
  });
  const [time, value] = frame.fields;
  expect(time.values.length).toBeGreaterThan(0);
  time.values.forEach((t, i) => expect([t, value.values[i]]).toEqual([t, expected.get(t as number) ?? 0]));
  if (dataType === 'NonZeroData') {
    expect(time.values.length).toBe(expected.size);
  }
  return expected;
}

test('both insight types at every period: one labelled frame each, values as the API has them', async () => {
  const now = Date.now();
  const ranges: Record<number, number> = { 60: 6 * HOUR_MS, 300: 3 * DAY_MS, 3600: 30 * DAY_MS };
  const queries = [callRate, errorRate].flatMap((s, si) =>
    [60, 300, 3600].map((period) => ({
      refId: `${si}-${period}`,
      json: seriesQuery(s, { period }),
      fromMs: now - ranges[period],
      toMs: now,
    }))
  );
  stack.sim.resetCounts();
  const answers = await stack.plugin.query(stack.ds, queries);
  expect(stack.sim.calls().ListInsightsMetricData).toBe(6);
  expect(stack.sim.throttled().ListInsightsMetricData ?? 0).toBe(0);
  for (const q of queries) {
    const answer = answers[q.refId];
    expect(answer).toMatchObject({ error: '', status: 200 });
    const [frame] = answer.frames;
    const series = q.json.insightType === 'ApiCallRateInsight' ? callRate : errorRate;
    expect(frame.meta).toMatchObject({ type: 'timeseries-multi', typeVersion: [0, 1] });
    expect(frame.meta!.custom.period).toBe(q.json.period);
    expect(frame.fields.map((f) => f.name)).toEqual(['time', 'value']);
    expect(frame.fields[1].labels).toEqual({
      region: 'us-east-1',
      eventSource: series.eventSource,
      eventName: series.eventName,
      insightType: series.insightType,
      ...(series.errorCode ? { errorCode: series.errorCode } : {}),
    });
    expect(frame.fields[1].config).toMatchObject({ unit: 'short' });
    expect(frame.meta!.executedQueryString).toMatch(
      new RegExp(
        `^ListInsightsMetricData EventSource=${series.eventSource} EventName=${series.eventName} InsightType=${series.insightType}.* Period=${q.json.period} StartTime=\\S+Z EndTime=\\S+Z DataType=FillWithZeros$`
      )
    );
    expect(statsOf(frame)).toMatchObject({ 'API calls': 1, Pages: 1 });
    // FillWithZeros: one point per ended bucket, evenly spaced.
    const times = frame.fields[0].values as number[];
    times.slice(1).forEach((t, i) => expect(t - times[i]).toBe(Number(q.json.period) * 1000));
    await expectMatchesOracle(frame, series, 'FillWithZeros');
  }
  const call = answers['0-60'].frames[0];
  expect(call.fields[1].config!.displayNameFromDS).toBe(
    `${callRate.eventName} (${callRate.eventSource.replace('.amazonaws.com', '')}) call rate`
  );
});

test('a range longer than one page is fetched page by page and merged', async () => {
  const now = Date.now();
  stack.sim.resetCounts();
  const answers = await stack.plugin.query(stack.ds, [
    { refId: 'P', json: seriesQuery(callRate, { period: 60 }), fromMs: now - 5 * DAY_MS, toMs: now },
  ]);
  const [frame] = answers.P.frames;
  expect(answers.P.error).toBe('');
  // 5 days at 60 s = 7,200 buckets, 3,000 per page.
  expect(statsOf(frame)).toMatchObject({ 'API calls': 3, Pages: 3 });
  expect(stack.sim.calls().ListInsightsMetricData).toBe(3);
  expect(frame.fields[0].values.length).toBeGreaterThanOrEqual(7_198);
  await expectMatchesOracle(frame, callRate, 'FillWithZeros');
});

test('NonZeroData keeps only non-zero buckets; an unknown series is a typed empty frame', async () => {
  const now = Date.now();
  const answers = await stack.plugin.query(stack.ds, [
    {
      refId: 'N',
      json: seriesQuery(errorRate, { period: 3600, dataType: 'NonZeroData' }),
      fromMs: now - 60 * DAY_MS,
      toMs: now,
    },
    {
      refId: 'E',
      json: seriesQuery({ ...callRate, eventName: 'NoSuchCall' }, { dataType: 'NonZeroData' }),
      fromMs: now - 6 * HOUR_MS,
      toMs: now,
    },
  ]);
  const [nonZero] = answers.N.frames;
  expect((nonZero.fields[1].values as number[]).every((v) => v > 0)).toBe(true);
  await expectMatchesOracle(nonZero, errorRate, 'NonZeroData');
  expect(answers.E).toMatchObject({ error: '', status: 200 });
  expect(answers.E.frames).toHaveLength(1);
  expect(answers.E.frames[0].fields.map((f) => [f.name, f.values.length])).toEqual([
    ['time', 0],
    ['value', 0],
  ]);
  expect(answers.E.frames[0].fields[1].labels).toMatchObject({ eventName: 'NoSuchCall' });
});

test('planner notices reach the frame: retention-limited period and range older than 90 days', async () => {
  const now = Date.now();
  const answers = await stack.plugin.query(stack.ds, [
    { refId: 'W', json: seriesQuery(callRate, { period: 60 }), fromMs: now - 30 * DAY_MS, toMs: now },
    { refId: 'I', json: seriesQuery(callRate, { period: 3600 }), fromMs: now - 120 * DAY_MS, toMs: now },
  ]);
  const warn = answers.W.frames[0];
  expect(warn.meta!.custom.period).toBe(300);
  expect(warn.meta!.notices).toEqual([
    expect.objectContaining({ severity: 'warning', text: expect.stringContaining('using 300 s') }),
  ]);
  const info = answers.I.frames[0];
  expect(info.meta!.notices).toEqual([
    expect.objectContaining({ severity: 'info', text: expect.stringContaining('90 days') }),
  ]);
  await expectMatchesOracle(info, callRate, 'FillWithZeros');
});

test('region override and legend format', async () => {
  const now = Date.now();
  const west = stack.sim.catalog('eu-west-1').series[0];
  const answers = await stack.plugin.query(stack.ds, [
    {
      refId: 'R',
      json: seriesQuery(west, { region: 'eu-west-1', legendFormat: '{{eventName}} in {{region}}' }),
      fromMs: now - 6 * HOUR_MS,
      toMs: now,
    },
  ]);
  const [frame] = answers.R.frames;
  expect(frame.fields[1].labels!.region).toBe('eu-west-1');
  expect(frame.fields[1].config!.displayNameFromDS).toBe(`${west.eventName} in eu-west-1`);
  await expectMatchesOracle(frame, west, 'FillWithZeros', 'eu-west-1');
});

test('a trail name is sent as TrailName and becomes a label', async () => {
  const now = Date.now();
  const answers = await stack.plugin.query(stack.ds, [
    { refId: 'T', json: seriesQuery(errorRate, { trailName: TRAIL_NAME }), fromMs: now - 3 * HOUR_MS, toMs: now },
  ]);
  expect(answers.T).toMatchObject({ error: '', status: 200 });
  const [frame] = answers.T.frames;
  expect(frame.fields[1].labels).toMatchObject({ trailName: TRAIL_NAME, errorCode: errorRate.errorCode });
  expect(frame.meta!.executedQueryString).toContain(`ErrorCode=${errorRate.errorCode} TrailName=${TRAIL_NAME} Period=`);
  await expectMatchesOracle(frame, errorRate, 'FillWithZeros', 'us-east-1', TRAIL_NAME);
});

test('every bad query fails alone with a clear message; the valid one in the same request answers', async () => {
  const now = Date.now();
  stack.sim.resetCounts();
  const answers = await stack.plugin.query(stack.ds, [
    { refId: 'OK', json: seriesQuery(callRate), fromMs: now - 2 * HOUR_MS, toMs: now },
    { refId: 'NAME', json: seriesQuery({ ...callRate, eventName: 'Create-User' }), fromMs: now - HOUR_MS, toMs: now },
    { refId: 'CODE', json: seriesQuery({ ...errorRate, errorCode: undefined }), fromMs: now - HOUR_MS, toMs: now },
    { refId: 'RANGE', json: seriesQuery(callRate), fromMs: now, toMs: now - HOUR_MS },
    { refId: 'REGION', json: seriesQuery(callRate, { region: 'mars-1' }), fromMs: now - HOUR_MS, toMs: now },
    { refId: 'JUNK', json: { period: 'weekly' }, fromMs: now - HOUR_MS, toMs: now },
    { refId: 'TRAIL', json: seriesQuery(callRate, { trailName: 'no-such-trail' }), fromMs: now - HOUR_MS, toMs: now },
  ]);
  expect(answers.OK).toMatchObject({ error: '', status: 200 });
  expect(answers.NAME).toMatchObject({
    status: 400,
    errorSource: 'plugin',
    error: expect.stringContaining('Event name "Create-User"'),
  });
  expect(answers.CODE).toMatchObject({
    status: 400,
    errorSource: 'plugin',
    error: expect.stringContaining('Error code is required'),
  });
  expect(answers.RANGE).toMatchObject({
    status: 400,
    errorSource: 'plugin',
    error: expect.stringContaining('empty or reversed'),
  });
  expect(answers.REGION).toMatchObject({
    status: 400,
    errorSource: 'plugin',
    error: expect.stringContaining('Region "mars-1"'),
  });
  expect(answers.JUNK).toMatchObject({
    status: 400,
    errorSource: 'plugin',
    error: expect.stringContaining('Event source is required'),
  });
  expect(answers.TRAIL).toMatchObject({
    status: 404,
    errorSource: 'downstream',
    error: expect.stringContaining('TrailNotFoundException'),
  });
  // Only the valid query (unless an earlier test cached it) and the one AWS had to judge cost calls.
  const okCalls = statsOf(answers.OK.frames[0])['API calls'];
  expect(stack.sim.calls().ListInsightsMetricData).toBe(1 + okCalls);
});

test('ListInsightsMetricData denied by IAM: that query fails naming cloudtrail:LookupEvents; an annotation query in the same request answers', async () => {
  const now = Date.now();
  stack.sim.setFaults({ accessDenied: { operations: ['ListInsightsMetricData'] } });
  try {
    stack.sim.resetCounts();
    // eu-central-1 is asked by no other test, so nothing is served from the cache.
    const answers = await stack.plugin.query(stack.ds, [
      {
        refId: 'DENIED',
        json: seriesQuery(callRate, { region: 'eu-central-1' }),
        fromMs: now - 2 * HOUR_MS,
        toMs: now,
      },
      { refId: 'NOTES', queryType: 'annotations', json: {}, fromMs: now - 30 * DAY_MS, toMs: now },
    ]);
    expect(answers.DENIED).toMatchObject({ status: 403, errorSource: 'downstream', frames: [] });
    expect(answers.DENIED.error).toMatch(
      /^Access denied for ListInsightsMetricData: grant the IAM action cloudtrail:LookupEvents to these credentials \(User: arn:aws:iam::\d{12}:user\/simulator-user is not authorized to perform: cloudtrail:LookupEvents on resource: \* because no identity-based policy allows the cloudtrail:LookupEvents action\)\.$/
    );
    expect(answers.NOTES).toMatchObject({ error: '', status: 200 });
    expect(answers.NOTES.frames[0].fields.map((f) => f.name)).toEqual(['time', 'timeEnd', 'title', 'text', 'tags']);
    // A denial is final: asked once, not retried.
    expect(stack.sim.calls().ListInsightsMetricData).toBe(1);
  } finally {
    stack.sim.setFaults({ accessDenied: false });
  }
});
