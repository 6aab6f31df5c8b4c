import { HealthStatus, type DataSourceInstanceSettings, type PluginContext } from '../../sdk/types';
import { isAlertEvaluation, isFromAlert, makeCloudTrailInstanceFactory, tooManyQueriesMessage } from './instance';
import { processServices } from './wiring';

// The process's services, as backend/main.ts makes them (no operator settings).
const services = processServices({});
afterAll(() => services.close());

function settings(jsonData: Record<string, unknown>, secure: Record<string, string> = {}): DataSourceInstanceSettings {
  return {
    id: 1,
    uid: 'u',
    name: 'n',
    url: '',
    user: '',
    database: '',
    basicAuthEnabled: false,
    basicAuthUser: '',
    jsonData,
    decryptedSecureJsonData: secure,
    lastUpdatedMS: 1,
  };
}
const context = (s: DataSourceInstanceSettings, grafanaConfig: Record<string, string> = {}): PluginContext => ({
  orgId: 1,
  pluginId: 'p',
  grafanaConfig,
  pluginVersion: '1',
  userAgent: 'test',
  dataSourceInstanceSettings: s,
});
const ctx = () => ({ signal: new AbortController().signal, deadlineMs: Date.now() + 5_000 });
const query = (refId: string, json: Record<string, unknown>, queryType = '') => ({
  refId,
  queryType,
  maxDataPoints: 100,
  intervalMs: 60_000,
  timeRange: { fromMs: Date.now() - 3_600_000, toMs: Date.now(), from: new Date(), to: new Date() },
  json,
});

test('FromAlert is read case-insensitively', () => {
  expect(isFromAlert({ FromAlert: 'true' })).toBe(true);
  expect(isFromAlert({ fromalert: 'true' })).toBe(true);
  expect(isFromAlert({ FromAlert: 'false' })).toBe(false);
  expect(isFromAlert({})).toBe(false);
});

test("alert priority needs the header and Grafana's alert scheduler: a browser can forward the header, not be the scheduler", () => {
  const s = settings({});
  const scheduler = { login: 'grafana_scheduler', name: '', email: '', role: 'Admin' };
  const viewer = { login: 'viewer', name: '', email: '', role: 'Viewer' };
  const request = (headers: Record<string, string>, user?: typeof scheduler) => ({
    headers,
    pluginContext: { ...context(s), ...(user ? { user } : {}) },
  });
  expect(isAlertEvaluation(request({ FromAlert: 'true' }, scheduler))).toBe(true);
  expect(isAlertEvaluation(request({ FromAlert: 'true' }, viewer))).toBe(false);
  expect(isAlertEvaluation(request({ FromAlert: 'true' }, { ...scheduler, role: 'Viewer' }))).toBe(false);
  expect(isAlertEvaluation(request({ FromAlert: 'true' }))).toBe(false);
  expect(isAlertEvaluation(request({}, scheduler))).toBe(false);
});

test('the answer of a query past max_queries_per_request names the limit and both spellings of the setting', () => {
  expect(tooManyQueriesMessage(150, 100)).toBe(
    'This request carries 150 queries and this Grafana server runs at most 100 of one request (the first 100); this query was not run. ' +
      'Split the panel or dashboard, or ask an admin to raise max_queries_per_request in [plugin.trailwatch-cloudtrailinsights-datasource] of grafana.ini (or CLOUDTRAIL_MAX_QUERIES_PER_REQUEST).'
  );
});

test('invalid settings fail every query, the health check and resources with the same clear message', async () => {
  const s = settings({ authType: 'keys' });
  const instance = await makeCloudTrailInstanceFactory(services)(s, context(s));
  const answers = await instance.queryData!(
    { pluginContext: context(s), headers: {}, queries: [query('A', {}), query('B', {}, 'annotations')] },
    ctx()
  );
  for (const refId of ['A', 'B']) {
    expect(answers[refId]).toMatchObject({
      status: 400,
      errorSource: 'plugin',
      error: expect.stringContaining('needs both an access key ID'),
    });
  }
  expect(await instance.checkHealth!({ pluginContext: context(s), headers: {} }, ctx())).toMatchObject({
    status: HealthStatus.Error,
    message: expect.stringContaining('needs both an access key ID'),
  });
  const sent: Array<{ status: number; body: unknown }> = [];
  await instance.callResource!(
    {
      pluginContext: context(s),
      path: 'trails',
      method: 'GET',
      url: 'trails',
      searchParams: new URLSearchParams(),
      headers: {},
      body: new Uint8Array(),
    },
    { send: async (r) => void sent.push(r) },
    ctx()
  );
  expect(sent).toHaveLength(1);
  expect(sent[0].status).toBe(400);
  expect(JSON.parse(String(sent[0].body)).error).toContain('needs both an access key ID');
  instance.dispose?.();
});

test('query validation and annotation region errors are per query, before any AWS call', async () => {
  // An endpoint nothing listens on: any call would fail with a network error, not a validation one.
  const s = settings({ authType: 'keys', endpoint: 'http://127.0.0.1:1' }, { accessKey: 'AK', secretKey: 'SK' });
  const instance = await makeCloudTrailInstanceFactory(services)(s, context(s));
  const answers = await instance.queryData!(
    {
      pluginContext: context(s),
      headers: {},
      queries: [
        query('T', { eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' }, 'logs'),
        query('V', { eventSource: 'iam.amazonaws.com', eventName: 'Bad Name' }),
        query('R', { region: 'moon-1x' }, 'annotations'),
      ],
    },
    ctx()
  );
  expect(answers.T).toMatchObject({
    status: 400,
    errorSource: 'plugin',
    error: 'Unknown query type "logs"; use one of metrics, events, annotations.',
  });
  expect(answers.V).toMatchObject({
    status: 400,
    errorSource: 'plugin',
    error: expect.stringContaining('Event name "Bad Name"'),
  });
  expect(answers.R).toMatchObject({
    status: 400,
    errorSource: 'plugin',
    error: expect.stringContaining('Region "moon-1x"'),
  });
  instance.dispose?.();
});
