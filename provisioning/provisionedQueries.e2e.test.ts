/**
 * The provisioned data source, dashboard and alert rules, run the way Grafana runs them: through the
 * BUILT backend executable over real gRPC, against the simulator the demo stack starts (seed `demo`,
 * real quotas). The only change to the provisioned settings is the endpoint (the compose service
 * name becomes the local URL).
 */
import { startSimulator, type RunningSimulator } from '../simulator';
import { PluginUnderTest, type DataSourceConfig, type DecodedResponse } from '../backend/cloudtrail/e2e/harness';
import { composeFile } from '../scripts/composeFile';
import { RESOURCE_PATHS } from '../src/shared/resources';
import { variableParams, type VariableQueryFields } from '../src/shared/variableQuery';
import { alertRuleGroups, allPanels, dashboardFiles, dataSources } from './provisioningFiles';

jest.setTimeout(120_000);

const MINUTE_MS = 60_000;

let sim: RunningSimulator;
let plugin: PluginUnderTest;
let ds: DataSourceConfig;

beforeAll(async () => {
  const command = composeFile().services.simulator.command as string[];
  sim = await startSimulator({ seed: command[command.indexOf('--seed') + 1] });
  plugin = await PluginUnderTest.launch();
  const provisioned = dataSources().find((d) => d.uid === 'cloudtrail-insights-sim')!;
  ds = {
    uid: provisioned.uid,
    jsonData: { ...provisioned.jsonData, endpoint: sim.url },
    secure: provisioned.secureJsonData,
  };
});

afterAll(async () => {
  await plugin?.stop();
  await sim?.stop();
});

function expectSeries(response: DecodedResponse, refId: string) {
  expect({ refId, error: response.error, status: response.status }).toEqual({ refId, error: '', status: 200 });
  expect(response.frames.length).toBeGreaterThan(0);
  for (const frame of response.frames) {
    expect(frame.meta?.type).toBe('timeseries-multi');
    const [time, value] = frame.fields;
    expect(time.values.length).toBeGreaterThan(0);
    expect(value.values.every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
  }
}

/** Insights counts for alert rules: numeric-multi frames, one labelled number each. */
function expectCounts(response: DecodedResponse, refId: string) {
  expect({ refId, error: response.error, status: response.status }).toEqual({ refId, error: '', status: 200 });
  expect(response.frames.length).toBeGreaterThan(0);
  for (const frame of response.frames) {
    expect(frame.meta).toMatchObject({ type: 'numeric-multi', typeVersion: [0, 1] });
    expect(frame.fields.map((f) => [f.type, f.values.length])).toEqual([['Float64', 1]]);
    expect(Object.keys(frame.fields[0].labels ?? {})).toEqual(
      expect.arrayContaining(['region', 'eventSource', 'eventName', 'insightType'])
    );
  }
}

test("the data-event Insight rule counts that trail's Insights, each series labelled with it", async () => {
  const rule = alertRuleGroups()
    .flatMap((g) => g.rules)
    .find((r) => r.uid === 'cti-data-insight-ongoing')!;
  const { intervalMs, maxDataPoints, ...json } = rule.data[0].model as Record<string, unknown> & {
    intervalMs: number;
    maxDataPoints: number;
  };
  const now = Date.now();
  // Over the last 90 days rather than 10 minutes, every state: each data series with an Insight answers, and counts.
  json.state = 'all';
  const answer = await plugin.query(
    ds,
    [
      {
        refId: 'A',
        queryType: 'events',
        json,
        fromMs: now - 90 * 24 * 60 * MINUTE_MS,
        toMs: now,
        intervalMs,
        maxDataPoints,
      },
    ],
    { headers: { FromAlert: 'true' } }
  );
  expectCounts(answer.A, 'data-event rule');
  const labels = answer.A.frames.map((f) => f.fields[0].labels!);
  expect(new Set(labels.map((l) => l.trailName))).toEqual(new Set(['data-events']));
  expect(labels.map((l) => l.eventSource)).toEqual(expect.arrayContaining(['s3.amazonaws.com']));
  expect(answer.A.frames.reduce((sum, f) => sum + (f.fields[0].values[0] as number), 0)).toBeGreaterThan(0);
});

test('Save & test succeeds with the provisioned settings', async () => {
  const health = await plugin.health(ds);
  expect(health).toMatchObject({ status: 1, message: expect.stringContaining('Insights enabled on') });
});

test('every alert rule query returns labelled series when evaluated as an alert', async () => {
  const now = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
  for (const rule of alertRuleGroups().flatMap((g) => g.rules)) {
    for (const query of rule.data.filter((d) => d.datasourceUid === ds.uid)) {
      const { intervalMs, maxDataPoints, ...json } = query.model as Record<string, unknown> & {
        intervalMs: number;
        maxDataPoints: number;
      };
      const answer = await plugin.query(
        ds,
        [
          {
            refId: query.refId,
            queryType: query.queryType,
            json,
            fromMs: now - query.relativeTimeRange!.from * 1000,
            toMs: now - query.relativeTimeRange!.to * 1000,
            intervalMs,
            maxDataPoints,
          },
        ],
        { headers: { FromAlert: 'true' } }
      );
      const response = answer[query.refId];
      if (json.queryType === 'events') {
        expectCounts(response, `${rule.title} ${query.refId}`);
        continue;
      }
      expectSeries(response, `${rule.title} ${query.refId}`);
      const labels = response.frames[0].fields[1].labels;
      expect(labels).toMatchObject({
        eventSource: json.eventSource,
        eventName: json.eventName,
        insightType: json.insightType,
      });
      // relativeTimeRange 900 s at period 60: one value per minute for the reduce expression.
      expect(response.frames[0].fields[0].values.length).toBe(query.relativeTimeRange!.from / 60);
    }
  }
});

describe('the API activity dashboard with its default variable values', () => {
  const dashboard = dashboardFiles().find((d) => d.content.uid === 'cloudtrail-insights-api-activity')!.content;
  const defaults = Object.fromEntries(
    (dashboard.templating?.list ?? []).map((v) => [v.name, ([] as string[]).concat(v.current!.value)[0]])
  );
  const interpolate = (target: Record<string, unknown>) =>
    JSON.parse(JSON.stringify(target).replace(/\$([A-Za-z_]\w*)/g, (_, name: string) => defaults[name] ?? `$${name}`));
  const now = Date.now();

  test('each variable lists its default value', async () => {
    for (const variable of dashboard.templating?.list ?? []) {
      const query = interpolate(variable.query as Record<string, unknown>) as Record<string, string>;
      // Variable kinds are named after the resource routes they list.
      const path = RESOURCE_PATHS[query.kind as keyof typeof RESOURCE_PATHS];
      // The parameters the browser's variable support sends (the trail in the data-event scope).
      const params = new URLSearchParams(
        variableParams(query as unknown as VariableQueryFields) as Record<string, string>
      );
      const answer = await plugin.resource(ds, `${path}?${params}`);
      expect({ variable: variable.name, status: answer.status }).toEqual({ variable: variable.name, status: 200 });
      expect(answer.body.map((o: { value: string }) => o.value)).toContain(defaults[variable.name]);
    }
  });

  test('every panel query returns series for the last 24 hours', async () => {
    const targets = allPanels(dashboard).flatMap((p) => p.targets ?? []);
    for (const target of targets) {
      const json = interpolate(target);
      const answer = await plugin.query(ds, [
        { refId: json.refId, queryType: json.queryType, json, fromMs: now - 24 * 60 * MINUTE_MS, toMs: now },
      ]);
      if (json.queryType === 'events') {
        const response = answer[json.refId];
        expect({ error: response.error, status: response.status }).toEqual({ error: '', status: 200 });
        expect(response.frames[0].fields.map((f) => f.name)).toEqual(
          expect.arrayContaining(['start', 'eventName', 'eventId'])
        );
        continue;
      }
      expectSeries(answer[json.refId], `${json.insightType} ${json.refId}`);
      expect(answer[json.refId].frames.some((f) => f.fields[1].values.some((v) => (v as number) > 0))).toBe(true);
    }
  });

  test('the Insights annotations answer without error over the last 7 days', async () => {
    for (const annotation of (dashboard.annotations?.list ?? []).filter((a) => a.target)) {
      const json = interpolate(annotation.target!);
      const answer = await plugin.query(ds, [
        { refId: json.refId, queryType: 'annotations', json, fromMs: now - 7 * 24 * 60 * MINUTE_MS, toMs: now },
      ]);
      expect({ name: annotation.name, error: answer[json.refId].error, status: answer[json.refId].status }).toEqual({
        name: annotation.name,
        error: '',
        status: 200,
      });
    }
  });
});
