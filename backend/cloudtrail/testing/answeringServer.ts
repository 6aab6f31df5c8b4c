/**
 * A local HTTP server for tests of what a hostile or broken endpoint can send: every request is
 * answered by the test's current `answer`, and `bytesSent` counts what an endless body streamed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AnsweringServer {
  url: string;
  /** Answers each request once its body has been read. */
  answer: (res: ServerResponse, req: IncomingMessage, body: string) => void;
  /** Bytes streamed by streamEndlessly since the last reset. */
  bytesSent: number;
  close(): Promise<void>;
}

export async function startAnsweringServer(): Promise<AnsweringServer> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => answering.answer(res, req, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const answering: AnsweringServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answer: (res) => res.end(),
    bytesSent: 0,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Kept-alive SDK sockets would hold close() open.
        server.closeAllConnections();
      }),
  };
  return answering;
}

/**
 * Answers 200 with `prefix` and then `chunk` over and over, without a Content-Length, until the
 * client goes away or `capBytes` (default 200 MiB, far past every bound) were sent, counting into
 * `server.bytesSent`. At the cap the body ends (unparseable), so a client without a bound fails
 * after having read it all instead of waiting.
 */
export function streamEndlessly(
  server: AnsweringServer,
  res: ServerResponse,
  options: { contentType: string; prefix: string; chunk: string; capBytes?: number }
): void {
  res.writeHead(200, { 'content-type': options.contentType });
  res.write(options.prefix);
  const cap = options.capBytes ?? 200 * 1024 * 1024;
  const pump = () => {
    while (!res.destroyed && server.bytesSent < cap) {
      server.bytesSent += options.chunk.length;
      if (!res.write(options.chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('error', () => undefined);
  pump();
}
