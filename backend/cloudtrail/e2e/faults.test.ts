/**
 * Fault tests through the built executable: each fault ends in success (after bounded retries)
 * or a clear per-query error, within bounded time, and the process stays alive and useful.
 */
import { HOUR_MS, seriesQuery, type DecodedResponse } from './harness';
import { seriesInTurn, stackForFile } from './stack';

jest.setTimeout(90_000);

const KEYS = { accessKeyId: 'AKIDFAULTTEST', secretAccessKey: 'fault-secret' };

const stack = stackForFile({ seed: 'faults', keys: KEYS, faultRecovery: true, refresher: false });
const freshSeries = seriesInTurn(stack);

// Whatever happened, the process still answers (checked by faultRecovery) and serves a fresh query.
afterEach(async () => {
  const ok = await queryFresh();
  expect(ok.answer).toMatchObject({ error: '', status: 200 });
});

/** A query for a series no earlier test has cached, timed. */
async function queryFresh(deadlineMs = 30_000): Promise<{ answer: DecodedResponse; ms: number }> {
  const s = freshSeries();
  const now = Date.now();
  const started = Date.now();
  const answers = await stack.plugin.query(
    stack.ds,
    [{ refId: 'A', json: seriesQuery(s), fromMs: now - 3 * HOUR_MS, toMs: now }],
    {
      deadlineMs,
    }
  );
  return { answer: answers.A, ms: Date.now() - started };
}

const statsOf = (answer: DecodedResponse) =>
  Object.fromEntries(answer.frames[0].meta!.stats.map((s: any) => [s.displayName, s.value]));

test('a short throttling storm is ridden out with backoff', async () => {
  stack.sim.setFaults({ throttleAll: true });
  setTimeout(() => stack.sim.setFaults({ throttleAll: false }), 1_500);
  const { answer, ms } = await queryFresh();
  expect(answer).toMatchObject({ error: '', status: 200 });
  expect(statsOf(answer).Retries).toBeGreaterThanOrEqual(1);
  expect(ms).toBeLessThan(15_000);
});

test('an endless throttling storm ends in a clear error before the deadline', async () => {
  stack.sim.setFaults({ throttleAll: true });
  const { answer, ms } = await queryFresh(20_000);
  expect(answer).toMatchObject({
    status: 429,
    errorSource: 'downstream',
    error: expect.stringContaining('CloudTrail kept throttling ListInsightsMetricData'),
  });
  expect(ms).toBeLessThan(20_000);
});

test('transient 5xx answers are retried', async () => {
  stack.sim.setFaults({ serverError: { count: 2 } });
  const { answer } = await queryFresh();
  expect(answer).toMatchObject({ error: '', status: 200 });
  expect(statsOf(answer)).toMatchObject({ Retries: 2, 'API calls': 3 });
});

test('persistent 5xx answers end in a clear downstream error', async () => {
  stack.sim.setFaults({ serverError: true });
  const { answer, ms } = await queryFresh();
  expect(answer).toMatchObject({
    status: 502,
    errorSource: 'downstream',
    error: expect.stringMatching(/CloudTrail failed ListInsightsMetricData with HTTP 500 \(InternalFailure/),
  });
  expect(ms).toBeLessThan(15_000);
});

test('a response slower than the deadline ends in a per-query timeout before the gRPC deadline', async () => {
  stack.sim.setFaults({ slowMs: 10_000 });
  const { answer, ms } = await queryFresh(3_000);
  expect(answer).toMatchObject({
    status: 504,
    error: expect.stringContaining("did not answer before the query's deadline"),
  });
  expect(ms).toBeLessThan(3_000);
});

test('a malformed body once is retried; malformed bodies always end in a clear error', async () => {
  stack.sim.setFaults({ malformedBody: { count: 1 } });
  const once = await queryFresh();
  expect(once.answer).toMatchObject({ error: '', status: 200 });
  stack.sim.setFaults({ malformedBody: true });
  const always = await queryFresh();
  expect(always.answer).toMatchObject({
    status: 502,
    errorSource: 'downstream',
    error: expect.stringContaining('not valid CloudTrail JSON'),
  });
});

test('connection resets are retried, then reported', async () => {
  stack.sim.setFaults({ resetConnection: { count: 1 } });
  expect((await queryFresh()).answer).toMatchObject({ error: '', status: 200 });
  stack.sim.setFaults({ resetConnection: true });
  const { answer, ms } = await queryFresh();
  expect(answer).toMatchObject({
    status: 502,
    errorSource: 'downstream',
    error: expect.stringMatching(/Could not reach .* for ListInsightsMetricData \(ECONNRESET\)/),
  });
  expect(ms).toBeLessThan(15_000);
});

test('an endless NextToken stops after the pages the range can need', async () => {
  stack.sim.setFaults({ endlessNextToken: true });
  stack.sim.resetCounts();
  const { answer, ms } = await queryFresh();
  expect(answer).toMatchObject({
    status: 502,
    errorSource: 'downstream',
    error: expect.stringContaining('still returned a NextToken after 3 pages'),
  });
  expect(stack.sim.calls().ListInsightsMetricData).toBe(3);
  expect(ms).toBeLessThan(10_000);
});
