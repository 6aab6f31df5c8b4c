/**
 * Fault tests through the built executable: each fault ends in success (after bounded retries)
 * or a clear per-query error, within bounded time, and the process stays alive and useful.
 */
import { type RunningSimulator, type SeriesInfo } from '../../../simulator';
import { NO_FAULTS } from '../../../simulator/faults';
import {
  HOUR_MS,
  PluginUnderTest,
  startStack,
  stopStack,
  seriesQuery,
  type DataSourceConfig,
  type DecodedResponse,
} from './harness';

jest.setTimeout(90_000);

const KEYS = { accessKeyId: 'AKIDFAULTTEST', secretAccessKey: 'fault-secret' };

let sim: RunningSimulator;
let plugin: PluginUnderTest;
let ds: DataSourceConfig;
let series: SeriesInfo[];
let next = 0;

beforeAll(async () => {
  ({ sim, plugin, ds } = await startStack('faults', KEYS));
  series = sim.catalog('us-east-1').series;
});

afterEach(async () => {
  sim.setFaults(NO_FAULTS);
  // Whatever happened, the process still answers and serves a fresh query.
  expect(await plugin.alive()).toBe(true);
  const ok = await queryFresh();
  expect(ok.answer).toMatchObject({ error: '', status: 200 });
});

afterAll(async () => {
  // No fault may leave an unhandled rejection or exception behind in the plugin.
  expect(plugin.plugin.stderr()).not.toMatch(/unhandled promise rejection|uncaught exception/);
  await stopStack({ plugin, sim });
});

/** A query for a series no earlier test has cached, timed. */
async function queryFresh(deadlineMs = 30_000): Promise<{ answer: DecodedResponse; ms: number }> {
  const s = series[next++ % series.length];
  const now = Date.now();
  const started = Date.now();
  const answers = await plugin.query(ds, [{ refId: 'A', json: seriesQuery(s), fromMs: now - 3 * HOUR_MS, toMs: now }], {
    deadlineMs,
  });
  return { answer: answers.A, ms: Date.now() - started };
}

const statsOf = (answer: DecodedResponse) =>
  Object.fromEntries(answer.frames[0].meta!.stats.map((s: any) => [s.displayName, s.value]));

test('a short throttling storm is ridden out with backoff', async () => {
  sim.setFaults({ throttleAll: true });
  setTimeout(() => sim.setFaults({ throttleAll: false }), 1_500);
  const { answer, ms } = await queryFresh();
  expect(answer).toMatchObject({ error: '', status: 200 });
  expect(statsOf(answer).Retries).toBeGreaterThanOrEqual(1);
  expect(ms).toBeLessThan(15_000);
});

test('an endless throttling storm ends in a clear error before the deadline', async () => {
  sim.setFaults({ throttleAll: true });
  const { answer, ms } = await queryFresh(20_000);
  expect(answer).toMatchObject({
    status: 429,
    errorSource: 'downstream',
    error: expect.stringContaining('CloudTrail kept throttling ListInsightsMetricData'),
  });
  expect(ms).toBeLessThan(20_000);
});

test('transient 5xx answers are retried', async () => {
  sim.setFaults({ serverError: { count: 2 } });
  const { answer } = await queryFresh();
  expect(answer).toMatchObject({ error: '', status: 200 });
  expect(statsOf(answer)).toMatchObject({ Retries: 2, 'API calls': 3 });
});

test('persistent 5xx answers end in a clear downstream error', async () => {
  sim.setFaults({ serverError: true });
  const { answer, ms } = await queryFresh();
  expect(answer).toMatchObject({
    status: 502,
    errorSource: 'downstream',
    error: expect.stringMatching(/CloudTrail failed ListInsightsMetricData with HTTP 500 \(InternalFailure/),
  });
  expect(ms).toBeLessThan(15_000);
});

test('a response slower than the deadline ends in a per-query timeout before the gRPC deadline', async () => {
  sim.setFaults({ slowMs: 10_000 });
  const { answer, ms } = await queryFresh(3_000);
  expect(answer).toMatchObject({
    status: 504,
    error: expect.stringContaining("did not answer before the query's deadline"),
  });
  expect(ms).toBeLessThan(3_000);
});

test('a malformed body once is retried; malformed bodies always end in a clear error', async () => {
  sim.setFaults({ malformedBody: { count: 1 } });
  const once = await queryFresh();
  expect(once.answer).toMatchObject({ error: '', status: 200 });
  sim.setFaults({ malformedBody: true });
  const always = await queryFresh();
  expect(always.answer).toMatchObject({
    status: 502,
    errorSource: 'downstream',
    error: expect.stringContaining('not valid CloudTrail JSON'),
  });
});

test('connection resets are retried, then reported', async () => {
  sim.setFaults({ resetConnection: { count: 1 } });
  expect((await queryFresh()).answer).toMatchObject({ error: '', status: 200 });
  sim.setFaults({ resetConnection: true });
  const { answer, ms } = await queryFresh();
  expect(answer).toMatchObject({
    status: 502,
    errorSource: 'downstream',
    error: expect.stringMatching(/Could not reach .* for ListInsightsMetricData \(ECONNRESET\)/),
  });
  expect(ms).toBeLessThan(15_000);
});

test('an endless NextToken stops after the pages the range can need', async () => {
  sim.setFaults({ endlessNextToken: true });
  sim.resetCounts();
  const { answer, ms } = await queryFresh();
  expect(answer).toMatchObject({
    status: 502,
    errorSource: 'downstream',
    error: expect.stringContaining('still returned a NextToken after 3 pages'),
  });
  expect(sim.calls().ListInsightsMetricData).toBe(3);
  expect(ms).toBeLessThan(10_000);
});
