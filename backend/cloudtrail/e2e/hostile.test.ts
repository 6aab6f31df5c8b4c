/**
 * A hostile endpoint through the built executable over gRPC: pages that parse but are not real
 * data, an oversized page, an HTML page from a proxy, an unreadable body and a refused
 * sts:AssumeRole. Each ends in a clear downstream error for its query only (another query of the
 * same request still answers), never in data; and each failure leaves one warn line at info level.
 */
import { startSimulator } from '../../../simulator';
import type { CorruptPageKind } from '../../../simulator/behaviour/hostilePages';
import { HOUR_MS, seriesQuery, type DataSourceConfig, type DecodedResponse } from './harness';
import { seriesInTurn, stackForFile } from './stack';

jest.setTimeout(90_000);

const KEYS = { accessKeyId: 'AKIDHOSTILETEST', secretAccessKey: 'hostile-secret-value' };

// Grafana's default level: what an operator sees without turning on debug logs.
const stack = stackForFile({
  seed: 'hostile',
  keys: KEYS,
  env: { GF_PLUGIN_LOG_LEVEL: 'info' },
  faultRecovery: true,
  refresher: false,
});
/** A series no earlier test has fetched (so nothing is served from the cache). */
const fresh = seriesInTurn(stack);

afterAll(() => {
  // No secret ever reaches the log.
  expect(stack.plugin?.plugin.stderr() ?? '').not.toContain(KEYS.secretAccessKey);
});

/**
 * One request with a metrics query `A` for a fresh series and an annotations query `B`
 * (LookupEvents, which the page faults do not touch): B must answer whatever happens to A.
 */
async function queryWithNeighbour(extra: Record<string, unknown> = {}, config = stack.ds) {
  const now = Date.now();
  const timeRange = { fromMs: now - 3 * HOUR_MS, toMs: now };
  const answers = await stack.plugin.query(config, [
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
  stack.sim.setFaults({ corruptPage: kind });
  const answer = await queryWithNeighbour({ dataType: 'FillWithZeros' });
  expect(answer).toMatchObject(downstream(message));
  expect(answer.error).toMatch(SUBJECT);
});

test('a non-finite value is refused with NonZeroData too', async () => {
  stack.sim.setFaults({ corruptPage: 'nanString' });
  expect(await queryWithNeighbour({ dataType: 'NonZeroData' })).toMatchObject(
    downstream('a value that is not a finite number (NaN)')
  );
});

test('an oversized page (3,000,000 points, streamed) is cut off at the bound, not retried, and memory stays small', async () => {
  stack.sim.setFaults({ corruptPage: 'oversized' });
  stack.sim.resetCounts();
  const answer = await queryWithNeighbour();
  expect(answer).toMatchObject(
    downstream(
      /answered ListInsightsMetricData with more than \d+ bytes, more than a valid answer can hold; stopped reading/
    )
  );
  expect(stack.sim.calls().ListInsightsMetricData).toBe(1);
});

test('an HTML 502 page from a proxy is named as such, in queries and in the health check', async () => {
  stack.sim.setFaults({ htmlError: { operations: ['ListInsightsMetricData', 'DescribeTrails'] } });
  expect(await queryWithNeighbour()).toMatchObject(
    downstream(
      'answered ListInsightsMetricData with HTTP 502 and an HTML page ("502 Bad Gateway"), not CloudTrail JSON: a proxy or load balancer is in the way'
    )
  );
  const health = await stack.plugin.health(stack.ds);
  expect(health.status).toBe(2);
  expect(health.message).toContain('answered DescribeTrails with HTTP 502 and an HTML page');
});

test('an unreadable body is named without SDK internals', async () => {
  stack.sim.setFaults({ malformedBody: true });
  const answer = await queryWithNeighbour();
  expect(answer).toMatchObject(downstream('with a response that is not valid CloudTrail JSON ('));
  expect(answer.error).not.toMatch(/Deserialization|\$response|hidden field/);
});

/** A metrics query through `config` (an assume-role data source) fails as AWS's refusal of sts:AssumeRole on `role`. */
async function trustPolicyRefusal(config: DataSourceConfig, role: string): Promise<string> {
  const now = Date.now();
  const answers = await stack.plugin.query(config, [
    { refId: 'A', json: seriesQuery(fresh()), fromMs: now - 3 * HOUR_MS, toMs: now },
  ]);
  expect(answers.A).toMatchObject({
    status: 403,
    errorSource: 'downstream',
    error: expect.stringMatching(new RegExp(`^AWS refused sts:AssumeRole on the role ${role} \\(AccessDenied: `)),
  });
  expect(answers.A.error).toContain("the role's trust policy");
  return answers.A.error;
}

describe('a refused sts:AssumeRole', () => {
  const role = 'arn:aws:iam::210987654321:role/grafana-reader';
  const roleDs = () => ({
    ...stack.ds,
    jsonData: { ...stack.ds.jsonData, assumeRoleArn: role, externalId: 'wrong-id' },
  });

  test('names sts:AssumeRole and the trust policy, in queries and in the health check', async () => {
    stack.sim.setFaults({ accessDenied: { operations: ['AssumeRole'] } });
    const error = await trustPolicyRefusal(roleDs(), role);
    expect(error).not.toContain('cloudtrail:LookupEvents');
    const health = await stack.plugin.health(roleDs());
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
      ...stack.ds,
      jsonData: { ...stack.ds.jsonData, endpoint: trusting.url, assumeRoleArn: role, externalId: 'wrong-id' },
    };
    const error = await trustPolicyRefusal(roleDs, role);
    expect(error).toContain('external ID');
    expect(error).not.toContain('wrong-id');
  } finally {
    await trusting.stop();
  }
});

test('each failed query and health check leaves exactly one warn line with uid, refId, operation and message', async () => {
  const uid = 'hostile-log-uid';
  const logged = { ...stack.ds, uid };
  const linesOf = () =>
    stack.plugin.plugin
      .stderr()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.uid === uid);
  // A good query leaves no warn/error line.
  const now = Date.now();
  const ok = await stack.plugin.query(logged, [
    { refId: 'OK', json: seriesQuery(fresh()), fromMs: now - 3 * HOUR_MS, toMs: now },
  ]);
  expect(ok.OK).toMatchObject({ error: '', status: 200 });
  expect(linesOf()).toEqual([]);

  stack.sim.setFaults({ corruptPage: 'nullValue' });
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

  stack.sim.setFaults({ corruptPage: false, accessDenied: { operations: ['DescribeTrails'] } });
  const health = await stack.plugin.health(logged);
  const healthLines = linesOf().filter((e) => e['@message'] === 'Health check failed');
  expect(healthLines).toEqual([
    expect.objectContaining({ '@level': 'warn', uid, operation: 'DescribeTrails', message: health.message }),
  ]);
});
