/**
 * The services go-plugin itself talks to: GRPCController (Shutdown), GRPCStdio (kept open and
 * silent; logs go straight to stderr) and grpc.health.v1.Health reporting "plugin" SERVING.
 * Open streams are tracked so shutdown can end them and let the server close promptly.
 */
import { create } from '@bufbuild/protobuf';
import { status, type ServerWritableStream, type UntypedServiceImplementation } from '@grpc/grpc-js';
import * as goplugin from '../gen/goplugin_pb';
import * as health from '../gen/health_pb';

export class OpenStreams {
  private readonly streams = new Set<ServerWritableStream<unknown, unknown>>();

  hold(call: ServerWritableStream<unknown, unknown>): void {
    this.streams.add(call);
    const release = () => this.streams.delete(call);
    call.on('cancelled', release);
    call.on('finish', release);
  }

  endAll(): void {
    for (const call of this.streams) {
      call.end();
    }
    this.streams.clear();
  }
}

export function controllerService(onShutdown: () => void): UntypedServiceImplementation {
  return {
    shutdown: (_call: unknown, callback: (error: null, response: goplugin.Empty) => void) => {
      callback(null, create(goplugin.EmptySchema));
      // Answer first, then stop: the host waits for the reply before its 2 s grace period.
      setImmediate(onShutdown);
    },
  };
}

export function stdioService(open: OpenStreams): UntypedServiceImplementation {
  return {
    streamStdio: (call: ServerWritableStream<unknown, unknown>) => open.hold(call),
  };
}

const SERVED = new Set(['', 'plugin']);

export function healthService(open: OpenStreams): UntypedServiceImplementation {
  const serving = () =>
    create(health.HealthCheckResponseSchema, { status: health.HealthCheckResponse_ServingStatus.SERVING });
  return {
    check: (
      call: { request: health.HealthCheckRequest },
      callback: (error: { code: number; details: string } | null, response?: health.HealthCheckResponse) => void
    ) => {
      if (SERVED.has(call.request.service)) {
        callback(null, serving());
      } else {
        callback({ code: status.NOT_FOUND, details: `unknown service "${call.request.service}"` });
      }
    },
    watch: (call: ServerWritableStream<health.HealthCheckRequest, health.HealthCheckResponse>) => {
      call.write(
        SERVED.has(call.request.service)
          ? serving()
          : create(health.HealthCheckResponseSchema, {
              status: health.HealthCheckResponse_ServingStatus.SERVICE_UNKNOWN,
            })
      );
      open.hold(call as ServerWritableStream<unknown, unknown>);
    },
  };
}
