/**
 * Health check (OK and each ERROR case the simulator can produce) and every editor resource,
 * through the built executable.
 */
import { DAY_MS } from './harness';
import { stackForFile } from './stack';

jest.setTimeout(90_000);

const KEYS = { accessKeyId: 'AKIDHEALTHTEST', secretAccessKey: 'health-secret' };

const stack = stackForFile({ seed: 'health', keys: KEYS });

afterEach(() => stack.sim.setFaults({ badCredentials: false, insightsDisabled: false, accessDenied: false }));

describe('health check', () => {
  test('OK with a one-line summary of trails and Insights types', async () => {
    const health = await stack.plugin.health(stack.ds);
    expect(health.status).toBe(1);
    expect(health.message).toBe(
      '3 trails in us-east-1, Insights enabled on management-events (ApiCallRateInsight, ApiErrorRateInsight); data-events (ApiCallRateInsight, ApiErrorRateInsight); organization-trail (ApiErrorRateInsight)'
    );
    expect(health.details).toMatchObject({
      region: 'us-east-1',
      trails: ['management-events', 'data-events', 'organization-trail'],
    });
  });

  test('wrong secret key: the credentials are rejected, and the secret never appears', async () => {
    const wrong = { ...stack.ds, secure: { accessKey: KEYS.accessKeyId, secretKey: 'not-the-secret' } };
    const health = await stack.plugin.health(wrong);
    expect(health.status).toBe(2);
    expect(health.message).toMatch(/^AWS rejected the credentials \(\w+/);
    expect(health.message).toContain('check the access key, secret key or profile');
    expect(health.message).not.toContain('not-the-secret');
  });

  test('unknown access key', async () => {
    const unknown = { ...stack.ds, secure: { accessKey: 'AKIDUNKNOWN', secretKey: 'whatever' } };
    expect(await stack.plugin.health(unknown)).toMatchObject({
      status: 2,
      message: expect.stringMatching(/^AWS rejected the credentials/),
    });
  });

  test('keys auth without keys is a settings error', async () => {
    expect(await stack.plugin.health({ ...stack.ds, secure: {} })).toMatchObject({
      status: 2,
      message: expect.stringContaining('needs both an access key ID and a secret access key'),
    });
  });

  test('Insights not enabled on any trail', async () => {
    stack.sim.setFaults({ insightsDisabled: true });
    const health = await stack.plugin.health(stack.ds);
    expect(health.status).toBe(2);
    expect(health.message).toContain('Insights is not enabled on any of them');
  });

  test('endpoint unreachable', async () => {
    const started = Date.now();
    const health = await stack.plugin.health({
      ...stack.ds,
      jsonData: { ...stack.ds.jsonData, endpoint: 'http://127.0.0.1:1' },
    });
    expect(health.status).toBe(2);
    expect(health.message).toMatch(/^Could not reach http:\/\/127\.0\.0\.1:1 for DescribeTrails \(ECONNREFUSED\)/);
    expect(Date.now() - started).toBeLessThan(16_000);
  });

  test('invalid settings: endpoint and auth type', async () => {
    expect(
      await stack.plugin.health({ ...stack.ds, jsonData: { ...stack.ds.jsonData, endpoint: 'ftp://x' } })
    ).toMatchObject({
      status: 2,
      message: expect.stringContaining('is not an http(s) URL'),
    });
    expect(
      await stack.plugin.health({ ...stack.ds, jsonData: { ...stack.ds.jsonData, authType: 'magic' } })
    ).toMatchObject({
      status: 2,
      message: expect.stringContaining('Unknown authentication provider "magic"'),
    });
  });

  test.each([
    ['DescribeTrails', 'cloudtrail:DescribeTrails'],
    ['GetInsightSelectors', 'cloudtrail:GetInsightSelectors'],
    ['LookupEvents', 'cloudtrail:LookupEvents'],
  ])('missing permission: %s denied by IAM names the action %s', async (operation, action) => {
    stack.sim.setFaults({ accessDenied: { operations: [operation] } });
    stack.sim.resetCounts();
    const health = await stack.plugin.health(stack.ds);
    expect(health.status).toBe(2);
    expect(health.message).toMatch(
      new RegExp(`^Access denied for ${operation}: grant the IAM action ${action} to these credentials \\(User: `)
    );
    expect(health.message).toContain(`is not authorized to perform: ${action} on resource: `);
    expect(health.message).not.toContain(KEYS.secretAccessKey);
    // A denial is final: asked once, not retried.
    expect(stack.sim.calls()[operation]).toBe(1);
  });

  test('credentials rejected by the service fault', async () => {
    stack.sim.setFaults({ badCredentials: true });
    expect(await stack.plugin.health(stack.ds)).toMatchObject({
      status: 2,
      message: expect.stringContaining('UnrecognizedClientException'),
    });
  });
});

describe('resources', () => {
  const options = (body: any) => body as Array<{ value: string; label: string; description?: string }>;

  test('regions: the default region first', async () => {
    const { status, body } = await stack.plugin.resource(
      { ...stack.ds, jsonData: { ...stack.ds.jsonData, defaultRegion: 'eu-west-1' } },
      'regions'
    );
    expect(status).toBe(200);
    expect(options(body)[0]).toEqual({ value: 'eu-west-1', label: 'eu-west-1', description: 'Default region' });
    expect(options(body).map((o) => o.value)).toContain('us-east-1');
  });

  test('event sources, names and error codes that had Insights in the last 90 days', async () => {
    const episodes = stack.sim.catalog('us-east-1').episodes;
    stack.sim.resetCounts();
    const sources = await stack.plugin.resource(stack.ds, 'event-sources?region=us-east-1');
    expect(sources.status).toBe(200);
    expect(new Set(options(sources.body).map((o) => o.value))).toEqual(new Set(episodes.map((e) => e.eventSource)));
    const source = options(sources.body)[0];
    expect(source.description).toBe(
      `${episodes.filter((e) => e.eventSource === source.value).length} Insights in the last 90 days`
    );

    const names = await stack.plugin.resource(stack.ds, `event-names?region=us-east-1&eventSource=${source.value}`);
    expect(new Set(options(names.body).map((o) => o.value))).toEqual(
      new Set(episodes.filter((e) => e.eventSource === source.value).map((e) => e.eventName))
    );

    const withErrors = episodes.find((e) => e.insightType === 'ApiErrorRateInsight')!;
    const codes = await stack.plugin.resource(
      stack.ds,
      `error-codes?eventSource=${withErrors.eventSource}&eventName=${withErrors.eventName}`
    );
    expect(options(codes.body).map((o) => o.value)).toContain(withErrors.errorCode);
    // One paged LookupEvents listing serves all three lists (cached ~5 min).
    const pages = Math.ceil((episodes.length * 2) / 50);
    expect(stack.sim.calls().LookupEvents).toBeLessThanOrEqual(pages + 1);
    expect(stack.sim.throttled().LookupEvents ?? 0).toBe(0);
  });

  test('Insights events for a variable: those open during the range that match the filters, valued as asked', async () => {
    const now = Date.now();
    const from = now - 7 * DAY_MS;
    const episodes = stack.sim.catalog('us-east-1').episodes;
    // Open at some point of [from, now]: started before now, ended (or still going) after from.
    const open = episodes.filter((e) => e.startMs <= now && e.endMs >= from);
    const range = `from=${from}&to=${now}`;
    stack.sim.resetCounts();

    const names = await stack.plugin.resource(stack.ds, `insights?region=us-east-1&${range}`);
    expect(names.status).toBe(200);
    expect(new Set(options(names.body).map((o) => o.value))).toEqual(new Set(open.map((e) => e.eventName)));
    const top = options(names.body)[0];
    expect(top.description).toBe(`${open.filter((e) => e.eventName === top.value).length} Insights in the time range`);

    const withErrors = open.find((e) => e.insightType === 'ApiErrorRateInsight')!;
    const sources = await stack.plugin.resource(
      stack.ds,
      `insights?${range}&value=eventSource&insightType=ApiErrorRateInsight&errorCode=${withErrors.errorCode}`
    );
    expect(new Set(options(sources.body).map((o) => o.value))).toEqual(
      new Set(
        open
          .filter((e) => e.insightType === 'ApiErrorRateInsight' && e.errorCode === withErrors.errorCode)
          .map((e) => e.eventSource)
      )
    );

    // One option per Insight: the same Insights, in the same order, as the events table shows.
    const source = withErrors.eventSource;
    const ids = await stack.plugin.resource(stack.ds, `insights?${range}&value=eventId&eventSource=${source}`);
    const table = await stack.plugin.query(stack.ds, [
      { refId: 'E', queryType: 'events', json: { eventSource: source }, fromMs: from, toMs: now },
    ]);
    const tableIds = table.E.frames[0].fields.find((f) => f.name === 'eventId')!.values;
    expect(options(ids.body).map((o) => o.value)).toEqual(tableIds);
    expect(tableIds.length).toBe(open.filter((e) => e.eventSource === source).length);
    expect(options(ids.body)[0].label).toMatch(
      new RegExp(
        `^\\w+ \\(${source.replace(/\./g, '\\.')}\\), API (call|error) rate.*, (since .+ UTC, ongoing|.+ – .+ UTC)$`
      )
    );
    // Every list above came from one cached Insights listing.
    expect(stack.sim.calls().LookupEvents ?? 0).toBeLessThanOrEqual(Math.ceil((episodes.length * 2) / 50) + 1);

    expect(await stack.plugin.resource(stack.ds, 'insights?state=sometimes')).toEqual({
      status: 400,
      body: { error: 'State must be one of all, ongoing, ended.' },
    });
    expect(await stack.plugin.resource(stack.ds, 'insights?value=userAgent')).toMatchObject({ status: 400 });
  });

  test('trails', async () => {
    const { status, body } = await stack.plugin.resource(stack.ds, 'trails?region=us-east-1');
    expect(status).toBe(200);
    expect(body).toEqual([
      { value: 'management-events', label: 'management-events', description: 'us-east-1, Insights enabled' },
      { value: 'data-events', label: 'data-events', description: 'us-east-1, Insights enabled' },
      { value: 'organization-trail', label: 'organization-trail', description: 'us-east-1, Insights enabled' },
    ]);
  });

  test('bad input, unknown paths and AWS errors answer {error} with a fitting status', async () => {
    expect(await stack.plugin.resource(stack.ds, 'event-names?region=not_a_region')).toEqual({
      status: 400,
      body: { error: expect.stringContaining('Parameter region="not_a_region" is not valid') },
    });
    expect(await stack.plugin.resource(stack.ds, 'event-names?eventSource=IAM')).toMatchObject({ status: 400 });
    expect(await stack.plugin.resource(stack.ds, 'secrets')).toEqual({
      status: 404,
      body: { error: expect.stringContaining('Unknown resource "secrets"') },
    });
    expect(await stack.plugin.resource(stack.ds, 'trails', 'POST')).toMatchObject({ status: 405 });
    stack.sim.setFaults({ badCredentials: true });
    const denied = await stack.plugin.resource(stack.ds, 'trails?region=eu-north-1');
    expect(denied).toMatchObject({
      status: 401,
      body: { error: expect.stringContaining('AWS rejected the credentials') },
    });
  });
});
