/**
 * Runs synthetic QueryData requests through the path a real one takes after grpc-js has read it:
 * protobuf decoding, request mapping, an instance, response mapping (Arrow encoding) and protobuf
 * encoding, on an InstanceManager of its own. JavaScriptCore compiles a function to fast code only
 * after it has run many times, so a plugin does this before its handshake (serve's `warmUp`) to
 * answer its first real queries as fast as its later ones.
 */
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import * as pb from './gen/pluginv2_pb';
import { InstanceManager } from './instanceManager';
import { createLogger } from './logger';
import { queryData } from './services/dataService';
import type { InstanceFactory } from './types';

export interface WarmUpOptions {
  /** Requests to run, one after the other. */
  count: number;
  /** Stop early once this much time has passed (a loaded machine must not delay start-up long). */
  maxMs: number;
  now?: () => number;
}

export interface WarmUpResult {
  /** Requests run. */
  requests: number;
  /** Query answers that carried an error (a warm-up that fails warms the wrong code). */
  failures: number;
}

const quiet = createLogger({ write: () => undefined });

export async function warmUpQueryData(
  factory: InstanceFactory,
  request: (i: number) => pb.QueryDataRequest,
  options: WarmUpOptions
): Promise<WarmUpResult> {
  const now = options.now ?? Date.now;
  const instances = new InstanceManager(factory, quiet);
  const startedMs = now();
  let requests = 0;
  let failures = 0;
  try {
    while (requests < options.count && now() - startedMs < options.maxMs) {
      const wire = toBinary(pb.QueryDataRequestSchema, request(requests));
      const ctx = { signal: new AbortController().signal, deadlineMs: now() + 10_000 };
      const response = await queryData(instances, quiet, fromBinary(pb.QueryDataRequestSchema, wire), ctx);
      toBinary(pb.QueryDataResponseSchema, response);
      requests++;
      failures += Object.values(response.responses).filter((r) => r.error).length;
    }
  } finally {
    await instances.disposeAll();
  }
  return { requests, failures };
}
