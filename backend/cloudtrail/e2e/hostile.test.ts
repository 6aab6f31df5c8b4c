/**
 * A hostile endpoint through the built executable over gRPC: pages that parse but are not real
 * data, an oversized page, an HTML page from a proxy, an unreadable body and a refused
 * sts:AssumeRole. Each ends in a clear downstream error for its query only (another query of the
 * same request still answers), never in data; and each failure leaves one warn line at info level.
 */
import { startSimulator, type RunningSimulator, type SeriesInfo } from '../../../simulator';
import { NO_FAULTS } from '../../../simulator/faults';
import type { CorruptPageKind } from '../../../simulator/hostilePages';
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

const KEYS = { accessKeyId: 'AKIDHOSTILETEST', secretAccessKey: 'hostile-secret-value' };

let sim: RunningSimulator;
let plugin: PluginUnderTest;
let ds: DataSourceConfig;
let series: SeriesInfo[];
let next = 0;

beforeAll(async () => {
  // Grafana's default level: what an operator sees without turning on debug logs.
  ({ sim, plugin, ds } = await startStack('hostile', KEYS, { GF_PLUGIN_LOG_LEVEL: 'info' }));
  series = sim.catalog('us-east-1').series;
});

afterEach(async () => {
  sim.setFaults(NO_FAULTS);
  expect(await plugin.alive()).toBe(true);
});

afterAll(async () => {
  const stderr = plugin?.plugin.stderr() ?? '';
  expect(stderr).not.toMatch(/unhandled promise rejection|uncaught exception/);
  // No secret ever reaches the log.
  expect(stderr).not.toContain(KEYS.secretAccessKey);
  await stopStack({ plugin, sim });
});

/** A series no earlier test has fetched (so nothing is served from the cache). */
const fresh = () => series[next++ % series.length];

/**
 * One request with a metrics query `A` for a fresh series and an annotations query `B`
 * (LookupEvents, which the page faults do not touch): B must answer whatever happens to A.
 */
async function queryWithNeighbour(extra: Record<string, unknown> = {}, config = ds) {
  const now = Date.now();
  const timeRange = { fromMs: now - 3 * HOUR_MS, toMs: now };
  const answers = await plugin.query(config, [
    { refId: 'A', json: seriesQuery(fresh(), { period: 300, ...extra }), ...timeRange },
    { refId: 'B', queryType: 'annotations', json: {}, ...timeRange },
  ]);
  expect(answers.B).toMatchObject({ error: '', status: 200 });
  return answers.A;
}

const downstream = (message: string | RegExp): Partial<DecodedResponse> =>
  ({
    frames: [],
    status: 502,
    errorSource: 'downstream',
    error: typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message),
  }) as Partial<DecodedResponse>;

const SUBJECT =
  /for ListInsightsMetricData [a-z0-9.-]+\.amazonaws\.com \w+ ApiCallRateInsight; the answer was not used\.$/;

test.each<[CorruptPageKind, string]>([
  ['nullValue', 'CloudTrail returned a value that is not a finite number (null) at 20'],
  ['nanString', 'CloudTrail returned a value that is not a finite number (NaN) at 20'],
  ['infinityString', 'CloudTrail returned a value that is not a finite number (Infinity) at 20'],
  ['offGridTimestamp', 'CloudTrail returned a timestamp off the 300 s period grid (20'],
  ['conflictingDuplicate', 'CloudTrail returned two different values ('],
  ['valuesNotList', 'CloudTrail returned Values that are not a list of numbers (the string "'],
])('a %s page is refused with FillWithZeros, naming what was wrong', async (kind, message) => {
  sim.setFaults({ corruptPage: kind });
  const answer = await queryWithNeighbour({ dataType: 'FillWithZeros' });
  expect(answer).toMatchObject(downstream(message));
  expect(answer.error).toMatch(SUBJECT);
});

test('a non-finite value is refused with NonZeroData too', async () => {
  sim.setFaults({ corruptPage: 'nanString' });
  expect(await queryWithNeighbour({ dataType: 'NonZeroData' })).toMatchObject(
    downstream('a value that is not a finite number (NaN)')
  );
});

test('an oversized page (3,000,000 points, streamed) is cut off at the bound, not retried, and memory stays small', async () => {
  sim.setFaults({ corruptPage: 'oversized' });
  sim.resetCounts();
  const answer = await queryWithNeighbour();
  expect(answer).toMatchObject(
    downstream(
      /answered ListInsightsMetricData with more than \d+ bytes, more than a valid answer can hold; stopped reading/
    )
  );
  expect(sim.calls().ListInsightsMetricData).toBe(1);
});

test('an HTML 502 page from a proxy is named as such, in queries and in the health check', async () => {
  sim.setFaults({ htmlError: { operations: ['ListInsightsMetricData', 'DescribeTrails'] } });
  expect(await queryWithNeighbour()).toMatchObject(
    downstream(
      'answered ListInsightsMetricData with HTTP 502 and an HTML page ("502 Bad Gateway"), not CloudTrail JSON: a proxy or load balancer is in the way'
    )
  );
  const health = await plugin.health(ds);
  expect(health.status).toBe(2);
  expect(health.message).toContain('answered DescribeTrails with HTTP 502 and an HTML page');
});

test('an unreadable body is named without SDK internals', async () => {
  sim.setFaults({ malformedBody: true });
  const answer = await queryWithNeighbour();
  expect(answer).toMatchObject(downstream('with a response that is not valid CloudTrail JSON ('));
  expect(answer.error).not.toMatch(/Deserialization|\$response|hidden field/);
});

describe('a refused sts:AssumeRole', () => {
  const role = 'arn:aws:iam::210987654321:role/grafana-reader';
  const roleDs = () => ({ ...ds, jsonData: { ...ds.jsonData, assumeRoleArn: role, externalId: 'wrong-id' } });

  test('names sts:AssumeRole and the trust policy, in queries and in the health check', async () => {
    sim.setFaults({ accessDenied: { operations: ['AssumeRole'] } });
    const now = Date.now();
    const answers = await plugin.query(roleDs(), [
      { refId: 'A', json: seriesQuery(fresh()), fromMs: now - 3 * HOUR_MS, toMs: now },
    ]);
    expect(answers.A).toMatchObject({
      status: 403,
      errorSource: 'downstream',
      error: expect.stringMatching(new RegExp(`^AWS refused sts:AssumeRole on the role ${role} \\(AccessDenied: `)),
    });
    expect(answers.A.error).toContain("the role's trust policy");
    expect(answers.A.error).not.toContain('cloudtrail:LookupEvents');
    const health = await plugin.health(roleDs());
    expect(health.status).toBe(2);
    expect(health.message).toMatch(/^AWS refused sts:AssumeRole on the role .*trust policy/);
    expect(health.message).not.toContain('cloudtrail:DescribeTrails');
  });
});

test('a wrong external ID (the role trusts another) is named as a trust-policy refusal of sts:AssumeRole', async () => {
  const role = 'arn:aws:iam::210987654321:role/needs-external-id';
  const trusting = await startSimulator({
    seed: 'hostile',
    credentials: [KEYS],
    roles: [{ arn: role, externalId: 'right-id' }],
  });
  try {
    const roleDs: DataSourceConfig = {
      ...ds,
      jsonData: { ...ds.jsonData, endpoint: trusting.url, assumeRoleArn: role, externalId: 'wrong-id' },
    };
    const now = Date.now();
    const answers = await plugin.query(roleDs, [
      { refId: 'A', json: seriesQuery(fresh()), fromMs: now - 3 * HOUR_MS, toMs: now },
    ]);
    expect(answers.A).toMatchObject({
      status: 403,
      errorSource: 'downstream',
      error: expect.stringMatching(new RegExp(`^AWS refused sts:AssumeRole on the role ${role} \\(AccessDenied: `)),
    });
    expect(answers.A.error).toContain("the role's trust policy");
    expect(answers.A.error).toContain('external ID');
    expect(answers.A.error).not.toContain('wrong-id');
  } finally {
    await trusting.stop();
  }
});

test('each failed query and health check leaves exactly one warn line with uid, refId, operation and message', async () => {
  const uid = 'hostile-log-uid';
  const logged = { ...ds, uid };
  const linesOf = () =>
    plugin.plugin
      .stderr()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.uid === uid);
  // A good query leaves no warn/error line.
  const now = Date.now();
  const ok = await plugin.query(logged, [
    { refId: 'OK', json: seriesQuery(fresh()), fromMs: now - 3 * HOUR_MS, toMs: now },
  ]);
  expect(ok.OK).toMatchObject({ error: '', status: 200 });
  expect(linesOf()).toEqual([]);

  sim.setFaults({ corruptPage: 'nullValue' });
  const failed = await queryWithNeighbour({}, logged);
  const queryLines = linesOf().filter((e) => e['@level'] === 'warn' || e['@level'] === 'error');
  expect(queryLines).toEqual([
    expect.objectContaining({
      '@level': 'warn',
      '@message': 'Query failed',
      uid,
      refId: 'A',
      operation: 'ListInsightsMetricData',
      status: 502,
      errorSource: 'downstream',
      message: failed.error,
    }),
  ]);

  sim.setFaults({ corruptPage: false, accessDenied: { operations: ['DescribeTrails'] } });
  const health = await plugin.health(logged);
  const healthLines = linesOf().filter((e) => e['@message'] === 'Health check failed');
  expect(healthLines).toEqual([
    expect.objectContaining({ '@level': 'warn', uid, operation: 'DescribeTrails', message: health.message }),
  ]);
});
