import { CoreApp, dateTime, type DataQueryRequest, type DataQueryResponse } from '@grafana/data';
import { setBackendSrv, type BackendSrv, type BackendSrvRequest } from '@grafana/runtime';
import { lastValueFrom, of } from 'rxjs';

import { DataSource } from './datasource';
import { DEFAULT_QUERY } from './shared/queryModel';
import { FakeTemplateSrv } from './testing/fakeTemplateSrv';
import { instanceSettings } from './testing/instanceSettings';
import { lastDays } from './testing/timeRange';
import type { CloudTrailInsightsQuery } from './types';

const templates = new FakeTemplateSrv([
  { name: 'region', current: 'eu-west-1' },
  { name: 'regions', current: ['us-east-1', 'us-west-2'] },
  { name: 'names', current: '$__all', options: ['CreateUser', 'DeleteUser'] },
  { name: 'mixed', current: ['CreateUser', 'Bad_Name'] },
  { name: 'literal', current: '$region' },
  { name: 'many', current: '$__all', options: Array.from({ length: 12 }, (_, i) => `Event${i}`) },
]);

const query = (patch: Partial<CloudTrailInsightsQuery> = {}): CloudTrailInsightsQuery => ({
  refId: 'A',
  ...DEFAULT_QUERY,
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateUser',
  ...patch,
});

/** Stands in for Grafana's /api/ds/query: records the body and answers one frame per query. */
function answerEachQuery(posted: BackendSrvRequest[]) {
  setBackendSrv({
    fetch: (request: BackendSrvRequest) => {
      posted.push(request);
      const results: Record<string, unknown> = {};
      for (const q of request.data.queries as CloudTrailInsightsQuery[]) {
        if (q.eventName === 'Bad_Name') {
          results[q.refId] = { status: 400, error: `query ${q.refId} failed`, errorSource: 'plugin' };
          continue;
        }
        results[q.refId] = {
          status: 200,
          frames: [
            {
              schema: { refId: q.refId, name: q.region, fields: [{ name: 'Value', type: 'number' }] },
              data: { values: [[1]] },
            },
          ],
        };
      }
      return of({
        data: { results },
        status: 200,
        ok: true,
        headers: new Headers(),
        redirected: false,
        statusText: 'OK',
        type: 'basic',
        url: request.url,
        config: request,
      });
    },
  } as unknown as BackendSrv);
}

const request = (targets: CloudTrailInsightsQuery[]): DataQueryRequest<CloudTrailInsightsQuery> =>
  ({
    targets,
    range: {
      from: dateTime('2026-11-20T00:00:00Z'),
      to: dateTime('2026-11-21T00:00:00Z'),
      raw: { from: 'now-1d', to: 'now' },
    },
    scopedVars: {},
    intervalMs: 60_000,
    maxDataPoints: 1000,
    requestId: 'test',
    interval: '1m',
    timezone: 'utc',
    app: CoreApp.Dashboard,
    startTime: 0,
  }) as DataQueryRequest<CloudTrailInsightsQuery>;

describe('DataSource', () => {
  const ds = new DataSource(instanceSettings(), templates);

  it('gives new queries the shared defaults and the metrics query type', () => {
    expect(ds.getDefaultQuery(CoreApp.PanelEditor)).toEqual({
      ...DEFAULT_QUERY,
      queryType: 'metrics',
      eventSource: '',
      eventName: '',
    });
  });

  it('skips incomplete and hidden queries instead of sending them to fail', () => {
    expect(ds.filterQuery(query())).toBe(true);
    expect(ds.filterQuery(query({ eventName: '' }))).toBe(false);
    expect(ds.filterQuery(query({ insightType: 'ApiErrorRateInsight' }))).toBe(false);
    expect(ds.filterQuery(query({ insightType: 'ApiErrorRateInsight', errorCode: 'AccessDenied' }))).toBe(true);
    expect(ds.filterQuery(query({ hide: true }))).toBe(false);
    expect(ds.filterQuery(query({ queryType: 'annotations', eventSource: '', eventName: '' }))).toBe(true);
  });

  it('interpolates every string field, including region, and migrates old saved queries', () => {
    const legacy = {
      refId: 'A',
      source: 'iam.amazonaws.com',
      name: 'CreateUser',
      metric: 'errors',
      errorCode: '$region',
      period: '5m',
      region: '$region',
    };
    const result = ds.applyTemplateVariables(legacy as unknown as CloudTrailInsightsQuery, {});
    expect(result).toMatchObject({
      eventSource: 'iam.amazonaws.com',
      insightType: 'ApiErrorRateInsight',
      errorCode: 'eu-west-1',
      period: 300,
      region: 'eu-west-1',
    });
  });

  it('expands multi-value and All variables for Explore and the query inspector', () => {
    const queries = ds.interpolateVariablesInQueries([query({ region: '$regions', eventName: '$names' })], {});
    expect(queries.map((q) => [q.refId, q.region, q.eventName])).toEqual([
      ['A', 'us-east-1', 'CreateUser'],
      ['A#2', 'us-east-1', 'DeleteUser'],
      ['A#3', 'us-west-2', 'CreateUser'],
      ['A#4', 'us-west-2', 'DeleteUser'],
    ]);
  });

  it('sends one query per value with unique refIds and hands the frames back under the panel refId', async () => {
    const posted: BackendSrvRequest[] = [];
    answerEachQuery(posted);
    const response: DataQueryResponse = await lastValueFrom(
      ds.query(
        request([
          query({ region: '$regions' }),
          query({ refId: 'B', eventName: '' }),
          query({ refId: 'C', region: '$region' }),
        ])
      )
    );
    const sent = posted[0].data.queries as CloudTrailInsightsQuery[];
    expect(sent.map((q) => [q.refId, q.region])).toEqual([
      ['A', 'us-east-1'],
      ['A#2', 'us-west-2'],
      ['C', 'eu-west-1'],
    ]);
    expect(response.data.map((frame) => [frame.refId, frame.name])).toEqual([
      ['A', 'us-east-1'],
      ['A', 'us-west-2'],
      ['C', 'eu-west-1'],
    ]);
  });

  it("reports an expanded query's error under the panel refId, without failing its siblings", async () => {
    const posted: BackendSrvRequest[] = [];
    answerEachQuery(posted);
    const response = await lastValueFrom(ds.query(request([query({ eventName: '$mixed' }), query({ refId: 'B' })])));
    expect(response.data.map((frame) => frame.refId)).toEqual(['A', 'B']);
    expect(response.errors?.map((error) => [error.refId, error.message])).toEqual([['A', 'query A#2 failed']]);
  });

  it('fails a query whose expansion passes the cap alone, naming the cap; its siblings answer', async () => {
    const posted: BackendSrvRequest[] = [];
    answerEachQuery(posted);
    const capped = new DataSource(instanceSettings({ maxExpandedQueries: 10 }), templates);
    expect(capped.maxExpandedQueries).toBe(10);
    const response = await lastValueFrom(
      capped.query(request([query({ eventName: '$many' }), query({ refId: 'B', region: '$regions' })]))
    );
    expect((posted[0].data.queries as CloudTrailInsightsQuery[]).map((q) => q.refId)).toEqual(['B', 'B#2']);
    expect(response.data.map((frame) => frame.refId)).toEqual(['B', 'B']);
    expect(response.errors).toEqual([
      expect.objectContaining({
        refId: 'A',
        message: expect.stringMatching(
          /expands into 12 queries .* the limit is 10 per query \(data source setting "Max expanded queries"\)/
        ),
      }),
    ]);
    // Within the cap (12 ≤ the default 100) the same query runs.
    expect(new DataSource(instanceSettings(), templates).maxExpandedQueries).toBe(100);
    const onlyCapped = await lastValueFrom(capped.query(request([query({ eventName: '$many' })])));
    expect(onlyCapped).toEqual({ data: [], errors: [expect.objectContaining({ refId: 'A' })] });
  });

  it('does not interpolate expanded queries a second time (a value that looks like a variable stays)', async () => {
    const posted: BackendSrvRequest[] = [];
    answerEachQuery(posted);
    await lastValueFrom(ds.query(request([query({ legendFormat: '$literal', region: '$regions' })])));
    const sent = posted[0].data.queries as CloudTrailInsightsQuery[];
    expect(sent.map((q) => [q.region, q.legendFormat])).toEqual([
      ['us-east-1', '$region'],
      ['us-west-2', '$region'],
    ]);
  });

  it('describes the period the backend will use for the editor', () => {
    const range = lastDays(30);
    const hint = ds.periodHint({ period: 'auto' }, range);
    expect(hint).toEqual({ ok: true, text: 'Period: 300 s (auto, last 30 days)', notices: [] });
    const fixed = ds.periodHint({ period: 60 }, range);
    expect(fixed.ok && fixed.notices[0]).toMatchObject({ severity: 'warning' });
  });

  it('lists the dashboard variables for the editors', () => {
    expect(ds.variableNames()).toEqual(['$region', '$regions', '$names', '$mixed', '$literal', '$many']);
  });

  it('resolves template variables in resource filters (first value of a multi-value)', async () => {
    const getResource = jest.spyOn(ds, 'getResource').mockResolvedValue([{ value: 'CreateUser', label: 'CreateUser' }]);
    await ds.listOptions('event-names', { region: '$regions', eventSource: 'iam.amazonaws.com' });
    expect(getResource).toHaveBeenCalledWith(
      'event-names',
      { region: 'us-east-1', eventSource: 'iam.amazonaws.com' },
      { showErrorAlert: false }
    );
  });
});
