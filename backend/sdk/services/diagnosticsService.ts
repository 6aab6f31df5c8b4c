/**
 * pluginv2.Diagnostics: CheckHealth answers with the instance's verdict (an error becomes
 * status ERROR with its message, never a failed call); CollectMetrics returns the shared
 * Prometheus registry as text.
 */
import { create } from '@bufbuild/protobuf';
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Registry } from 'prom-client';
import { errorMessage } from '../errorMessage';
import * as pb from '../gen/pluginv2_pb';
import type { InstanceManager } from '../instanceManager';
import type { Logger } from '../logger';
import { toPluginContext } from '../requestMapping';
import { toCheckHealthResponse } from '../responseMapping';
import { HealthStatus, type CallContext, type CheckHealthResult } from '../types';
import { unary } from './unary';

export async function checkHealth(
  instances: InstanceManager,
  log: Logger,
  req: pb.CheckHealthRequest,
  ctx: CallContext
): Promise<CheckHealthResult> {
  try {
    const pluginContext = toPluginContext(req.pluginContext);
    return await instances.use(pluginContext, (instance) =>
      instance.checkHealth
        ? instance.checkHealth({ pluginContext, headers: { ...req.headers } }, ctx)
        : { status: HealthStatus.Ok, message: 'Plugin is running' }
    );
  } catch (error) {
    log.warn('health check failed', { error });
    return { status: HealthStatus.Error, message: errorMessage(error) };
  }
}

export function diagnosticsService(
  instances: InstanceManager,
  registry: Registry,
  log: Logger
): UntypedServiceImplementation {
  const utf8 = new TextEncoder();
  return {
    checkHealth: unary<pb.CheckHealthRequest, pb.CheckHealthResponse>('CheckHealth', log, async (req, ctx) =>
      toCheckHealthResponse(await checkHealth(instances, log, req, ctx))
    ),
    collectMetrics: unary<pb.CollectMetricsRequest, pb.CollectMetricsResponse>('CollectMetrics', log, async () =>
      create(pb.CollectMetricsResponseSchema, {
        metrics: { prometheus: utf8.encode(await registry.metrics()) },
      })
    ),
  };
}
