// HTTP front end: reads the request, picks the protocol (awsJson1_1 for CloudTrail, awsQuery for STS),
// authenticates, counts, applies quotas and faults, runs the operation and writes an AWS-shaped answer.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ApiError,
  CLOUDTRAIL_NAMESPACE,
  internalFailure,
  serialization,
  throttling,
  unknownOperation,
  unrecognizedClient,
} from '../protocol/errors';
import type { Authenticator, RawRequest } from './auth';
import type { FaultState } from '../behaviour/faults';
import type { RateLimiter } from '../behaviour/quotas';
import type { PageTokens } from '../operations/paging';
import type { World } from '../data/world';
import { CLOUDTRAIL_OPERATIONS, operationFromTarget } from '../operations';
import { asInput } from '../protocol/validation';
import { runSts, stsAction, stsErrorXml } from './sts';
import { refusal } from '../behaviour/accessDenied';
import {
  corruptPage,
  PROXY_ERROR_PAGE,
  type CorruptPageKind,
  type MetricAnswer,
  type StreamedBody,
} from '../behaviour/hostilePages';

const MAX_BODY_BYTES = 1 << 20;

export interface ServerParts {
  auth: Authenticator;
  faults: FaultState;
  limiter: RateLimiter;
  tokens: PageTokens;
  world: World;
  now: () => number;
  counts: { calls: Map<string, number>; throttled: Map<string, number> };
  log?: (line: string) => void;
}

interface Reply {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
  /** Sent instead of `body`, chunk by chunk and without a Content-Length. */
  stream?: StreamedBody;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(serialization('Request body is larger than 1 MiB.'));
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function toRawRequest(req: IncomingMessage, body: Buffer): RawRequest {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) {
      headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
    }
  }
  return { method: req.method ?? 'GET', path: url.pathname, query, headers, body };
}

function isQueryProtocol(raw: RawRequest): boolean {
  return (
    (raw.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') ||
    typeof raw.query['Action'] === 'string'
  );
}

function jsonError(error: ApiError): Reply {
  const type = error.namespace ? `${error.namespace}#${error.code}` : error.code;
  return {
    status: error.status,
    contentType: 'application/x-amz-json-1.1',
    headers: {
      'x-amzn-ErrorType': `${error.code}:http://internal.amazon.com/coral/${error.namespace || CLOUDTRAIL_NAMESPACE}/`,
    },
    body: JSON.stringify({ __type: type, message: error.message }),
  };
}

export function createHandler(parts: ServerParts) {
  const count = (map: Map<string, number>, op: string) => map.set(op, (map.get(op) ?? 0) + 1);

  async function dispatch(raw: RawRequest, requestId: string, socketReset: () => void): Promise<Reply | undefined> {
    const query = isQueryProtocol(raw);
    const fail = (e: ApiError): Reply => {
      if (!query) {
        return jsonError(e);
      }
      const { status, xml } = stsErrorXml(e, requestId);
      return { status, contentType: 'text/xml', body: xml };
    };
    // A proxy in front answers before the service sees the call.
    if (parts.faults.fires('htmlError', requestedOperation(raw, query))) {
      return { ...PROXY_ERROR_PAGE };
    }
    try {
      if (parts.faults.flags.badCredentials) {
        throw unrecognizedClient();
      }
      const caller = await parts.auth.authenticate(raw, query ? 'sts' : 'cloudtrail');
      const params = query
        ? new URLSearchParams({
            ...flatQuery(raw),
            ...Object.fromEntries(new URLSearchParams(raw.body.toString('utf8'))),
          })
        : undefined;
      const op = query
        ? stsAction(params!)
        : raw.method === 'POST'
          ? operationFromTarget(raw.headers['x-amz-target'])
          : undefined;
      if (!op) {
        throw unknownOperation(query ? (params!.get('Action') ?? '') : (raw.headers['x-amz-target'] ?? ''));
      }
      count(parts.counts.calls, op);
      // IAM is evaluated before quotas and input validation: a denied call uses no rate quota.
      const denied = refusal(op, caller, { body: raw.body, params }, (name) =>
        parts.faults.fires('accessDenied', name)
      );
      if (denied) {
        throw denied;
      }
      if (parts.faults.flags.throttleAll || !parts.limiter.tryAcquire(caller.accountId, caller.region, op)) {
        count(parts.counts.throttled, op);
        throw throttling();
      }
      if (parts.faults.fires('resetConnection', op)) {
        socketReset();
        return undefined;
      }
      if (parts.faults.fires('serverError', op)) {
        throw internalFailure();
      }
      let reply: Reply;
      if (query) {
        reply = {
          status: 200,
          contentType: 'text/xml',
          body: runSts(op, params!, caller, parts.auth, parts.now(), requestId),
        };
      } else {
        let body: unknown;
        try {
          body = raw.body.length ? JSON.parse(raw.body.toString('utf8')) : {};
        } catch {
          throw serialization('Request body is not valid JSON.');
        }
        const ctx = {
          accountId: caller.accountId,
          region: caller.region,
          nowMs: parts.now(),
          world: parts.world,
          tokens: parts.tokens,
          faults: parts.faults,
        };
        const result = CLOUDTRAIL_OPERATIONS[op](asInput(body), ctx);
        const corruption = op === 'ListInsightsMetricData' ? parts.faults.flags.corruptPage : false;
        const answer = corruption ? corruptMetricPage(corruption, result, body, ctx.nowMs) : result;
        reply =
          typeof answer === 'function'
            ? { status: 200, contentType: 'application/x-amz-json-1.1', body: '', stream: answer }
            : { status: 200, contentType: 'application/x-amz-json-1.1', body: JSON.stringify(answer) };
      }
      if (parts.faults.fires('malformedBody', op)) {
        reply.body = reply.body.slice(0, Math.max(1, Math.floor(reply.body.length / 2)));
      }
      return reply;
    } catch (e) {
      if (e instanceof ApiError) {
        return fail(e);
      }
      parts.log?.(`simulator: internal error: ${(e as Error).stack ?? e}`);
      return fail(internalFailure());
    }
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    let reply: Reply | undefined;
    let raw: RawRequest | undefined;
    try {
      raw = toRawRequest(req, await readBody(req));
      reply = await dispatch(raw, requestId, () => req.socket.destroy());
    } catch (e) {
      reply = jsonError(e instanceof ApiError ? e : internalFailure());
    }
    if (!reply) {
      return;
    } // connection reset on purpose
    const delay = parts.faults.flags.slowMs;
    if (delay > 0) {
      await new Promise((r) => setTimeout(r, delay));
    }
    if (res.destroyed) {
      return;
    }
    if (reply.stream) {
      res.writeHead(reply.status, { 'Content-Type': reply.contentType, 'x-amzn-RequestId': requestId });
      await writeStreamed(res, reply.stream);
      return;
    }
    const body = Buffer.from(reply.body, 'utf8');
    res.writeHead(reply.status, {
      'Content-Type': reply.contentType,
      'Content-Length': body.length,
      'x-amzn-RequestId': requestId,
      ...reply.headers,
    });
    res.end(body);
    parts.log?.(`${raw?.headers['x-amz-target'] ?? raw?.method ?? '?'} -> ${reply.status}`);
  };
}

/** The operation a request names, read before authentication (for faults in front of the service). */
function requestedOperation(raw: RawRequest, query: boolean): string {
  if (query) {
    return flatQuery(raw).Action ?? new URLSearchParams(raw.body.toString('utf8')).get('Action') ?? '';
  }
  return operationFromTarget(raw.headers['x-amz-target']) ?? '';
}

function corruptMetricPage(
  kind: CorruptPageKind,
  result: Record<string, unknown>,
  body: unknown,
  nowMs: number
): Record<string, unknown> | StreamedBody {
  const input = (body ?? {}) as { Period?: number; StartTime?: number };
  const period = Number(input.Period ?? 3600);
  const first = Math.ceil(Number(input.StartTime ?? nowMs / 1000 - 86_400) / period) * period;
  return corruptPage(kind, result as MetricAnswer, period, first);
}

/** Writes a streamed body, waiting for the client to drain; stops when the client goes away. */
async function writeStreamed(res: ServerResponse, stream: StreamedBody): Promise<void> {
  res.on('error', () => undefined);
  for (const chunk of stream()) {
    if (res.destroyed) {
      return;
    }
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        res.once('drain', resolve);
        res.once('close', resolve);
      });
    }
  }
  res.end();
}

function flatQuery(raw: RawRequest): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw.query)) {
    flat[k] = Array.isArray(v) ? v[0] : v;
  }
  return flat;
}
