import { create } from '@bufbuild/protobuf';
import * as pb from './gen/pluginv2_pb';
import {
  RequestParseError,
  parseJsonObject,
  toCallResourceRequest,
  toDataQuery,
  toPluginContext,
} from './requestMapping';

const utf8 = new TextEncoder();

describe('request mapping', () => {
  it('turns the protobuf plugin context into plain numbers, parsed jsonData and separate secrets', () => {
    const context = toPluginContext(
      create(pb.PluginContextSchema, {
        orgId: 3n,
        pluginId: 'p',
        user: { login: 'admin', role: 'Admin' },
        grafanaConfig: { AWS_AUTH_AssumeRoleEnabled: 'false' },
        dataSourceInstanceSettings: {
          id: 9n,
          uid: 'abc',
          name: 'CT',
          jsonData: utf8.encode('{"defaultRegion":"eu-west-1"}'),
          decryptedSecureJsonData: { secretKey: 's' },
          lastUpdatedMS: 1_764_000_000_000n,
        },
      })
    );
    expect(context.orgId).toBe(3);
    expect(context.user?.login).toBe('admin');
    expect(context.grafanaConfig).toEqual({ AWS_AUTH_AssumeRoleEnabled: 'false' });
    expect(context.dataSourceInstanceSettings).toMatchObject({
      id: 9,
      uid: 'abc',
      jsonData: { defaultRegion: 'eu-west-1' },
      decryptedSecureJsonData: { secretKey: 's' },
      lastUpdatedMS: 1_764_000_000_000,
    });
    expect(Object.isFrozen(context.dataSourceInstanceSettings!.decryptedSecureJsonData)).toBe(true);
  });

  it('treats empty jsonData as {} and parses time ranges into numbers and Dates', () => {
    expect(
      toPluginContext(create(pb.PluginContextSchema, { dataSourceInstanceSettings: {} })).dataSourceInstanceSettings!
        .jsonData
    ).toEqual({});
    const parsed = toDataQuery(
      create(pb.DataQuerySchema, {
        refId: 'A',
        maxDataPoints: 500n,
        intervalMS: 60_000n,
        timeRange: { fromEpochMS: 1000n, toEpochMS: 2000n },
        json: utf8.encode('{"eventName":"CreateUser"}'),
        queryType: 'metrics',
      })
    );
    expect(parsed).toEqual({
      ok: true,
      query: {
        refId: 'A',
        queryType: 'metrics',
        maxDataPoints: 500,
        intervalMs: 60_000,
        timeRange: { fromMs: 1000, toMs: 2000, from: new Date(1000), to: new Date(2000) },
        json: { eventName: 'CreateUser' },
      },
    });
  });

  it('reports invalid query JSON for that query only', () => {
    expect(toDataQuery(create(pb.DataQuerySchema, { refId: 'B', json: utf8.encode('nope') }))).toEqual({
      ok: false,
      refId: 'B',
      error: expect.stringMatching(/^query B is not valid JSON/),
    });
  });

  it('exposes resource paths without a leading slash and query parameters as URLSearchParams', () => {
    const req = toCallResourceRequest(
      create(pb.CallResourceRequestSchema, {
        path: '/event-names',
        url: '/api/datasources/uid/x/resources/event-names?region=us-east-1&q=Create',
        headers: { Accept: { values: ['application/json'] } },
      }),
      toPluginContext(undefined)
    );
    expect(req.path).toBe('event-names');
    expect(req.method).toBe('GET');
    expect(req.searchParams.get('region')).toBe('us-east-1');
    expect(req.searchParams.get('q')).toBe('Create');
    expect(req.headers).toEqual({ Accept: ['application/json'] });
  });

  it('keeps plugin id, version and user agent, and gives empty defaults without a context', () => {
    const context = toPluginContext(
      create(pb.PluginContextSchema, { pluginId: 'p', pluginVersion: '1.2.3', userAgent: 'Grafana/13.2.2' })
    );
    expect(context).toMatchObject({ pluginId: 'p', pluginVersion: '1.2.3', userAgent: 'Grafana/13.2.2' });
    expect(toPluginContext(undefined)).toStrictEqual({
      orgId: 0,
      pluginId: '',
      user: undefined,
      dataSourceInstanceSettings: undefined,
      grafanaConfig: {},
      pluginVersion: '',
      userAgent: '',
    });
  });

  it('keeps resource paths below the first segment and the method Grafana sent', () => {
    const req = toCallResourceRequest(
      create(pb.CallResourceRequestSchema, { path: '//trails/detail', method: 'POST', url: '' }),
      toPluginContext(undefined)
    );
    expect(req.path).toBe('trails/detail');
    expect(req.method).toBe('POST');
    expect([...req.searchParams]).toEqual([]);
    const bare = toCallResourceRequest(
      create(pb.CallResourceRequestSchema, { path: 'regions?x=1' }),
      toPluginContext(undefined)
    );
    expect(bare.searchParams.get('x')).toBe('1');
    const inner = toCallResourceRequest(
      create(pb.CallResourceRequestSchema, { path: 'trails/detail' }),
      toPluginContext(undefined)
    );
    expect(inner.path).toBe('trails/detail');
  });
});

describe('JSON objects', () => {
  const bytes = (text: string) => utf8.encode(text);

  it('reads an object, tolerating surrounding whitespace; blank means {}', () => {
    expect(parseJsonObject(bytes('  {"a":1}\n'), 'x')).toEqual({ a: 1 });
    expect(parseJsonObject(bytes(' \n '), 'x')).toEqual({});
  });

  it.each(['[1]', 'null', '"text"', '42'])('refuses %s with a message naming what had to be an object', (text) => {
    let thrown: unknown;
    try {
      parseJsonObject(bytes(text), 'data source jsonData');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RequestParseError);
    expect(thrown).toMatchObject({ name: 'RequestParseError', message: 'data source jsonData must be a JSON object' });
  });

  it('names the data source settings when their jsonData is broken', () => {
    expect(() =>
      toPluginContext(create(pb.PluginContextSchema, { dataSourceInstanceSettings: { jsonData: bytes('{oops') } }))
    ).toThrow(/^data source jsonData is not valid JSON: /);
  });
});
