/** Steady units through the built executable: per-minute values are the per-period values ÷ (period / 60). */
import type { SeriesInfo } from '../../../simulator';
import { HOUR_MS, seriesQuery } from './harness';
import { stackForFile } from './stack';

jest.setTimeout(60_000);

const stack = stackForFile({ seed: 'units', keys: { accessKeyId: 'AKIDUNITS', secretAccessKey: 'units-secret' } });
let busy: SeriesInfo;

beforeAll(async () => {
  busy = stack.sim.catalog('us-east-1').series.reduce((a, b) => (b.baseRatePerMinute > a.baseRatePerMinute ? b : a));
});

test.each([300, 3600])(
  'period %i s: per minute = per period ÷ (period / 60), unit and name say which',
  async (period) => {
    const to = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    const range = { fromMs: to - 12 * HOUR_MS, toMs: to };
    const answers = await stack.plugin.query(stack.ds, [
      { refId: 'P', json: seriesQuery(busy, { period }), ...range },
      { refId: 'M', json: seriesQuery(busy, { period, valueUnit: 'perMinute' }), ...range },
    ]);
    const [perPeriod, perMinute] = [answers.P.frames[0].fields[1], answers.M.frames[0].fields[1]];
    expect(perPeriod.values.length).toBeGreaterThan(0);
    expect((perPeriod.values as number[]).some((v) => v > 0)).toBe(true);
    expect(perMinute.values).toEqual((perPeriod.values as number[]).map((v) => v / (period / 60)));
    expect(perPeriod.config).toMatchObject({ unit: 'short' });
    expect(perMinute.config).toMatchObject({ unit: 'cpm' });
    expect(perMinute.config!.displayNameFromDS).toBe(`${perPeriod.config!.displayNameFromDS} per minute`);
  }
);

test('a series links to its event history in the CloudTrail console, in its region, over the queried range', async () => {
  const to = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  const answers = await stack.plugin.query(stack.ds, [
    { refId: 'W', json: seriesQuery(busy, { period: 300, region: 'eu-west-1' }), fromMs: to - HOUR_MS, toMs: to },
  ]);
  const [link] = answers.W.frames[0].fields[1].config!.links;
  expect(link).toMatchObject({ title: 'Event history in the CloudTrail console', targetBlank: true });
  expect(link.url).toBe(
    `https://eu-west-1.console.aws.amazon.com/cloudtrail/home?region=eu-west-1#/events?EventName=${busy.eventName}` +
      `&StartTime=${encodeURIComponent(new Date(to - HOUR_MS).toISOString())}` +
      `&EndTime=${encodeURIComponent(new Date(to).toISOString())}`
  );
});
