// The guard inside a real SDK client, against a local HTTP server sending what a hostile endpoint can.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudTrailClient, DescribeTrailsCommand, ListInsightsMetricDataCommand } from '@aws-sdk/client-cloudtrail';
import {
  BYTES_PER_POINT,
  DEFAULT_RESPONSE_LIMIT_BYTES,
  HtmlResponseError,
  METRIC_PAGE_OVERHEAD_BYTES,
  ResponseTooLargeError,
  responseGuard,
  responseLimitBytes,
} from './responseGuard';

let server: Server;
let url: string;
let answer: (res: ServerResponse) => void;
let bytesSent = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => answer(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  bytesSent = 0;
});

function client(): CloudTrailClient {
  const c = new CloudTrailClient({
    endpoint: url,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
  });
  c.middlewareStack.use(responseGuard);
  return c;
}

const metrics = (MaxResults?: number) =>
  client().send(
    new ListInsightsMetricDataCommand({
      EventSource: 'ec2.amazonaws.com',
      EventName: 'RunInstances',
      InsightType: 'ApiCallRateInsight',
      MaxResults,
    })
  );

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('the call succeeded');
}

/** Streams `[1,1,1,…` in 64 KiB chunks without a Content-Length until the client goes away. */
function endlessJson(res: ServerResponse) {
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
  const chunk = '1,'.repeat(32 * 1024);
  res.write('{"Timestamps":[');
  const pump = () => {
    while (!res.destroyed && bytesSent < 200 * 1024 * 1024) {
      bytesSent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
  };
  res.on('error', () => undefined);
  pump();
}

test('the bound follows the page size asked for ListInsightsMetricData, 16 MiB for the rest', () => {
  expect(responseLimitBytes('ListInsightsMetricDataCommand', {})).toBe(
    21_600 * BYTES_PER_POINT + METRIC_PAGE_OVERHEAD_BYTES
  );
  expect(responseLimitBytes('ListInsightsMetricDataCommand', { MaxResults: 100 })).toBe(
    100 * BYTES_PER_POINT + METRIC_PAGE_OVERHEAD_BYTES
  );
  expect(responseLimitBytes('LookupEventsCommand', {})).toBe(DEFAULT_RESPONSE_LIMIT_BYTES);
});

test('a well-formed answer still reaches the SDK intact', async () => {
  answer = (res) => {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ Timestamps: [60, 120], Values: [1, 2] }));
  };
  const out = await metrics();
  expect(out.Values).toEqual([1, 2]);
  expect(out.Timestamps).toEqual([new Date(60_000), new Date(120_000)]);
});

test('a declared Content-Length over the bound is refused before reading', async () => {
  answer = (res) => {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': 50_000_000 });
    res.write('{"Timestamps":[');
    res.on('error', () => undefined);
  };
  const error = await failure(metrics(100));
  expect(error).toBeInstanceOf(ResponseTooLargeError);
  expect(error).toMatchObject({
    declaredBytes: 50_000_000,
    limitBytes: 100 * BYTES_PER_POINT + METRIC_PAGE_OVERHEAD_BYTES,
  });
});

test('a streamed body without Content-Length is cut off soon after the bound', async () => {
  answer = endlessJson;
  const error = await failure(metrics());
  expect(error).toBeInstanceOf(ResponseTooLargeError);
  const limit = responseLimitBytes('ListInsightsMetricDataCommand', {});
  expect((error as ResponseTooLargeError).declaredBytes).toBeUndefined();
  // The socket was closed: the server stopped long before its 200 MB (socket buffers allow some slack).
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(bytesSent).toBeLessThan(limit + 16 * 1024 * 1024);
});

test('an HTML page is named as such, with its HTTP status and title', async () => {
  answer = (res) => {
    res.writeHead(502, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>');
  };
  const error = await failure(client().send(new DescribeTrailsCommand({})));
  expect(error).toBeInstanceOf(HtmlResponseError);
  expect(error).toMatchObject({ httpStatus: 502, pageTitle: '502 Bad Gateway', $metadata: { httpStatusCode: 502 } });
  // Sniffed from the body too, when a proxy labels it as something else.
  answer = (res) => {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end('\n<!DOCTYPE html><html><body>Sign in</body></html>');
  };
  expect(await failure(client().send(new DescribeTrailsCommand({})))).toMatchObject({
    name: 'HtmlResponseError',
    httpStatus: 200,
  });
});
