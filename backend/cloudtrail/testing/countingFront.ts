/**
 * A pass-through HTTP front for the simulator that counts ListInsightsMetricData calls per series
 * (event source, event name, insight type, error code), for tests that bound the calls each series
 * costs. Requests are forwarded unchanged (SigV4 signs the Host header, which is forwarded too).
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingFront {
  readonly url: string;
  /** Calls per series since the last reset, keyed `eventSource|eventName|insightType|errorCode`. */
  perSeries(): Map<string, number>;
  /** The same, counting only calls answered with data (not throttled, not failed). */
  answeredPerSeries(): Map<string, number>;
  /** Calls per access key id, region and series: `AKID/region|series key`. */
  perCallerSeries(): Map<string, number>;
  /** Every ListInsightsMetricData call since the last reset: who, the range asked and when (ms). */
  requests(): Array<{ caller: string; startTime: number; endTime: number; atMs: number }>;
  reset(): void;
  stop(): Promise<void>;
}

export const seriesCountKey = (s: {
  eventSource: string;
  eventName: string;
  insightType: string;
  errorCode?: string;
}) => `${s.eventSource}|${s.eventName}|${s.insightType}|${s.errorCode ?? ''}`;

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startCountingFront(target: string): Promise<CountingFront> {
  const to = new URL(target);
  let counts = new Map<string, number>();
  let answered = new Map<string, number>();
  let callers = new Map<string, number>();
  let log: Array<{ caller: string; startTime: number; endTime: number; atMs: number }> = [];
  const server = createServer(async (req, res) => {
    const bytes = await body(req);
    let key: string | undefined;
    if (String(req.headers['x-amz-target'] ?? '').endsWith('ListInsightsMetricData')) {
      try {
        const json = JSON.parse(bytes.toString('utf8'));
        key = seriesCountKey({
          eventSource: json.EventSource,
          eventName: json.EventName,
          insightType: json.InsightType,
          errorCode: json.ErrorCode,
        });
        counts.set(key, (counts.get(key) ?? 0) + 1);
        // SigV4: Credential=<access key id>/<date>/<region>/cloudtrail/aws4_request
        const scope = /Credential=([^/]+)\/[^/]+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''));
        const caller = `${scope?.[1]}/${scope?.[2]}|${key}`;
        callers.set(caller, (callers.get(caller) ?? 0) + 1);
        log.push({ caller, startTime: json.StartTime, endTime: json.EndTime, atMs: Date.now() });
      } catch {
        // Not JSON: the simulator will say so.
      }
    }
    const forward = request(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (key !== undefined && answer.statusCode === 200) {
          answered.set(key, (answered.get(key) ?? 0) + 1);
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      }
    );
    forward.on('error', () => res.destroy());
    forward.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    perSeries: () => new Map(counts),
    answeredPerSeries: () => new Map(answered),
    perCallerSeries: () => new Map(callers),
    requests: () => [...log],
    reset: () => {
      counts = new Map();
      answered = new Map();
      callers = new Map();
      log = [];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
