/**
 * Annotation queries (Insights Start/End pairs from LookupEvents) and the metrics exposed through
 * CollectMetrics, through the built executable against the simulator.
 */
import { type SeriesInfo } from '../../../simulator';
import { DAY_MS, HOUR_MS, seriesQuery } from './harness';
import { stackForFile } from './stack';

jest.setTimeout(60_000);

const KEYS = { accessKeyId: 'AKIDANNOTATIONS', secretAccessKey: 'annotation-secret' };

const stack = stackForFile({ seed: 'annotations', keys: KEYS });
let callRate: SeriesInfo;

beforeAll(async () => {
  // A call-rate series that had Insights in the last 30 days, so the filtered list is not empty.
  const catalog = stack.sim.catalog('us-east-1');
  const recent = catalog.episodes.filter(
    (e) => e.insightType === 'ApiCallRateInsight' && e.startMs > Date.now() - 29 * DAY_MS
  );
  callRate = catalog.series.find(
    (s) =>
      s.insightType === 'ApiCallRateInsight' &&
      recent.some((e) => e.eventName === s.eventName && e.eventSource === s.eventSource)
  )!;
});

test('annotations: Insights Start/End pairs with averages and tags, optionally filtered', async () => {
  const now = Date.now();
  const from = now - 30 * DAY_MS;
  const episodes = stack.sim.catalog('us-east-1').episodes.filter((e) => e.startMs < now && e.endMs >= from);
  const answers = await stack.plugin.query(stack.ds, [
    { refId: 'ALL', queryType: 'annotations', json: {}, fromMs: from, toMs: now },
    {
      refId: 'ONE',
      queryType: 'annotations',
      json: { eventSource: callRate.eventSource, eventName: callRate.eventName, insightType: callRate.insightType },
      fromMs: from,
      toMs: now,
    },
    { refId: 'BAD', queryType: 'annotations', json: { eventSource: 'not a source' }, fromMs: from, toMs: now },
  ]);
  const [frame] = answers.ALL.frames;
  expect(frame.fields.map((f) => f.name)).toEqual(['time', 'timeEnd', 'title', 'text', 'tags']);
  expect(frame.fields[0].values.length).toBe(episodes.length);
  const starts = new Set(episodes.map((e) => e.startMs));
  (frame.fields[0].values as number[]).forEach((t) => expect(starts.has(t)).toBe(true));
  const ends = frame.fields[1].values as number[];
  (frame.fields[0].values as number[]).forEach((t, i) => expect(ends[i]).toBeGreaterThan(t));
  const [averages, identities, agents, link] = String(frame.fields[3].values[0]).split('\n');
  expect(link).toBe(
    'CloudTrail console: https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/insights'
  );
  expect(averages).toMatch(/^Insight average [\d,.]+ (calls|errors)\/min vs baseline [\d,.]+ (calls|errors)\/min\.$/);
  expect(identities).toMatch(/^Top user identities: arn:aws:iam::\d{12}:role\/[a-z0-9]+-automation \(\d+%\), /);
  expect(agents).toMatch(/^Top user agents: aws-sdk-go-v2\S* os\/linux lang\/go#[\d.]+ \(\d+%\), /);
  expect(frame.fields[2].values[0]).toMatch(/^Unusual API (call|error) rate: /);
  const one = answers.ONE.frames[0];
  const expectedOne = episodes.filter(
    (e) =>
      e.eventSource === callRate.eventSource &&
      e.eventName === callRate.eventName &&
      e.insightType === callRate.insightType
  );
  expect(expectedOne.length).toBeGreaterThan(0);
  expect(one.fields[0].values.length).toBe(expectedOne.length);
  (one.fields[4].values as string[]).forEach((tags) =>
    expect(tags.split(',')).toEqual(expect.arrayContaining([callRate.eventSource, callRate.eventName]))
  );
  expect(answers.BAD).toMatchObject({ status: 400, errorSource: 'plugin' });
});

test('CollectMetrics exposes API calls, cache lookups and latency', async () => {
  const now = Date.now();
  await stack.plugin.query(stack.ds, [{ refId: 'M', json: seriesQuery(callRate), fromMs: now - HOUR_MS, toMs: now }]);
  const text = await stack.plugin.metricsText();
  expect(text).toMatch(/cloudtrail_insights_api_calls_total\{operation="ListInsightsMetricData",outcome="ok"\} \d+/);
  expect(text).toMatch(/cloudtrail_insights_cache_lookups_total\{result="miss"\} \d+/);
  expect(text).toMatch(/cloudtrail_insights_api_call_duration_seconds_count\{operation="LookupEvents"\} \d+/);
});
