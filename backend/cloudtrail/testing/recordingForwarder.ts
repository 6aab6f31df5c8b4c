/**
 * A local HTTP endpoint that records every request it receives (method, path, headers, body, the
 * access key id it was signed with) and forwards it unchanged to `target` (the simulator), Host
 * header included, so SigV4 signatures stay valid. Stands in for a foreign endpoint a data source
 * names (which must receive nothing when the guard refuses it) and for STS (to read what an
 * sts:AssumeRole request carried: DurationSeconds, ExternalId).
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  atMs: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The access key id of the SigV4 Authorization header, if any. */
  accessKeyId?: string;
  /** The awsJson operation (X-Amz-Target's suffix) or the awsQuery Action. */
  operation?: string;
}

export interface RecordingForwarder {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function operationOf(headers: IncomingHttpHeaders, body: string): string | undefined {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') {
    return target.split('.').pop();
  }
  return new URLSearchParams(body).get('Action') ?? undefined;
}

export async function startRecordingForwarder(target: string): Promise<RecordingForwarder> {
  const to = new URL(target);
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = body.toString('utf8');
      requests.push({
        atMs: Date.now(),
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: text,
        accessKeyId: /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1],
        operation: operationOf(req.headers, text),
      });
      const forwarded = httpRequest(
        { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        }
      );
      forwarded.on('error', () => res.writeHead(502).end());
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
