/**
 * A real forward proxy on loopback for tests: CONNECT tunnels (what HTTPS goes through) and
 * absolute-URI requests (plain HTTP through a proxy), each recorded, optionally requiring Basic
 * Proxy-Authorization (407 otherwise), as corporate proxies do.
 */
import { createServer, request, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ProxiedCall {
  /** 'CONNECT' or the forwarded request's method. */
  method: string;
  /** CONNECT: host:port; otherwise the absolute URL asked for. */
  target: string;
  /** X-Amz-Target of a forwarded request, or the STS Action in its form body. */
  operation?: string;
  /** The Proxy-Authorization the client sent, decoded (user:password). */
  credentials?: string;
}

export interface LoopbackProxy {
  url: string;
  port: number;
  calls: ProxiedCall[];
  close(): Promise<void>;
}

function decodedAuthorization(req: IncomingMessage): string | undefined {
  const header = req.headers['proxy-authorization'];
  const match = header ? /^Basic (.+)$/.exec(header) : null;
  return match ? Buffer.from(match[1], 'base64').toString() : undefined;
}

export async function startLoopbackProxy(options: { requireCredentials?: string } = {}): Promise<LoopbackProxy> {
  const calls: ProxiedCall[] = [];
  const sockets = new Set<Socket>();
  const refused = (credentials: string | undefined) =>
    options.requireCredentials !== undefined && credentials !== options.requireCredentials;

  const server = createServer((req, res) => {
    const credentials = decodedAuthorization(req);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = /(?:^|&)Action=([A-Za-z]+)/.exec(body.toString())?.[1];
      const target = req.headers['x-amz-target'];
      calls.push({
        method: req.method ?? '',
        target: req.url ?? '',
        operation: (Array.isArray(target) ? target[0] : target)?.split('.').pop() ?? action,
        credentials,
      });
      if (refused(credentials)) {
        res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end('proxy authentication required');
        return;
      }
      const headers = { ...req.headers };
      delete headers['proxy-authorization'];
      delete headers['proxy-connection'];
      const upstream = request(req.url!, { method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(body);
    });
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const credentials = decodedAuthorization(req);
    calls.push({ method: 'CONNECT', target: req.url ?? '', credentials });
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (refused(credentials)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    const [host, port] = [req.url!.slice(0, req.url!.lastIndexOf(':')), Number(req.url!.split(':').pop())];
    const upstream = connect(port, host.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
