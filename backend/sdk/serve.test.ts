/**
 * The protocol layer as a real process (tsx + echo data source) over real gRPC:
 * handshake line, health, per-query isolation, deadlines, and shutdown paths.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as health from './gen/health_pb';
import * as pluginv2 from './gen/pluginv2_pb';
import * as goplugin from './gen/goplugin_pb';
import { launchPlugin, type LaunchedPlugin } from './testing/pluginClient';

// One process per plugin (no tsx wrapper), so signals and exit codes are the plugin's own.
const command = [process.execPath, '--import', 'tsx', join(__dirname, 'testing', 'echoMain.ts')];
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

const pluginContext = {
  orgId: 1n,
  pluginId: 'echo',
  dataSourceInstanceSettings: {
    uid: 'ds1',
    name: 'Echo',
    jsonData: json({ region: 'us-east-1' }),
    decryptedSecureJsonData: { secretKey: 'never-log-this' },
    lastUpdatedMS: 1n,
  },
};
const timeRange = { fromEpochMS: 1_764_000_000_000n, toEpochMS: 1_764_003_600_000n };

async function waitExit(plugin: LaunchedPlugin): Promise<{ ms: number; code: number | null; signal: string | null }> {
  const started = performance.now();
  const result = await plugin.exited;
  return { ms: performance.now() - started, ...result };
}

describe('serve() in a real process', () => {
  let plugin: LaunchedPlugin;

  beforeAll(async () => {
    plugin = await launchPlugin(command, { GF_PLUGIN_LOG_LEVEL: 'debug' });
  }, 30_000);

  afterAll(async () => {
    plugin.close();
    plugin.child.kill('SIGTERM');
    await plugin.exited;
  });

  it('prints exactly the handshake line on stdout, naming a unix socket only its owner can use', () => {
    expect(plugin.handshake).toMatch(/^1\|2\|unix\|\/.+\/plugin-[^/]+\/plugin\.sock\|grpc$/);
    expect(plugin.network).toBe('unix');
    expect(statSync(plugin.address).isSocket()).toBe(true);
    expect(statSync(plugin.address).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(plugin.address)).mode & 0o777).toBe(0o700);
  });

  it('reports the "plugin" service SERVING', async () => {
    const res = await plugin.call<
      typeof health.Health,
      typeof health.HealthCheckRequestSchema,
      typeof health.HealthCheckResponseSchema
    >(health.Health, 'check', { service: 'plugin' });
    expect(res.status).toBe(health.HealthCheckResponse_ServingStatus.SERVING);
  });

  it('fails only the broken queries and always sets a status', async () => {
    const res = await plugin.call<
      typeof pluginv2.Data,
      typeof pluginv2.QueryDataRequestSchema,
      typeof pluginv2.QueryDataResponseSchema
    >(pluginv2.Data, 'queryData', {
      pluginContext,
      queries: [
        { refId: 'OK', timeRange, json: json({ points: 5 }) },
        {
          refId: 'THROWS',
          timeRange,
          json: json({ fail: { message: 'AccessDenied', source: 'downstream', status: 403 } }),
        },
        { refId: 'JSON', timeRange, json: new TextEncoder().encode('{"points":') },
        { refId: 'UNKNOWN', timeRange, json: json({}) },
      ],
    });
    expect(res.responses.OK).toMatchObject({ status: 200, error: '' });
    expect(res.responses.OK.frames).toHaveLength(1);
    expect(res.responses.THROWS).toMatchObject({ status: 403, error: 'AccessDenied', errorSource: 'downstream' });
    expect(res.responses.JSON).toMatchObject({ status: 400, errorSource: 'plugin' });
    expect(res.responses.JSON.error).toMatch(/query JSON is not valid JSON|not valid JSON/);
    expect(res.responses.UNKNOWN).toMatchObject({ status: 400, errorSource: 'plugin' });
  });

  it('stops a query at the call deadline without failing the others', async () => {
    const started = performance.now();
    const res = await plugin.call<
      typeof pluginv2.Data,
      typeof pluginv2.QueryDataRequestSchema,
      typeof pluginv2.QueryDataResponseSchema
    >(
      pluginv2.Data,
      'queryData',
      {
        pluginContext,
        queries: [
          { refId: 'SLOW', timeRange, json: json({ points: 1, delayMs: 10_000 }) },
          { refId: 'FAST', timeRange, json: json({ points: 1 }) },
        ],
      },
      { deadlineMs: 3_000 }
    );
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(res.responses.SLOW).toMatchObject({ status: 504, errorSource: 'plugin' });
    expect(res.responses.FAST).toMatchObject({ status: 200 });
  }, 10_000);

  it('survives unhandled rejections and uncaught exceptions, logging them', async () => {
    await plugin.call(pluginv2.Data, 'queryData', {
      pluginContext,
      queries: [{ refId: 'S', timeRange, json: json({ sabotage: true, points: 1 }) }],
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const res = (await plugin.call(health.Health, 'check', { service: 'plugin' })) as health.HealthCheckResponse;
    expect(res.status).toBe(health.HealthCheckResponse_ServingStatus.SERVING);
    expect(plugin.stderr()).toMatch(
      /"error":"sabotage: unhandled rejection".*"@message":"unhandled promise rejection"/
    );
    expect(plugin.stderr()).toMatch(/"error":"sabotage: uncaught exception".*"@message":"uncaught exception"/);
  });

  it('never logs secrets, writes hclog JSON lines, and nothing else to stdout', () => {
    expect(plugin.stdoutAfterHandshake()).toBe('');
    const lines = plugin.stderr().trim().split('\n');
    expect(plugin.stderr()).not.toContain('never-log-this');
    for (const line of lines) {
      const entry = JSON.parse(line);
      expect(entry['@timestamp']).toMatch(/\.\d{6}Z$/);
      expect(['trace', 'debug', 'info', 'warn', 'error']).toContain(entry['@level']);
    }
  });
});

describe('shutdown', () => {
  it('exits 0 within 1 s of GRPCController/Shutdown, removing its socket directory', async () => {
    const socketDir = mkdtempSync(join(tmpdir(), 'serve-test-'));
    const plugin = await launchPlugin(command, { PLUGIN_UNIX_SOCKET_DIR: socketDir });
    expect(dirname(dirname(plugin.address))).toBe(socketDir);
    await plugin.call(goplugin.GRPCController, 'shutdown', {});
    const { ms, code } = await waitExit(plugin);
    plugin.close();
    expect(code).toBe(0);
    expect(ms).toBeLessThan(1_000);
    expect(existsSync(dirname(plugin.address))).toBe(false);
    rmSync(socketDir, { recursive: true });
  }, 30_000);

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'exits 0 within 1 s of %s, even with an open stdio stream',
    async (signal) => {
      const plugin = await launchPlugin(command);
      void plugin.stream(goplugin.GRPCStdio, 'streamStdio', {}).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const exited = waitExit(plugin);
      plugin.child.kill(signal);
      const { ms, code } = await exited;
      plugin.close();
      expect(code).toBe(0);
      expect(ms).toBeLessThan(1_000);
      expect(existsSync(dirname(plugin.address))).toBe(false);
    },
    30_000
  );
});
