/**
 * The public response types -> protobuf messages. Every DataResponse leaves with a status
 * (Grafana turns 0 into 500) and an errorSource whenever it carries an error.
 */
import { create } from '@bufbuild/protobuf';
import { encodeFrame } from './arrowEncoder';
import { encodeFrameJson } from './encoding/jsonFrame';
import * as pb from './gen/pluginv2_pb';
import {
  QueryError,
  type CallResourceResponse,
  type CheckHealthResult,
  type DataResponse,
  type ErrorSource,
} from './types';

const utf8 = new TextEncoder();

export function errorResponse(message: string, errorSource: ErrorSource = 'plugin', status = 500): pb.DataResponse {
  return create(pb.DataResponseSchema, { error: message, errorSource, status });
}

/** Maps anything a query threw to a DataResponse; QueryError keeps its status and source. */
export function thrownToResponse(error: unknown): pb.DataResponse {
  if (error instanceof QueryError) {
    return errorResponse(error.message, error.errorSource, error.status);
  }
  const message = error instanceof Error ? error.message : String(error);
  return errorResponse(message || 'query failed', 'plugin', 500);
}

/**
 * The response with its frames in the format the host asked for (Arrow unless it asked JSON),
 * saying which: hosts decode each DataResponse by its `format`.
 */
export function toDataResponse(
  response: DataResponse,
  refId: string,
  format: pb.DataFrameFormat = pb.DataFrameFormat.ARROW
): pb.DataResponse {
  try {
    const encode = format === pb.DataFrameFormat.JSON ? encodeFrameJson : encodeFrame;
    const frames = response.frames.map((frame) => encode({ ...frame, refId: frame.refId || refId }));
    if (response.error) {
      return create(pb.DataResponseSchema, {
        frames,
        error: response.error,
        errorSource: response.errorSource ?? 'plugin',
        status: response.status || 500,
        format,
      });
    }
    return create(pb.DataResponseSchema, { frames, status: response.status || 200, format });
  } catch (error) {
    return errorResponse(`could not encode frames: ${(error as Error).message}`, 'plugin', 500);
  }
}

export function toCheckHealthResponse(result: CheckHealthResult): pb.CheckHealthResponse {
  return create(pb.CheckHealthResponseSchema, {
    status: result.status as number as pb.CheckHealthResponse_HealthStatus,
    message: result.message,
    jsonDetails: result.jsonDetails ? utf8.encode(JSON.stringify(result.jsonDetails)) : new Uint8Array(),
  });
}

export function toCallResourceResponse(response: CallResourceResponse): pb.CallResourceResponse {
  const headers: Record<string, pb.StringList> = {};
  for (const [name, values] of Object.entries(response.headers ?? {})) {
    headers[name] = create(pb.StringListSchema, { values });
  }
  return create(pb.CallResourceResponseSchema, {
    code: response.status,
    headers,
    body: typeof response.body === 'string' ? utf8.encode(response.body) : response.body,
  });
}
