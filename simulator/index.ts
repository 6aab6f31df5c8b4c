// In-process API: start a simulator on an HTTP (or, with `tls`, HTTPS) port, inspect counts, switch
// faults, read the catalog.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Authenticator } from './server/auth';
import { CONTROL_PREFIX, handleControl } from './server/control';
import { FaultState } from './behaviour/faults';
import { PageTokens } from './operations/paging';
import { RateLimiter } from './behaviour/quotas';
import { createHandler } from './server/server';
import { buildCatalog } from './catalog';
import { World } from './data/world';
import type { RunningSimulator, SimulatorOptions } from './types';

export type * from './types';
export { AWS_RATES } from './behaviour/quotas';
export { RETENTION_MS, MAX_RESULTS } from './operations/listInsightsMetricData';
export { MAX_INSIGHTS_DATA_RESULTS } from './operations/listInsightsData';
export {
  DATA_EVENT_SOURCES,
  DATA_TRAIL_NAME,
  ORGANIZATION_HOME_REGION,
  ORGANIZATION_TRAIL_NAME,
  TRAIL_NAME,
  trailArn,
} from './data/trails';
export { derivedAccountId } from './server/auth';

/** Access key used for the default catalog account when no credentials are configured. */
export const DEFAULT_ACCESS_KEY_ID = 'AKIDSIMULATOR';

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const now = options.now ?? (() => Date.now());
  const seed = String(options.seed ?? 'demo');
  const auth = new Authenticator(options.credentials, now, options.roles);
  const faults = new FaultState(options.faults, seed);
  const world = new World(seed, options.organization);
  const counts = { calls: new Map<string, number>(), throttled: new Map<string, number>() };
  const handler = createHandler({
    auth,
    faults,
    limiter: new RateLimiter(options.quotas ?? true),
    tokens: new PageTokens(),
    world,
    now,
    counts,
    log: options.log,
  });
  const route = (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith(CONTROL_PREFIX)) {
      void handleControl(req, res, sim);
    } else {
      void handler(req, res);
    }
  };
  const server = options.tls ? createTlsServer(options.tls, route) : createServer(route);
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const defaultAccount = () => auth.accountIdFor(options.credentials?.[0]?.accessKeyId ?? DEFAULT_ACCESS_KEY_ID);
  const sim: RunningSimulator = {
    url: `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
    calls: () => Object.fromEntries(counts.calls),
    throttled: () => Object.fromEntries(counts.throttled),
    resetCounts: () => {
      counts.calls.clear();
      counts.throttled.clear();
    },
    setFaults: (f) => faults.set(f),
    faults: () => faults.snapshot(),
    catalog: (region, accountId) => buildCatalog(world, accountId ?? defaultAccount(), region, now()),
    accountIdFor: (accessKeyId) => auth.accountIdFor(accessKeyId),
  };
  return sim;
}
