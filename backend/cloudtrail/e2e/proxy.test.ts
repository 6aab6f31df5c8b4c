/**
 * The built executable behind a corporate proxy: HTTPS to the simulator (serving TLS with a
 * certificate the plugin trusts through NODE_EXTRA_CA_CERTS) goes through CONNECT tunnels of a
 * real proxy on loopback, with proxy credentials; NO_PROXY bypasses it; a proxy that is down is
 * named by the health check. Per-operation proof over plain HTTP: ../proxy.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startSimulator, type RunningSimulator } from '../../../simulator';
import { systemCommand } from '../../../scripts/systemPackages';
import { startLoopbackProxy, type LoopbackProxy } from '../testing/loopbackProxy';
import { PluginUnderTest, type DataSourceConfig } from './harness';
import { keysDataSource } from './stack';

jest.setTimeout(90_000);

const KEYS = { accessKeyId: 'AKIDE2EPROXY', secretAccessKey: 'e2e-proxy-secret', accountId: '135792468024' };
let certDir: string;
let sim: RunningSimulator;
let proxy: LoopbackProxy;
let plugin: PluginUnderTest | undefined;
let ds: DataSourceConfig;

beforeAll(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'proxy-e2e-'));
  const [key, cert] = [join(certDir, 'key.pem'), join(certDir, 'cert.pem')];
  execFileSync(
    systemCommand('openssl', 'openssl'),
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ]),
    { stdio: 'ignore' }
  );
  sim = await startSimulator({
    seed: 'proxy-e2e',
    quotas: false,
    credentials: [KEYS],
    tls: { key: readFileSync(key), cert: readFileSync(cert) },
  });
  proxy = await startLoopbackProxy({ requireCredentials: 'corp-user:corp-pass' });
  ds = keysDataSource(sim.url, KEYS);
});

afterEach(async () => {
  await plugin?.stop();
  plugin = undefined;
});

afterAll(async () => {
  await proxy?.close();
  await sim?.stop();
  rmSync(certDir, { recursive: true, force: true });
});

const launch = (env: Record<string, string>) =>
  PluginUnderTest.launch({ NODE_EXTRA_CA_CERTS: join(certDir, 'cert.pem'), ...env });

test('HTTPS_PROXY: STS and CloudTrail calls over TLS go through CONNECT tunnels, with the proxy credentials', async () => {
  expect(sim.url).toMatch(/^https:/);
  proxy.calls.length = 0;
  sim.resetCounts();
  plugin = await launch({ HTTPS_PROXY: `http://corp-user:corp-pass@127.0.0.1:${proxy.port}` });
  const health = await plugin.health(ds);
  expect({ status: health.status, message: health.message }).toEqual({ status: 1, message: expect.any(String) });
  const tunnels = proxy.calls.filter((call) => call.method === 'CONNECT');
  expect(tunnels.length).toBeGreaterThan(0);
  expect(
    tunnels.every(
      (call) => call.target === sim.url.replace('https://', '') && call.credentials === 'corp-user:corp-pass'
    )
  ).toBe(true);
  // The simulator is reachable only through the proxy here, so these arrived through the tunnels.
  // LookupEvents twice: the permission proof of the first call (clients.ts) and the health check's own.
  expect(sim.calls()).toMatchObject({ GetCallerIdentity: 1, DescribeTrails: 1, LookupEvents: 2 });
  expect(plugin.plugin.stderr()).not.toContain('corp-pass');
});

test('no_proxy bypasses the proxy', async () => {
  proxy.calls.length = 0;
  plugin = await launch({ https_proxy: `http://corp-user:corp-pass@127.0.0.1:${proxy.port}`, no_proxy: '127.0.0.1' });
  expect((await plugin.health(ds)).status).toBe(1);
  expect(proxy.calls).toEqual([]);
});

test('a proxy that is down is named, without its credentials', async () => {
  const down = await startLoopbackProxy();
  await down.close();
  plugin = await launch({ HTTPS_PROXY: `http://corp-user:corp-pass@127.0.0.1:${down.port}` });
  const health = await plugin.health(ds);
  expect(health.status).toBe(2);
  expect(health.message).toContain(`through the proxy http://127.0.0.1:${down.port}`);
  expect(JSON.stringify(health)).not.toContain('corp-pass');
});
