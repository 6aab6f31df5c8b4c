import { create } from '@bufbuild/protobuf';
import * as pb from '../gen/pluginv2_pb';
import { InstanceManager } from '../instanceManager';
import { createLogger } from '../logger';
import { QueryError, type CallContext, type InstanceFactory } from '../types';
import { queryData } from './dataService';

const quiet = createLogger({ write: () => undefined });
const ctx = (): CallContext => ({ signal: new AbortController().signal, deadlineMs: Date.now() + 30_000 });
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

function request(queries: Array<{ refId: string; json: unknown }>, jsonData: unknown = {}) {
  return create(pb.QueryDataRequestSchema, {
    pluginContext: { dataSourceInstanceSettings: { uid: 'u', jsonData: bytes(jsonData), lastUpdatedMS: 1n } },
    queries: queries.map((q) => ({
      refId: q.refId,
      json: typeof q.json === 'string' ? new TextEncoder().encode(q.json) : bytes(q.json),
    })),
  });
}

/** An instance whose behaviour per query is chosen by the query JSON's `mode`. */
const factory: InstanceFactory = () => ({
  async queryData(req) {
    const query = req.queries[0];
    switch (query.json.mode) {
      case 'ok':
        return { [query.refId]: { frames: [{ fields: [{ name: 'v', type: 'number', values: [1] }] }] } };
      case 'queryError':
        throw new QueryError('ThrottlingException', 'downstream', 429);
      case 'plainError':
        throw new TypeError('cannot read x of undefined');
      case 'wrongRefId':
        return { SOMETHING_ELSE: { frames: [] } };
      case 'badFrame':
        return {
          [query.refId]: {
            frames: [
              {
                fields: [
                  { name: 'a', type: 'number', values: [1] },
                  { name: 'b', type: 'number', values: [] },
                ],
              },
            ],
          },
        };
      case 'errorResponse':
        return { [query.refId]: { frames: [], error: 'no data for region', errorSource: 'downstream' } };
    }
    throw new Error('unexpected mode');
  },
});

describe('queryData', () => {
  it('isolates every kind of per-query failure and always sets status', async () => {
    const manager = new InstanceManager(factory, quiet);
    const res = await queryData(
      manager,
      quiet,
      request([
        { refId: 'A', json: { mode: 'ok' } },
        { refId: 'B', json: { mode: 'queryError' } },
        { refId: 'C', json: { mode: 'plainError' } },
        { refId: 'D', json: { mode: 'wrongRefId' } },
        { refId: 'E', json: { mode: 'badFrame' } },
        { refId: 'F', json: '[1,2]' },
        { refId: 'G', json: { mode: 'errorResponse' } },
      ]),
      ctx()
    );
    const summary = Object.fromEntries(
      Object.entries(res.responses).map(([refId, r]) => [
        refId,
        { status: r.status, source: r.errorSource, error: r.error, frames: r.frames.length },
      ])
    );
    expect(summary).toEqual({
      A: { status: 200, source: '', error: '', frames: 1 },
      B: { status: 429, source: 'downstream', error: 'ThrottlingException', frames: 0 },
      C: { status: 500, source: 'plugin', error: 'cannot read x of undefined', frames: 0 },
      D: { status: 500, source: 'plugin', error: 'the data source returned no response for query D', frames: 0 },
      E: { status: 500, source: 'plugin', error: expect.stringMatching(/could not encode frames/), frames: 0 },
      F: { status: 400, source: 'plugin', error: 'query F must be a JSON object', frames: 0 },
      G: { status: 500, source: 'downstream', error: 'no data for region', frames: 0 },
    });
  });

  it('fails every query with a clear error when settings or the instance are unusable', async () => {
    const broken = new InstanceManager(() => {
      throw new Error('region is required');
    }, quiet);
    const res = await queryData(
      broken,
      quiet,
      request([
        { refId: 'A', json: {} },
        { refId: 'B', json: {} },
      ]),
      ctx()
    );
    expect(res.responses.A).toMatchObject({
      status: 500,
      errorSource: 'plugin',
      error: expect.stringMatching(/region is required/),
    });
    expect(res.responses.B.status).toBe(500);

    const manager = new InstanceManager(factory, quiet);
    const badSettings = request([{ refId: 'A', json: {} }]);
    badSettings.pluginContext!.dataSourceInstanceSettings!.jsonData = new TextEncoder().encode('{oops');
    const res2 = await queryData(manager, quiet, badSettings, ctx());
    expect(res2.responses.A).toMatchObject({ status: 400, error: expect.stringMatching(/jsonData is not valid JSON/) });
  });

  it('answers 501 for every query when the instance has no queryData', async () => {
    const res = await queryData(
      new InstanceManager(() => ({}), quiet),
      quiet,
      request([{ refId: 'A', json: {} }]),
      ctx()
    );
    expect(res.responses.A).toMatchObject({ status: 501, errorSource: 'plugin' });
  });

  it('with a QueryLimit, runs the first `max` queries and answers each one past it 400 without running it', async () => {
    const ran: string[] = [];
    const counting: InstanceFactory = () => ({
      async queryData(req) {
        ran.push(req.queries[0].refId);
        return { [req.queries[0].refId]: { frames: [] } };
      },
    });
    const res = await queryData(
      new InstanceManager(counting, quiet),
      quiet,
      request(['A', 'B', 'C', 'D', 'E'].map((refId) => ({ refId, json: {} }))),
      ctx(),
      { max: 3, message: (count, max) => `${count} queries, at most ${max} run` }
    );
    expect(ran.sort()).toEqual(['A', 'B', 'C']);
    for (const refId of ['A', 'B', 'C']) {
      expect(res.responses[refId]).toMatchObject({ status: 200, error: '' });
    }
    for (const refId of ['D', 'E']) {
      expect(res.responses[refId]).toMatchObject({
        status: 400,
        error: '5 queries, at most 3 run',
        errorSource: 'plugin',
      });
    }
  });
});

describe('the frame format the host asks for (grafana-plugin-sdk-go v0.300.0)', () => {
  it('answers Arrow by default and the SDK frame JSON when asked, saying which on every response', async () => {
    const manager = new InstanceManager(factory, quiet);
    const arrow = await queryData(manager, quiet, request([{ refId: 'A', json: { mode: 'ok' } }]), ctx());
    expect(arrow.responses.A.format).toBe(pb.DataFrameFormat.ARROW);
    // An Arrow IPC file starts with its magic.
    expect(new TextDecoder().decode(arrow.responses.A.frames[0].slice(0, 6))).toBe('ARROW1');

    const asked = request([
      { refId: 'A', json: { mode: 'ok' } },
      { refId: 'B', json: { mode: 'queryError' } },
    ]);
    asked.format = pb.DataFrameFormat.JSON;
    const json = await queryData(manager, quiet, asked, ctx());
    expect(json.responses.A).toMatchObject({ status: 200, format: pb.DataFrameFormat.JSON });
    expect(JSON.parse(new TextDecoder().decode(json.responses.A.frames[0]))).toEqual({
      schema: { refId: 'A', fields: [{ name: 'v', type: 'number', typeInfo: { frame: 'float64' } }] },
      data: { values: [[1]] },
    });
    // An error response has no frames to encode; it keeps its status and source.
    expect(json.responses.B).toMatchObject({ status: 429, errorSource: 'downstream', frames: [] });
  });
});
