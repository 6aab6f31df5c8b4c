/**
 * A host-side client for tests, smoke tests and benchmarks: launches a plugin process the way
 * go-plugin does (cookie env, handshake line on stdout) and calls it over real gRPC, through the
 * unix socket the handshake names (TCP only where the plugin runs on Windows).
 */
import {
  create,
  type DescMessage,
  type DescService,
  type MessageInitShape,
  type MessageShape,
} from '@bufbuild/protobuf';
import { credentials, makeGenericClientConstructor, type Client } from '@grpc/grpc-js';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as goplugin from '../gen/goplugin_pb';
import * as health from '../gen/health_pb';
import * as pluginv2 from '../gen/pluginv2_pb';
import { grpcServiceDefinition } from '../grpcService';

export const PLUGIN_ENV = { grafana_plugin_type: 'datasource', PLUGIN_PROTOCOL_VERSIONS: '2' };

export interface LaunchedPlugin {
  child: ChildProcessWithoutNullStreams;
  handshake: string;
  /** go-plugin's network from the handshake line: `unix` on Linux and macOS. */
  network: 'unix' | 'tcp';
  /** The socket path (as the host sees it) or host:port. */
  address: string;
  handshakeMs: number;
  stderr: () => string;
  /** Anything the plugin wrote to stdout after the handshake line (must stay empty). */
  stdoutAfterHandshake: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Calls a unary method, e.g. `call(pluginv2.Data, 'queryData', {...})`. */
  call<S extends DescService, I extends DescMessage, O extends DescMessage>(
    service: S,
    method: string,
    request: MessageInitShape<I>,
    /** `signal` cancels the call, as Grafana does when a query is no longer needed. */
    options?: { deadlineMs?: number; signal?: AbortSignal }
  ): Promise<MessageShape<O>>;
  /** Calls a server-streaming method and collects every message. */
  stream<O extends DescMessage>(
    service: DescService,
    method: string,
    request: unknown
  ): Promise<Array<MessageShape<O>>>;
  close(): void;
}

export interface LaunchOptions {
  /** Where the plugin's filesystem root is on the host, for a plugin run in a chroot. */
  hostRoot?: string;
}

/** The handshake's address as the host reaches it, and the grpc-js target for it. */
function hostEndpoint(
  network: string,
  address: string,
  hostRoot = ''
): { address: string; target: string } | undefined {
  if (network === 'unix' && address.startsWith('/')) {
    return { address: hostRoot + address, target: `unix:${hostRoot}${address}` };
  }
  return network === 'tcp' ? { address, target: address } : undefined;
}

export function launchPlugin(
  command: string[],
  env: Record<string, string> = {},
  timeoutMs = 30_000,
  options: LaunchOptions = {}
): Promise<LaunchedPlugin> {
  const started = performance.now();
  const child = spawn(command[0], command.slice(1), {
    env: { ...process.env, ...PLUGIN_ENV, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  let handshakeRead = false;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal }))
  );
  const clients = new Map<DescService, Client & Record<string, Function>>();

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no handshake within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`plugin exited (${code}) before the handshake; stderr: ${stderr}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline < 0 || handshakeRead) {
        return;
      }
      handshakeRead = true;
      clearTimeout(timer);
      const handshake = stdout.slice(0, newline);
      const [, , network, pluginAddress, protocol] = handshake.split('|');
      const endpoint = hostEndpoint(network, pluginAddress, options.hostRoot);
      if (endpoint === undefined || protocol !== 'grpc') {
        reject(new Error(`unexpected handshake line: ${handshake}`));
        return;
      }
      const { address, target } = endpoint;
      const clientFor = (service: DescService) => {
        let client = clients.get(service);
        if (!client) {
          const Ctor = makeGenericClientConstructor(grpcServiceDefinition(service), service.typeName);
          client = new Ctor(target, credentials.createInsecure()) as Client & Record<string, Function>;
          clients.set(service, client);
        }
        return client;
      };
      resolve({
        child,
        handshake,
        network: network as 'unix' | 'tcp',
        address,
        handshakeMs: performance.now() - started,
        stderr: () => stderr,
        exited,
        stdoutAfterHandshake: () => stdout.slice(newline + 1),
        call: (service, method, request, options) =>
          new Promise((resolveCall, rejectCall) => {
            const input = service.methods.find((m) => m.localName === method)!.input;
            const deadline = options?.deadlineMs ? new Date(Date.now() + options.deadlineMs) : undefined;
            const call = clientFor(service)[method](
              create(input, request as never),
              { deadline },
              (error: Error | null, response: never) => (error ? rejectCall(error) : resolveCall(response))
            );
            options?.signal?.addEventListener('abort', () => call.cancel(), { once: true });
          }),
        stream: (service, method, request) =>
          new Promise((resolveStream, rejectStream) => {
            const input = service.methods.find((m) => m.localName === method)!.input;
            const messages: never[] = [];
            const call = clientFor(service)[method](create(input, request as never));
            call.on('data', (message: never) => messages.push(message));
            call.on('error', rejectStream);
            call.on('end', () => resolveStream(messages));
          }),
        close: () => {
          clients.forEach((client) => client.close());
          clients.clear();
        },
      } as LaunchedPlugin);
    });
  });
}

export { goplugin, health, pluginv2 };
