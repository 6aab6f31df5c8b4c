import { tableFromIPC } from 'apache-arrow';
import { encodeFrame } from '../../sdk/arrowEncoder';
import { migrateQuery } from '../../../src/shared/migrate';
import { runEventsQuery } from './eventsQuery';
import type { Insight, InsightList } from '../core/insights';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 1);
const NOW = T0 + 120 * MIN;
const insight = (over: Partial<Insight>): Insight => ({
  id: 'i',
  eventId: 'e',
  startMs: T0,
  endMs: T0 + 10 * MIN,
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateUser',
  insightType: 'ApiCallRateInsight',
  baselineAverage: 0.5,
  insightAverage: 5,
  ...over,
});
const list = (insights: Insight[], truncated = false): InsightList => ({
  insights,
  fetchedAtMs: NOW,
  truncated,
  pages: 2,
});
const LIST = list([
  insight({ id: 'ended', eventId: 'e1' }),
  insight({ id: 'open', eventId: 'e2', startMs: T0 + 60 * MIN, endMs: undefined, baselineAverage: 0 }),
  insight({
    id: 'err',
    eventId: 'e3',
    insightType: 'ApiErrorRateInsight',
    errorCode: 'AccessDenied',
    eventName: 'AttachRolePolicy',
  }),
  insight({ id: 'old', eventId: 'e4', startMs: T0 - 600 * MIN, endMs: T0 - 590 * MIN }),
]);
const run = (json: Record<string, unknown>, l = LIST) =>
  runEventsQuery({
    refId: 'E',
    model: migrateQuery({ queryType: 'events', ...json }),
    region: 'eu-west-1',
    range: { fromMs: T0 - 30 * MIN, toMs: NOW },
    list: l,
    nowMs: NOW,
  });

test('the table has one typed row per Insight in range, newest first; ongoing rows have no end', () => {
  const [frame] = run({}).frames;
  const column = (name: string) => frame.fields.find((f) => f.name === name)!;
  expect(frame.fields.map((f) => [f.name, f.type])).toEqual([
    ['start', 'time'],
    ['end', 'time'],
    ['duration', 'number'],
    ['state', 'string'],
    ['eventSource', 'string'],
    ['eventName', 'string'],
    ['insightType', 'string'],
    ['errorCode', 'string'],
    ['baselineAverage', 'number'],
    ['insightAverage', 'number'],
    ['ratio', 'number'],
    ['userIdentities', 'string'],
    ['userAgents', 'string'],
    ['errorCodes', 'string'],
    ['region', 'string'],
    ['eventId', 'string'],
    ['eventHistory', 'string'],
  ]);
  // Console links in the data's region.
  expect(column('eventId').config?.links).toEqual([
    expect.objectContaining({
      url: 'https://eu-west-1.console.aws.amazon.com/cloudtrail/home?region=eu-west-1#/insights',
    }),
  ]);
  expect(column('eventHistory').config?.links).toEqual([expect.objectContaining({ url: '${__value.raw}' })]);
  expect(column('eventHistory').values[1]).toBe(
    'https://eu-west-1.console.aws.amazon.com/cloudtrail/home?region=eu-west-1#/events?EventName=CreateUser' +
      `&StartTime=${encodeURIComponent(new Date(T0).toISOString())}&EndTime=${encodeURIComponent(new Date(T0 + 10 * MIN).toISOString())}`
  );
  expect(column('eventId').values).toEqual(['e2', 'e1', 'e3']);
  expect(column('end').values).toEqual([null, T0 + 10 * MIN, T0 + 10 * MIN]);
  expect(column('state').values).toEqual(['Ongoing', 'Ended', 'Ended']);
  expect(column('duration').values).toEqual([3600, 600, 600]);
  expect(column('ratio').values).toEqual([null, 10, 10]);
  expect(column('errorCode').values).toEqual([null, null, 'AccessDenied']);
  expect(column('region').values).toEqual(['eu-west-1', 'eu-west-1', 'eu-west-1']);
  expect(frame.meta?.notices).toBeUndefined();
  // Arrow: Utf8 (never Dictionary), nanosecond timestamps, nullable end.
  const table = tableFromIPC(encodeFrame(frame));
  expect(String(table.schema.fields.find((f) => f.name === 'eventName')!.type)).toBe('Utf8');
  expect(table.schema.fields.find((f) => f.name === 'end')!.nullable).toBe(true);
});

test('filters: state, insight type, error code, event name', () => {
  const ids = (json: Record<string, unknown>) => run(json).frames[0].fields.find((f) => f.name === 'eventId')!.values;
  expect(ids({ state: 'ongoing' })).toEqual(['e2']);
  expect(ids({ state: 'ended' })).toEqual(['e1', 'e3']);
  expect(ids({ insightType: 'ApiErrorRateInsight' })).toEqual(['e3']);
  expect(ids({ errorCode: 'AccessDenied' })).toEqual(['e3']);
  expect(ids({ eventName: 'CreateUser' })).toEqual(['e2', 'e1']);
});

test('a list cut by the page bound says so in a notice', () => {
  const [frame] = run({}, list(LIST.insights, true)).frames;
  expect(frame.meta?.notices).toEqual([
    expect.objectContaining({ severity: 'warning', text: expect.stringContaining('newest 100 Insights events') }),
  ]);
});

test('counts: one numeric frame per series with labels, zero for series without a match', () => {
  const frames = run({ eventsFormat: 'count', state: 'ongoing' }).frames;
  expect(frames.every((f) => f.meta?.type === 'numeric-multi')).toBe(true);
  const byLabels = frames.map((f) => [f.fields[0].labels, f.fields[0].values[0]]);
  expect(byLabels).toEqual(
    expect.arrayContaining([
      [
        {
          region: 'eu-west-1',
          eventSource: 'iam.amazonaws.com',
          eventName: 'CreateUser',
          insightType: 'ApiCallRateInsight',
        },
        1,
      ],
      [
        {
          region: 'eu-west-1',
          eventSource: 'iam.amazonaws.com',
          eventName: 'AttachRolePolicy',
          insightType: 'ApiErrorRateInsight',
          errorCode: 'AccessDenied',
        },
        0,
      ],
    ])
  );
  expect(frames).toHaveLength(2);
  const none = run({ eventsFormat: 'count', eventSource: 's3.amazonaws.com' }).frames;
  expect(none).toEqual([
    expect.objectContaining({ fields: [], meta: expect.objectContaining({ type: 'numeric-multi' }) }),
  ]);
  expect(() => encodeFrame(none[0])).not.toThrow();
});
