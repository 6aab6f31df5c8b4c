// Helpers for the simulator's tests: a fixed clock, SDK clients pointed at a simulator, and a
// raw signed request for things the SDK cannot send (botocore's target spelling, unknown operations).
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import type { RunningSimulator } from './types';

/** Tuesday 2026-11-24 12:00:00 UTC, aligned to the hour. */
export const FIXED_NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
export const DAY_MS = 86_400_000;
export const TEST_KEY = { accessKeyId: 'AKIATESTSIMULATOR01', secretAccessKey: 'test-secret-key-0123456789' };

export interface ClientOptions {
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
}

/** Settings both SDK clients share: us-east-1, TEST_KEY and a single attempt unless told otherwise. */
function clientConfig(sim: RunningSimulator, options: ClientOptions) {
  return {
    endpoint: sim.url,
    region: options.region ?? 'us-east-1',
    credentials: options.credentials ?? TEST_KEY,
    maxAttempts: options.maxAttempts ?? 1,
  };
}

export function cloudTrail(sim: RunningSimulator, options: ClientOptions = {}): CloudTrailClient {
  return new CloudTrailClient(clientConfig(sim, options));
}

export function sts(sim: RunningSimulator, options: ClientOptions = {}): STSClient {
  return new STSClient(clientConfig(sim, options));
}

/** Captures the error a promise rejects with (fails the test if it resolves). */
export async function errorOf(
  promise: Promise<unknown>
): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (e) {
    return e as Error & { name: string };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export interface SignedRequest {
  body: string;
  /** Headers to sign besides Host (which is always signed). */
  headers: Record<string, string>;
  method?: string;
  service?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Default: now. */
  signingDate?: Date;
  /** Sign and send x-amz-content-sha256 as aws-sdk-js-v3 does (default), or not, as aws-sdk-go-v2 and botocore. */
  contentSha256?: boolean;
}

/** The headers of a request to the simulator signed with @smithy/signature-v4 in us-east-1, minus Host
 *  (fetch sets it). Lets a test send what the SDK will not: another body, an old date, a raw form. */
export async function signedHeaders(sim: RunningSimulator, request: SignedRequest): Promise<Record<string, string>> {
  const url = new URL(sim.url);
  const signer = new SignatureV4({
    credentials: request.credentials ?? TEST_KEY,
    region: 'us-east-1',
    service: request.service ?? 'cloudtrail',
    sha256: Sha256,
    applyChecksum: request.contentSha256 ?? true,
  });
  const signed = await signer.sign(
    {
      method: request.method ?? 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query: {},
      headers: { host: url.host, ...request.headers },
      body: request.body,
    },
    { signingDate: request.signingDate }
  );
  const { host: _host, ...headers } = signed.headers as Record<string, string>;
  return headers;
}

export interface RawCall {
  target?: string;
  body?: string;
  sign?: boolean;
  service?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  headers?: Record<string, string>;
  method?: string;
}

/** A hand-made awsJson1_1 request, signed (see signedHeaders) unless sign is false. */
export async function rawCall(
  sim: RunningSimulator,
  call: RawCall
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const body = call.body ?? '{}';
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    ...(call.target ? { 'x-amz-target': call.target } : {}),
    ...call.headers,
  };
  const sendable =
    call.sign === false
      ? headers
      : await signedHeaders(sim, {
          body,
          headers,
          method: call.method,
          service: call.service,
          credentials: call.credentials,
        });
  const response = await fetch(`${sim.url}/`, {
    method: call.method ?? 'POST',
    headers: sendable,
    body: call.method === 'GET' ? undefined : body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : {} };
}
