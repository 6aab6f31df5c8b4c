// The guard inside a real SDK client, against a local HTTP server sending what a hostile endpoint can.
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
import { startAnsweringServer, streamEndlessly, type AnsweringServer } from '../testing/answeringServer';

let server: AnsweringServer;

beforeAll(async () => {
  server = await startAnsweringServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.bytesSent = 0;
});

function client(): CloudTrailClient {
  const c = new CloudTrailClient({
    endpoint: server.url,
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

/** Streams `{"Timestamps":[1,1,1,…` in 64 KiB chunks without a Content-Length until the client goes away. */
const endlessJson: AnsweringServer['answer'] = (res) =>
  streamEndlessly(server, res, {
    contentType: 'application/x-amz-json-1.1',
    prefix: '{"Timestamps":[',
    chunk: '1,'.repeat(32 * 1024),
  });

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
  server.answer = (res) => {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ Timestamps: [60, 120], Values: [1, 2] }));
  };
  const out = await metrics();
  expect(out.Values).toEqual([1, 2]);
  expect(out.Timestamps).toEqual([new Date(60_000), new Date(120_000)]);
});

test('a declared Content-Length over the bound is refused before reading', async () => {
  server.answer = (res) => {
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
  server.answer = endlessJson;
  const error = await failure(metrics());
  expect(error).toBeInstanceOf(ResponseTooLargeError);
  const limit = responseLimitBytes('ListInsightsMetricDataCommand', {});
  expect((error as ResponseTooLargeError).declaredBytes).toBeUndefined();
  // The socket was closed: the server stopped long before its 200 MB (socket buffers allow some slack).
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(server.bytesSent).toBeLessThan(limit + 16 * 1024 * 1024);
});

test('an HTML page is named as such, with its HTTP status and title', async () => {
  server.answer = (res) => {
    res.writeHead(502, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>');
  };
  const error = await failure(client().send(new DescribeTrailsCommand({})));
  expect(error).toBeInstanceOf(HtmlResponseError);
  expect(error).toMatchObject({ httpStatus: 502, pageTitle: '502 Bad Gateway', $metadata: { httpStatusCode: 502 } });
  // Sniffed from the body too, when a proxy labels it as something else.
  server.answer = (res) => {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end('\n<!DOCTYPE html><html><body>Sign in</body></html>');
  };
  expect(await failure(client().send(new DescribeTrailsCommand({})))).toMatchObject({
    name: 'HtmlResponseError',
    httpStatus: 200,
  });
});
