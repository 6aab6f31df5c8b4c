/**
 * The HTTP server the browser talks to: serves the bundled test page and stands in for Grafana's
 * resource route (see resourceProxy.ts). Every resource call is recorded for the test's assertions.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { LaunchedPlugin } from '../../backend/sdk/testing/pluginClient';
import type { PageBundle } from './bundlePage';
import { callResource, matchResourceRoute, type DataSourceUnderTest, type ResourceCall } from './resourceProxy';

export interface TestServer {
  url: string;
  calls: ResourceCall[];
  close(): Promise<void>;
}

function pageHtml(settings: unknown): string {
  // `<` is escaped so the settings JSON cannot end the script element.
  const json = JSON.stringify(settings).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CloudTrail Insights editors</title>
<link rel="stylesheet" href="/page.css"></head>
<body><div id="root"></div><script>window.__PAGE_SETTINGS__ = ${json};</script><script src="/page.js"></script></body></html>`;
}

export async function startTestServer(options: {
  bundle: PageBundle;
  plugin: LaunchedPlugin;
  datasource: DataSourceUnderTest;
  /** What the page receives: instance settings and saved settings, without secrets. */
  pageSettings: unknown;
}): Promise<TestServer> {
  const calls: ResourceCall[] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://test.invalid');
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(body);
    };
    const route = matchResourceRoute(url);
    if (route) {
      if (route.uid !== options.datasource.uid) {
        send(404, 'application/json', JSON.stringify({ message: `Data source ${route.uid} not found` }));
        return;
      }
      const started = performance.now();
      try {
        const answer = await callResource(options.plugin, options.datasource, {
          path: route.path,
          search: url.search,
          method: req.method ?? 'GET',
        });
        calls.push({ path: route.path, query: url.search, status: answer.status, ms: performance.now() - started });
        send(answer.status, answer.contentType, answer.body);
      } catch (err) {
        // Grafana answers a failed plugin call with 500 and a message; so does this stand-in.
        calls.push({ path: route.path, query: url.search, status: 500, ms: performance.now() - started });
        send(
          500,
          'application/json',
          JSON.stringify({ message: `Failed to call resource: ${(err as Error).message}` })
        );
      }
      return;
    }
    if (url.pathname === '/') {
      send(200, 'text/html; charset=utf-8', pageHtml(options.pageSettings));
    } else if (url.pathname === '/page.js') {
      send(200, 'text/javascript; charset=utf-8', options.bundle.js);
    } else if (url.pathname === '/page.css') {
      send(200, 'text/css; charset=utf-8', options.bundle.css);
    } else {
      send(404, 'text/plain', 'not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
