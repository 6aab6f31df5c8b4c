/**
 * The stand-in for CloudTrail that the start-up warm-up (warmUp.ts) calls: an HTTP server on the
 * loopback interface of this process that answers ListInsightsMetricData (AWS JSON 1.1, as the SDK
 * sends it) with one point per period of the asked range, and nothing else. It never leaves the
 * machine and lives only while the warm-up runs.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WarmUpEndpoint {
  /** `http://127.0.0.1:<port>`, for a client's `endpoint`. */
  url: string;
  /** Calls answered so far. */
  readonly calls: number;
  close(): Promise<void>;
}

interface MetricRequest {
  EventSource?: string;
  EventName?: string;
  InsightType?: string;
  Period?: number;
  StartTime?: number;
  EndTime?: number;
}

/** The answer CloudTrail would give: epoch-second timestamps of each period in [start, end), counts. */
export function metricAnswer(request: MetricRequest): Record<string, unknown> {
  const period = request.Period && request.Period > 0 ? request.Period : 60;
  const start = Math.ceil(Number(request.StartTime) / period) * period;
  const end = Number(request.EndTime);
  const timestamps: number[] = [];
  const values: number[] = [];
  for (let t = start; t < end && timestamps.length < 21_600; t += period) {
    timestamps.push(t);
    values.push((t / period) % 7);
  }
  return {
    EventSource: request.EventSource,
    EventName: request.EventName,
    InsightType: request.InsightType,
    Timestamps: timestamps,
    Values: values,
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWarmUpEndpoint(): Promise<WarmUpEndpoint> {
  let calls = 0;
  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      if (!String(req.headers['x-amz-target'] ?? '').endsWith('.ListInsightsMetricData')) {
        reply(res, 400, { __type: 'UnknownOperationException', message: 'only ListInsightsMetricData' });
        return;
      }
      calls++;
      reply(res, 200, metricAnswer(JSON.parse(text || '{}') as MetricRequest));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get calls() {
      return calls;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
