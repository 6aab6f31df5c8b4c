/**
 * Runs a data source backend as a go-plugin gRPC plugin: checks the handshake env, serves
 * Data/Diagnostics/Resource plus go-plugin's controller/stdio/health services on a private unix
 * socket (loopback TCP on Windows), prints the handshake line, and exits within a second on
 * Shutdown, SIGTERM or SIGINT, removing the socket.
 */
import { Server } from '@grpc/grpc-js';
import type { Registry } from 'prom-client';
import * as goplugin from './gen/goplugin_pb';
import * as health from './gen/health_pb';
import * as pluginv2 from './gen/pluginv2_pb';
import { grpcServiceDefinition } from './grpcService';
import { handshakeLine, negotiateHandshake } from './handshake';
import { InstanceManager } from './instanceManager';
import { listen, type PluginListener } from './listener';
import { logger as defaultLogger, type Logger } from './logger';
import { metricsRegistry } from './metrics';
import { dataService } from './services/dataService';
import { diagnosticsService } from './services/diagnosticsService';
import { OpenStreams, controllerService, healthService, stdioService } from './services/hostServices';
import { resourceService } from './services/resourceService';
import type { InstanceFactory, QueryLimit } from './types';

export interface ServeOptions {
  factory: InstanceFactory;
  metrics?: Registry;
  logger?: Logger;
  /** At most this many queries of one QueryData request run (none: no bound). */
  queryLimit?: QueryLimit;
}

/** Time allowed for in-flight calls and instance disposal before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 400;
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

function guardProcess(log: Logger): void {
  process.on('unhandledRejection', (reason) => log.error('unhandled promise rejection', { error: reason }));
  process.on('uncaughtException', (error) => log.error('uncaught exception', { error }));
  // stdout belongs to the handshake; anything a library prints goes to the log instead.
  const toLog =
    (level: 'info' | 'debug' | 'warn' | 'error') =>
    (...args: unknown[]) =>
      log[level](args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
  console.log = toLog('info');
  console.info = toLog('info');
  // eslint-disable-next-line no-console -- replacing, not calling, console.debug
  console.debug = toLog('debug');
  console.warn = toLog('warn');
  console.error = toLog('error');
}

function withTimeout(work: Promise<unknown>, ms: number): Promise<unknown> {
  return Promise.race([work.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, ms).unref?.())]);
}

export async function serve(options: ServeOptions): Promise<void> {
  const log = options.logger ?? defaultLogger;
  const handshake = negotiateHandshake(process.env);
  if (!handshake.ok) {
    process.stderr.write(handshake.message + '\n');
    process.exit(1);
  }
  guardProcess(log);

  const instances = new InstanceManager(options.factory, log);
  const open = new OpenStreams();
  const server = new Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });

  let listener: PluginListener | undefined;
  // Also on a plain process.exit (e.g. from a library), so no socket is left behind.
  process.on('exit', () => listener?.remove());
  let stopping = false;
  const shutdown = (reason: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    log.info('plugin shutting down', { reason });
    open.endAll();
    const drained = new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    void withTimeout(Promise.all([drained, instances.disposeAll()]), SHUTDOWN_GRACE_MS).then(() => {
      server.forceShutdown();
      process.exit(0);
    });
  };

  server.addService(grpcServiceDefinition(pluginv2.Data), dataService(instances, log, options.queryLimit));
  server.addService(
    grpcServiceDefinition(pluginv2.Diagnostics),
    diagnosticsService(instances, options.metrics ?? metricsRegistry, log)
  );
  server.addService(grpcServiceDefinition(pluginv2.Resource), resourceService(instances, log));
  server.addService(
    grpcServiceDefinition(goplugin.GRPCController),
    controllerService(() => shutdown('GRPCController/Shutdown'))
  );
  server.addService(grpcServiceDefinition(goplugin.GRPCStdio), stdioService(open));
  server.addService(grpcServiceDefinition(health.Health), healthService(open));

  try {
    listener = await listen(server);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  process.stdout.write(handshakeLine(handshake.protocolVersion, listener.network, listener.address));
  log.debug('plugin started', {
    network: listener.network,
    address: listener.address,
    protocolVersion: handshake.protocolVersion,
    pid: process.pid,
  });
}
