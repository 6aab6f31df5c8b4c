import { tableFromIPC } from 'apache-arrow';
import { create } from '@bufbuild/protobuf';
import * as pb from './gen/pluginv2_pb';
import {
  errorResponse,
  thrownToResponse,
  toCallResourceResponse,
  toCheckHealthResponse,
  toDataResponse,
} from './responseMapping';
import { HealthStatus, QueryError } from './types';
import type { Frame } from './frame';

const utf8 = new TextDecoder();
const frame = (refId?: string): Frame => ({
  name: 'calls',
  refId,
  fields: [
    { name: 'time', type: 'time', values: [1000, 2000] },
    { name: 'value', type: 'number', values: [1, 2] },
  ],
});
const refIdOf = (bytes: Uint8Array) => tableFromIPC(bytes).schema.metadata.get('refId');
const plain = (message: pb.DataResponse) => ({
  error: message.error,
  errorSource: message.errorSource,
  status: message.status,
  frames: message.frames.length,
});

describe('data responses', () => {
  it('a successful answer carries its frames, tagged with the query refId, and status 200', () => {
    const answer = toDataResponse({ frames: [frame(), frame('B')] }, 'A');
    expect(plain(answer)).toEqual({ error: '', errorSource: '', status: 200, frames: 2 });
    expect(answer.frames.map(refIdOf)).toEqual(['A', 'B']);
    expect(toDataResponse({ frames: [], status: 206 }, 'A').status).toBe(206);
  });

  it('a failed answer always has a status (500 unless set) and an error source (plugin unless set)', () => {
    expect(plain(toDataResponse({ frames: [], error: 'boom' }, 'A'))).toEqual({
      error: 'boom',
      errorSource: 'plugin',
      status: 500,
      frames: 0,
    });
    expect(
      plain(toDataResponse({ frames: [frame()], error: 'AWS said no', errorSource: 'downstream', status: 403 }, 'A'))
    ).toEqual({ error: 'AWS said no', errorSource: 'downstream', status: 403, frames: 1 });
  });

  it('a frame that cannot be encoded fails that query with a clear error instead of throwing', () => {
    const broken: Frame = {
      name: 'bad',
      fields: [
        { name: 'time', type: 'time', values: [1] },
        { name: 'value', type: 'number', values: [] },
      ],
    };
    expect(plain(toDataResponse({ frames: [broken] }, 'A'))).toEqual({
      error: 'could not encode frames: frame "bad": field "value" has 0 values, expected 1',
      errorSource: 'plugin',
      status: 500,
      frames: 0,
    });
  });

  it('errorResponse defaults to a plugin error with status 500', () => {
    expect(plain(errorResponse('nope'))).toEqual({ error: 'nope', errorSource: 'plugin', status: 500, frames: 0 });
  });

  it('a thrown QueryError keeps its status and source; anything else is a plugin 500 with its message', () => {
    expect(plain(thrownToResponse(new QueryError('bad period', 'plugin', 400)))).toEqual({
      error: 'bad period',
      errorSource: 'plugin',
      status: 400,
      frames: 0,
    });
    expect(plain(thrownToResponse(new QueryError('throttled', 'downstream')))).toMatchObject({ status: 502 });
    expect(plain(thrownToResponse(new TypeError('x is undefined')))).toEqual({
      error: 'x is undefined',
      errorSource: 'plugin',
      status: 500,
      frames: 0,
    });
    expect(thrownToResponse('a string').error).toBe('a string');
    expect(thrownToResponse(new Error('')).error).toBe('query failed');
    expect(thrownToResponse(undefined).error).toBe('undefined');
  });
});

describe('health and resource responses', () => {
  it('sends health status, message and JSON details (none when absent)', () => {
    const ok = toCheckHealthResponse({ status: HealthStatus.Ok, message: 'fine', jsonDetails: { trails: 2 } });
    expect(ok.status).toBe(pb.CheckHealthResponse_HealthStatus.OK);
    expect(ok.message).toBe('fine');
    expect(JSON.parse(utf8.decode(ok.jsonDetails))).toEqual({ trails: 2 });
    const failed = toCheckHealthResponse({ status: HealthStatus.Error, message: 'denied' });
    expect(failed.status).toBe(pb.CheckHealthResponse_HealthStatus.ERROR);
    expect(failed.jsonDetails).toEqual(new Uint8Array());
  });

  it('sends resource status, every header value and the body as bytes', () => {
    const text = toCallResourceResponse({
      status: 404,
      headers: { 'Content-Type': ['application/json'], Vary: ['Accept', 'Origin'] },
      body: '{"error":"no route"}',
    });
    expect(text.code).toBe(404);
    expect(Object.fromEntries(Object.entries(text.headers).map(([k, v]) => [k, v.values]))).toEqual({
      'Content-Type': ['application/json'],
      Vary: ['Accept', 'Origin'],
    });
    expect(utf8.decode(text.body)).toBe('{"error":"no route"}');
    const bytes = toCallResourceResponse({ status: 200, body: new Uint8Array([1, 2, 3]) });
    expect(bytes.body).toEqual(new Uint8Array([1, 2, 3]));
    expect(bytes.headers).toEqual({});
    expect(create(pb.CallResourceResponseSchema, bytes).code).toBe(200);
  });
});
