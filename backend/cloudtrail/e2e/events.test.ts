/**
 * Insights events queries through the built executable over gRPC against the simulator: the table
 * (columns, Arrow types, Start/End merged, ongoing rows, attributions), paging LookupEvents past
 * 50 events, the notice when the page bound cuts the list, and counts for alert rules.
 */
import { type EpisodeInfo } from '../../../simulator';
import { DAY_MS, PluginUnderTest, type DecodedFrame } from './harness';
import { stackForFile } from './stack';

jest.setTimeout(120_000);

const KEYS = { accessKeyId: 'AKIDEVENTS', secretAccessKey: 'events-secret' };
const MIN = 60_000;

/** The simulator's data clock runs this far behind real time, so that one episode is ongoing. */
let lagMs = 0;
const stack = stackForFile({ seed: 'events', keys: KEYS, simulator: { now: () => Date.now() - lagMs } });
let bounded: PluginUnderTest;
let ongoing: EpisodeInfo;

beforeAll(async () => {
  // Put the data clock 5 minutes into an episode that lasts at least 30 minutes.
  // The newest such episode that is already over, so the clock moves back as little as possible.
  const candidate = stack.sim
    .catalog('us-east-1')
    .episodes.filter((e) => e.endMs - e.startMs >= 30 * MIN && e.endMs < Date.now())
    .at(-1)!;
  lagMs = Date.now() - (candidate.startMs + 5 * MIN);
  ongoing = candidate;
  bounded = await PluginUnderTest.launch({ CLOUDTRAIL_LOOKUP_MAX_PAGES: '2' });
});

afterAll(async () => {
  await bounded?.stop();
});

const column = (frame: DecodedFrame, name: string) => frame.fields.find((f) => f.name === name)!;

test('the events table: one row per Insight with Start and End merged, typed columns, attributions', async () => {
  const now = Date.now();
  const simNow = now - lagMs;
  // The plugin lists [now - 90 d, now]; the simulator has events up to its own clock.
  const lookupFrom = now - 90 * DAY_MS;
  const listed = (t: number) => t >= lookupFrom && t <= simNow;
  const episodes = stack.sim.catalog('us-east-1').episodes.filter((e) => listed(e.startMs) || listed(e.endMs));
  const events = episodes.filter((e) => listed(e.startMs)).length + episodes.filter((e) => listed(e.endMs)).length;
  // Far more than one LookupEvents page of 50.
  expect(events).toBeGreaterThan(100);
  stack.sim.resetCounts();
  const answers = await stack.plugin.query(stack.ds, [
    { refId: 'E', queryType: 'events', json: { queryType: 'events' }, fromMs: lookupFrom, toMs: now },
  ]);
  expect(answers.E).toMatchObject({ status: 200, error: '' });
  // One more: the first call of these credentials proves they hold cloudtrail:LookupEvents (clients.ts).
  expect(stack.sim.calls().LookupEvents).toBe(Math.ceil(events / 50) + 1);
  const [frame] = answers.E.frames;
  expect(frame.meta?.notices).toBeUndefined();
  expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
    ['start', 'Timestamp<NANOSECOND>'],
    ['end', 'Timestamp<NANOSECOND>'],
    ['duration', 'Float64'],
    ['state', 'Utf8'],
    ['eventSource', 'Utf8'],
    ['eventName', 'Utf8'],
    ['insightType', 'Utf8'],
    ['errorCode', 'Utf8'],
    ['baselineAverage', 'Float64'],
    ['insightAverage', 'Float64'],
    ['ratio', 'Float64'],
    ['userIdentities', 'Utf8'],
    ['userAgents', 'Utf8'],
    ['errorCodes', 'Utf8'],
    ['region', 'Utf8'],
    ['eventId', 'Utf8'],
    ['eventHistory', 'Utf8'],
  ]);
  expect(column(frame, 'eventHistory').values[0]).toMatch(
    /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudtrail\/home\?region=us-east-1#\/events\?EventName=\w+&StartTime=/
  );
  expect(column(frame, 'eventId').config?.links[0].url).toBe(
    'https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/insights'
  );
  // One row per Insight, newest first: its Start and End merged; an End whose Start is older
  // than the listing starts and ends at its own time; an Insight without End is ongoing.
  const expected = episodes
    .map((e) =>
      !listed(e.startMs)
        ? [e.endMs, e.endMs, 'Ended']
        : e.endMs <= simNow
          ? [e.startMs, e.endMs, 'Ended']
          : [e.startMs, null, 'Ongoing']
    )
    .sort((a, b) => (b[0] as number) - (a[0] as number));
  const starts = column(frame, 'start').values as number[];
  const rows = starts.map((start, i) => [start, column(frame, 'end').values[i], column(frame, 'state').values[i]]);
  expect(rows).toEqual(expected);
  const ongoingRow = starts.indexOf(ongoing.startMs);
  expect(column(frame, 'duration').values[ongoingRow]).toBeGreaterThanOrEqual(5 * 60);
  expect(column(frame, 'eventName').values[ongoingRow]).toBe(ongoing.eventName);
  const service = ongoing.eventSource.split('.')[0];
  expect(column(frame, 'userIdentities').values[ongoingRow]).toMatch(
    new RegExp(
      `^arn:aws:iam::\\d{12}:role/${service}-automation \\((\\d+)%\\), arn:aws:iam::\\d{12}:user/ops-${service} \\((\\d+)%\\)$`
    )
  );
  const captured = [...String(column(frame, 'userIdentities').values[ongoingRow]).matchAll(/\((\d+)%\)/g)].map((m) =>
    Number(m[1])
  );
  expect(Math.abs(captured[0] + captured[1] - 100)).toBeLessThanOrEqual(1);
  expect(column(frame, 'region').values.every((r) => r === 'us-east-1')).toBe(true);
  const ratios = column(frame, 'ratio').values as Array<number | null>;
  const insightAverages = column(frame, 'insightAverage').values as number[];
  const baselines = column(frame, 'baselineAverage').values as number[];
  ratios.forEach((r, i) => r !== null && expect(r).toBeCloseTo(insightAverages[i] / baselines[i], 6));
});

test('filters and counts: ongoing Insights per series as numeric data for alert rules', async () => {
  const now = Date.now();
  const answers = await stack.plugin.query(stack.ds, [
    {
      refId: 'ON',
      queryType: 'events',
      json: { state: 'ongoing', eventSource: ongoing.eventSource },
      fromMs: now - 3600_000,
      toMs: now,
    },
    {
      refId: 'COUNT',
      queryType: 'events',
      json: { state: 'ongoing', eventsFormat: 'count', eventSource: ongoing.eventSource },
      fromMs: now - 600_000,
      toMs: now,
    },
    { refId: 'BAD', queryType: 'events', json: { state: 'sometimes' }, fromMs: now - 600_000, toMs: now },
  ]);
  expect(column(answers.ON.frames[0], 'start').values).toEqual([ongoing.startMs]);
  const counts = answers.COUNT.frames;
  expect(counts.every((f) => f.meta?.type === 'numeric-multi')).toBe(true);
  expect(counts[0].meta).toMatchObject({ type: 'numeric-multi', typeVersion: [0, 1] });
  const seriesOf = stack.sim.catalog('us-east-1').episodes.filter((e) => e.eventSource === ongoing.eventSource);
  const distinct = new Set(seriesOf.map((e) => `${e.eventName}|${e.insightType}|${e.errorCode ?? ''}`));
  expect(counts).toHaveLength(distinct.size);
  const hit = counts.filter((f) => f.fields[0].values[0] === 1);
  expect(hit.map((f) => f.fields[0].labels)).toEqual([
    {
      region: 'us-east-1',
      eventSource: ongoing.eventSource,
      eventName: ongoing.eventName,
      insightType: ongoing.insightType,
      ...(ongoing.errorCode ? { errorCode: ongoing.errorCode } : {}),
    },
  ]);
  expect(counts.filter((f) => f.fields[0].values[0] === 0)).toHaveLength(distinct.size - 1);
  expect(answers.BAD).toMatchObject({ status: 400, errorSource: 'plugin', error: expect.stringContaining('State') });
});

test('a list cut by the page bound (CLOUDTRAIL_LOOKUP_MAX_PAGES=2) says so in a notice', async () => {
  const now = Date.now();
  stack.sim.resetCounts();
  const answers = await bounded.query(stack.ds, [
    { refId: 'E', queryType: 'events', json: {}, fromMs: now - 90 * DAY_MS, toMs: now },
  ]);
  expect(stack.sim.calls().LookupEvents).toBe(2 + 1); // + the permission proof of this plugin's first call
  const [frame] = answers.E.frames;
  // The newest 100 events, merged: at most 100 rows, all newer than anything missing.
  expect(column(frame, 'start').values.length).toBeLessThanOrEqual(100);
  expect(frame.meta?.notices).toEqual([
    expect.objectContaining({
      severity: 'warning',
      text: expect.stringMatching(/^Only the newest 100 Insights events of the last 90 days were read \(2 pages of 50/),
    }),
  ]);
});
