/**
 * pluginv2.Data/QueryData. Each query runs through the instance on its own, so a query that
 * throws, times out or is left unanswered fails alone; every response carries a status and its
 * frames in the format the host asked for (Arrow, or the SDK's frame JSON). With a QueryLimit, the
 * queries past its `max` are answered 400 without running.
 *
 * Data/QueryChunkedData (grafana-plugin-sdk-go v0.300.0, experimental) is answered Unimplemented:
 * Grafana's plugin client (pkg/plugins/backendplugin/grpcplugin ClientV2) then sends the same
 * queries as one QueryData in the chunked request's format and hands each frame on as a chunk.
 */
import { create } from '@bufbuild/protobuf';
import { status, type ServerWritableStream, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { errorMessage } from '../errorMessage';
import * as pb from '../gen/pluginv2_pb';
import type { InstanceManager } from '../instanceManager';
import type { Logger } from '../logger';
import { toDataQuery, toPluginContext } from '../requestMapping';
import { errorResponse, thrownToResponse, toDataResponse } from '../responseMapping';
import {
  QueryError,
  type CallContext,
  type DataQuery,
  type DataSourceInstance,
  type QueryDataRequest,
  type QueryLimit,
} from '../types';
import { unary } from './unary';

function abortedError(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () =>
      reject(new QueryError(`query stopped: ${(signal.reason as Error)?.message ?? 'cancelled'}`, 'plugin', 504));
    if (signal.aborted) {
      fail();
    } else {
      signal.addEventListener('abort', fail, { once: true });
    }
  });
}

async function runOne(
  instance: DataSourceInstance,
  request: QueryDataRequest,
  query: DataQuery,
  ctx: CallContext,
  format: pb.DataFrameFormat
): Promise<pb.DataResponse> {
  try {
    const pending = instance.queryData!({ ...request, queries: [query] }, ctx);
    const responses = await Promise.race([pending, abortedError(ctx.signal)]);
    const response = responses?.[query.refId];
    if (!response) {
      return errorResponse(`the data source returned no response for query ${query.refId}`, 'plugin', 500);
    }
    return toDataResponse(response, query.refId, format);
  } catch (error) {
    return thrownToResponse(error);
  }
}

export async function queryData(
  instances: InstanceManager,
  log: Logger,
  req: pb.QueryDataRequest,
  ctx: CallContext,
  limit?: QueryLimit
): Promise<pb.QueryDataResponse> {
  const responses: Record<string, pb.DataResponse> = {};
  const failAll = (message: string, status: number) => {
    for (const query of req.queries) {
      responses[query.refId] ??= errorResponse(message, 'plugin', status);
    }
    return create(pb.QueryDataResponseSchema, { responses });
  };

  let request: QueryDataRequest;
  try {
    request = { pluginContext: toPluginContext(req.pluginContext), headers: { ...req.headers }, queries: [] };
  } catch (error) {
    return failAll((error as Error).message, 400);
  }
  const max = limit ? Math.max(0, limit.max) : Infinity;
  for (const [index, parsed] of req.queries.map(toDataQuery).entries()) {
    if (index >= max) {
      responses[req.queries[index].refId] = errorResponse(limit!.message(req.queries.length, max), 'plugin', 400);
    } else if (parsed.ok) {
      request.queries.push(parsed.query);
    } else {
      responses[parsed.refId] = errorResponse(parsed.error, 'plugin', 400);
    }
  }

  let answered: pb.DataResponse[] | undefined;
  try {
    // The instance stays alive (not disposed on a settings change) until every query has answered.
    answered = await instances.use(request.pluginContext, (instance) =>
      instance.queryData
        ? Promise.all(request.queries.map((query) => runOne(instance, request, query, ctx, req.format)))
        : undefined
    );
  } catch (error) {
    log.error('could not create the data source instance', { error });
    return failAll(`could not create the data source instance: ${errorMessage(error)}`, 500);
  }
  if (!answered) {
    return failAll('this data source does not implement queries', 501);
  }
  request.queries.forEach((query, i) => {
    responses[query.refId] = answered[i];
  });
  return create(pb.QueryDataResponseSchema, { responses });
}

export const CHUNKED_UNIMPLEMENTED =
  'QueryChunkedData is not implemented by this plugin: send the queries as QueryData (Grafana falls back to it by itself).';

export function dataService(instances: InstanceManager, log: Logger, limit?: QueryLimit): UntypedServiceImplementation {
  return {
    queryData: unary<pb.QueryDataRequest, pb.QueryDataResponse>('QueryData', log, (req, ctx) =>
      queryData(instances, log, req, ctx, limit)
    ),
    queryChunkedData: (call: ServerWritableStream<pb.QueryChunkedDataRequest, pb.QueryChunkedDataResponse>) => {
      log.debug('QueryChunkedData answered Unimplemented', { queries: call.request.queries.length });
      call.emit('error', { code: status.UNIMPLEMENTED, details: CHUNKED_UNIMPLEMENTED });
    },
  };
}
