/**
 * Guards what the AWS SDK is about to parse. The SDK buffers and parses a whole response body, so a
 * huge or endless answer would grow the heap without limit: this middleware sits between the
 * transport and the deserializer, reads the body itself up to a bound (refusing a larger declared
 * Content-Length at once, and stopping the stream as soon as the bound is passed) and hands the
 * bytes on. Every AWS client of the backend has it: CloudTrail's, and the STS clients of the
 * account proof and of the credential providers. It also names an HTML page (a proxy's or load balancer's error or login page) as such,
 * instead of letting it surface as a JSON parse error.
 */
import type {
  DeserializeHandler,
  DeserializeHandlerArguments,
  DeserializeHandlerOutput,
  HandlerExecutionContext,
  MetadataBearer,
  Pluggable,
} from '@smithy/types';
import { MAX_POINTS_PER_PAGE } from '../../../src/shared/retention';

/** Generous bytes per ListInsightsMetricData point: a 10-digit epoch and a 17-digit double with separators. */
export const BYTES_PER_POINT = 64;
/** Room for the echoed request fields and the NextToken. */
export const METRIC_PAGE_OVERHEAD_BYTES = 64 * 1024;
/** Any other operation: 50 LookupEvents records of a few KB each fit many times over. */
export const DEFAULT_RESPONSE_LIMIT_BYTES = 16 * 1024 * 1024;

/** The most a well-formed answer to this call can weigh. */
export function responseLimitBytes(commandName: string | undefined, input: unknown): number {
  if (commandName === 'ListInsightsMetricDataCommand') {
    const asked = Number((input as { MaxResults?: number } | undefined)?.MaxResults) || MAX_POINTS_PER_PAGE;
    return asked * BYTES_PER_POINT + METRIC_PAGE_OVERHEAD_BYTES;
  }
  return DEFAULT_RESPONSE_LIMIT_BYTES;
}

/** The endpoint sent more than any well-formed answer holds; reading stopped at the bound. */
export class ResponseTooLargeError extends Error {
  constructor(
    readonly limitBytes: number,
    readonly declaredBytes?: number
  ) {
    super(
      declaredBytes !== undefined
        ? `the response declares ${declaredBytes} bytes, more than the ${limitBytes} a valid answer can hold`
        : `the response passed ${limitBytes} bytes, more than a valid answer can hold`
    );
    this.name = 'ResponseTooLargeError';
  }
}

/** An HTML page where CloudTrail JSON was expected. `$metadata` lets a 5xx page be retried as one. */
export class HtmlResponseError extends Error {
  readonly $metadata: { httpStatusCode: number };

  constructor(
    readonly httpStatus: number,
    readonly pageTitle?: string
  ) {
    super(`HTTP ${httpStatus} with an HTML page${pageTitle ? ` ("${pageTitle}")` : ''}`);
    this.name = 'HtmlResponseError';
    this.$metadata = { httpStatusCode: httpStatus };
  }
}

interface StreamLike extends AsyncIterable<Uint8Array | string> {
  destroy?: () => void;
}

/** The whole body as bytes, or ResponseTooLargeError as soon as it passes `limit`. */
export async function readBounded(body: unknown, limit: number): Promise<Uint8Array> {
  if (body === undefined || body === null) {
    return new Uint8Array();
  }
  if (body instanceof Uint8Array || typeof body === 'string') {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    if (bytes.byteLength > limit) {
      throw new ResponseTooLargeError(limit);
    }
    return bytes;
  }
  const stream = body as StreamLike;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.byteLength;
    if (size > limit) {
      stream.destroy?.();
      throw new ResponseTooLargeError(limit);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

const header = (headers: Record<string, string>, name: string) =>
  Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];

function looksLikeHtml(contentType: string | undefined, bytes: Uint8Array): boolean {
  if (/^\s*text\/html\b/i.test(contentType ?? '')) {
    return true;
  }
  const start = Buffer.from(bytes.subarray(0, 64)).toString('utf8').trimStart().toLowerCase();
  return start.startsWith('<!doctype html') || start.startsWith('<html');
}

function titleOf(bytes: Uint8Array): string | undefined {
  const text = Buffer.from(bytes.subarray(0, 4096)).toString('utf8');
  const title = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(text)?.[1]?.trim();
  return title || undefined;
}

interface RawResponse {
  statusCode: number;
  headers: Record<string, string>;
  body?: unknown;
}

export function responseGuardMiddleware<Output extends MetadataBearer>(
  next: DeserializeHandler<object, Output>,
  context: HandlerExecutionContext
) {
  return async (args: DeserializeHandlerArguments<object>): Promise<DeserializeHandlerOutput<Output>> => {
    const result = await next(args);
    const response = result.response as RawResponse;
    const limit = responseLimitBytes(context.commandName, args.input);
    const declared = Number(header(response.headers, 'content-length'));
    if (Number.isFinite(declared) && declared > limit) {
      (response.body as StreamLike | undefined)?.destroy?.();
      throw new ResponseTooLargeError(limit, declared);
    }
    const bytes = await readBounded(response.body, limit);
    if (looksLikeHtml(header(response.headers, 'content-type'), bytes)) {
      throw new HtmlResponseError(response.statusCode, titleOf(bytes));
    }
    response.body = bytes;
    return result;
  };
}

/**
 * Plugin for an SDK client: `client.middlewareStack.use(responseGuard)`, or `clientPlugins` of a
 * credential provider's STS client. Applying it again replaces it: fromTemporaryCredentials applies
 * its clientPlugins to the same STS client on every credential refresh.
 */
export const responseGuard: Pluggable<object, MetadataBearer> = {
  applyToStack: (stack) => {
    stack.addRelativeTo(responseGuardMiddleware, {
      name: 'cloudTrailResponseGuard',
      relation: 'after',
      toMiddleware: 'deserializerMiddleware',
      override: true,
    });
  },
};
