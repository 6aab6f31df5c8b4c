import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { candidatePorts, handshakeLine, negotiateHandshake } from './handshake';

const root = join(__dirname, '..', '..');
const entry = join(__dirname, 'testing', 'echoMain.ts');

/** Runs the echo entry with exactly `env` (plus PATH) and collects its output. */
function run(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('negotiateHandshake', () => {
  it('requires the magic cookie', () => {
    const result = negotiateHandshake({});
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/not meant to be run by hand/);
  });

  it('picks protocol 2 when offered, or when the host offers nothing', () => {
    expect(negotiateHandshake({ grafana_plugin_type: 'datasource', PLUGIN_PROTOCOL_VERSIONS: '1,2' })).toEqual({
      ok: true,
      protocolVersion: 2,
    });
    expect(negotiateHandshake({ grafana_plugin_type: 'datasource' })).toEqual({ ok: true, protocolVersion: 2 });
  });

  it('refuses hosts that only speak other versions', () => {
    const result = negotiateHandshake({ grafana_plugin_type: 'datasource', PLUGIN_PROTOCOL_VERSIONS: '1,3' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/Incompatible plugin protocol.*"1,3"/);
  });

  it('formats the go-plugin handshake line for a unix socket and for TCP', () => {
    expect(handshakeLine(2, 'unix', '/tmp/plugin-x/plugin.sock')).toBe('1|2|unix|/tmp/plugin-x/plugin.sock|grpc\n');
    expect(handshakeLine(2, 'tcp', '127.0.0.1:1234')).toBe('1|2|tcp|127.0.0.1:1234|grpc\n');
  });

  it('honours PLUGIN_MIN_PORT/PLUGIN_MAX_PORT and otherwise lets the OS pick', () => {
    expect(candidatePorts({})).toEqual([0]);
    expect(candidatePorts({ PLUGIN_MIN_PORT: '9', PLUGIN_MAX_PORT: '3' })).toEqual([0]);
    const ports = candidatePorts({ PLUGIN_MIN_PORT: '10000', PLUGIN_MAX_PORT: '10004' });
    expect(ports.length).toBe(5);
    expect(ports.every((port) => port >= 10000 && port <= 10004)).toBe(true);
  });
});

describe('launching the plugin process', () => {
  it('explains itself on stderr and exits non-zero without the magic cookie', async () => {
    const { code, stdout, stderr } = await run({});
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/Grafana data source plugin backend/);
    expect(stderr).toMatch(/grafana_plugin_type=datasource/);
  }, 20_000);

  it('exits non-zero on an unsupported PLUGIN_PROTOCOL_VERSIONS', async () => {
    const { code, stdout, stderr } = await run({ grafana_plugin_type: 'datasource', PLUGIN_PROTOCOL_VERSIONS: '1' });
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/Incompatible plugin protocol/);
  }, 20_000);
});
