/**
 * A cold dashboard larger than the 1 call/s quota serves before the deadline, through the built
 * executable over gRPC against the simulator's real quota: no query errors; the series whose turn
 * comes too late answer with what is cached (nothing, or an older part) and a notice saying when
 * to refresh, never with zeros for the range not fetched; the fetches go on in the background, so
 * a refresh at that time is complete and costs no call.
 */
import { DAY_MS, HOUR_MS, seriesQuery, type DecodedResponse, type QuerySpec } from './harness';
import { stackForFile } from './stack';

jest.setTimeout(90_000);

const KEYS = { accessKeyId: 'AKIDCOLDTEST', secretAccessKey: 'cold-secret' };

const stack = stackForFile({ seed: 'cold', keys: KEYS, refresher: false });

const notice = (a: DecodedResponse): string | undefined =>
  a.frames[0]?.meta?.notices?.find((n: { text: string }) => /still loading/.test(n.text))?.text;

test('series past the deadline answer from cache with a notice, not an error or zeros; the refresh is complete', async () => {
  // A fixed range of ended buckets (the 24 h up to the last whole hour), so a refresh asks for the same ones.
  const toMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  const [older, ...others] = stack.sim
    .catalog('us-east-1')
    .series.slice(0, 6)
    .map((s) => seriesQuery(s, { period: 300 }));
  const panel = (refId: string, json: Record<string, unknown>, fromMs = toMs - DAY_MS): QuerySpec => ({
    refId,
    json,
    fromMs,
    toMs,
    maxDataPoints: 288,
    intervalMs: 300_000,
  });
  stack.sim.resetCounts();
  // The newer half of one series is cached already (a panel showing the last 12 h).
  const half = await stack.plugin.query(stack.ds, [panel('H', older, toMs - DAY_MS / 2)]);
  expect(half.H.frames[0].fields[0].values).toHaveLength(144);

  const dashboard = [...others.map((json, i) => panel(`P${i}`, json)), panel('OLDER', older)];
  const started = Date.now();
  const first = await Promise.all(
    dashboard.map(async (q, i) => {
      await new Promise((r) => setTimeout(r, i * 20)); // the OLDER panel queues last
      return (await stack.plugin.query(stack.ds, [q], { deadlineMs: 4_000 }))[q.refId];
    })
  );
  expect(first.map((a) => a.error)).toEqual(dashboard.map(() => ''));
  const partial = first.filter((a) => notice(a));
  expect(partial.length).toBeGreaterThanOrEqual(2);
  for (const a of first) {
    const rows = a.frames[0].fields[0].values.length;
    if (notice(a)) {
      expect(notice(a)).toMatch(
        /^1 of 1 series is still loading: CloudTrail allows 1 call per second; refresh in about \d+ s\.$/
      );
      expect(a.frames[0].meta?.custom?.source).toBe('loading');
    } else {
      expect(rows).toBe(288);
    }
  }
  // The OLDER panel's turn came last: it shows its cached half and nothing (no zeros) for the older one.
  const olderAnswer = first[dashboard.length - 1];
  expect(notice(olderAnswer)).toBeDefined();
  const times = olderAnswer.frames[0].fields[0].values as number[];
  expect(times).toHaveLength(144);
  expect(Math.min(...times)).toBeGreaterThanOrEqual(toMs - DAY_MS / 2);

  const refreshInS = Math.max(...partial.map((a) => Number(/about (\d+) s/.exec(notice(a)!)![1])));
  await new Promise((r) => setTimeout(r, started + refreshInS * 1000 + 1_000 - Date.now()));
  const callsBefore = stack.sim.calls().ListInsightsMetricData;
  const refresh = await Promise.all(dashboard.map(async (q) => (await stack.plugin.query(stack.ds, [q]))[q.refId]));
  for (const a of refresh) {
    expect({ error: a.error, notice: notice(a), rows: a.frames[0].fields[0].values.length }).toEqual({
      error: '',
      notice: undefined,
      rows: 288,
    });
  }
  expect(stack.sim.calls().ListInsightsMetricData).toBe(callsBefore); // the background fetches finished before it
  // One call per series and range in all: the cached half, five series, the older half of the sixth.
  expect(stack.sim.calls().ListInsightsMetricData - (stack.sim.throttled().ListInsightsMetricData ?? 0)).toBe(7);
});
