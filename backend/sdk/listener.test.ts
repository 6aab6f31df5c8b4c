import { Server } from '@grpc/grpc-js';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listen, resolveGroupId, type PluginListener } from './listener';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/** Tries to connect to a unix socket as another user; returns the error code or 'connected'. */
function connectAs(uid: number, gid: number, path: string): string {
  const script =
    "const s=require('net').connect(process.argv[1]);" +
    "s.on('connect',()=>{console.log('connected');s.destroy()});s.on('error',e=>console.log(e.code))";
  const result = spawnSync(process.execPath, ['-e', script, path], { uid, gid, encoding: 'utf8', timeout: 10_000 });
  return result.stdout.trim();
}

describe('listen() on Linux and macOS', () => {
  let base: string;
  let server: Server;
  let listener: PluginListener | undefined;

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'listener-test-'));
    server = new Server();
  });

  afterEach(() => {
    server.forceShutdown();
    listener?.remove();
    listener = undefined;
    rmSync(base, { recursive: true, force: true });
  });

  it('binds a socket only its owner can use, in a fresh private directory under PLUGIN_UNIX_SOCKET_DIR', async () => {
    listener = await listen(server, { PLUGIN_UNIX_SOCKET_DIR: base }, 'linux');
    expect(listener.network).toBe('unix');
    expect(dirname(dirname(listener.address))).toBe(base);
    expect(statSync(listener.address).isSocket()).toBe(true);
    expect(statSync(listener.address).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(listener.address)).mode & 0o777).toBe(0o700);
  });

  it('gives the socket to the group named by PLUGIN_UNIX_SOCKET_GROUP, group-writable', async () => {
    const gid = process.getgid!();
    listener = await listen(server, { PLUGIN_UNIX_SOCKET_DIR: base, PLUGIN_UNIX_SOCKET_GROUP: String(gid) }, 'linux');
    expect(statSync(listener.address)).toMatchObject({ gid });
    expect(statSync(listener.address).mode & 0o777).toBe(0o660);
    expect(statSync(dirname(listener.address)).mode & 0o777).toBe(0o710);
  });

  it('removes the socket and its directory, and leaves PLUGIN_UNIX_SOCKET_DIR itself', async () => {
    listener = await listen(server, { PLUGIN_UNIX_SOCKET_DIR: base }, 'linux');
    const dir = dirname(listener.address);
    listener.remove();
    listener.remove();
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(base)).toBe(true);
  });

  it('fails clearly, leaving nothing behind, when the socket path would be too long', async () => {
    const deep = join(base, 'd'.repeat(90));
    await expect(listen(server, { PLUGIN_UNIX_SOCKET_DIR: deep }, 'linux')).rejects.toThrow(
      /could not create the socket directory/
    );
    const long = join(base, 'x'.repeat(80));
    mkdirSync(long);
    await expect(listen(server, { PLUGIN_UNIX_SOCKET_DIR: long }, 'linux')).rejects.toThrow(
      /longer than the 103 bytes.*PLUGIN_UNIX_SOCKET_DIR/
    );
    expect(readdirSync(long)).toEqual([]);
  });

  it('names an unknown PLUGIN_UNIX_SOCKET_GROUP', async () => {
    await expect(
      listen(server, { PLUGIN_UNIX_SOCKET_DIR: base, PLUGIN_UNIX_SOCKET_GROUP: 'no-such-group-here' }, 'linux')
    ).rejects.toThrow(/PLUGIN_UNIX_SOCKET_GROUP=no-such-group-here: no such group/);
  });

  // Only root can act as another user; CI runs as root (.ci/run installs packages with apt-get).
  (isRoot ? it : it.skip)(
    'refuses other local users, and admits the configured group',
    async () => {
      chmodSync(base, 0o711); // as open as the OS temp directory: only our own directory guards the socket
      listener = await listen(server, { PLUGIN_UNIX_SOCKET_DIR: base }, 'linux');
      expect(connectAs(0, 0, listener.address)).toBe('connected');
      expect(connectAs(NOBODY, NOBODY, listener.address)).toBe('EACCES');
      listener.remove();
      server.forceShutdown();

      server = new Server();
      listener = await listen(
        server,
        { PLUGIN_UNIX_SOCKET_DIR: base, PLUGIN_UNIX_SOCKET_GROUP: String(NOBODY) },
        'linux'
      );
      expect(connectAs(NOBODY, NOBODY, listener.address)).toBe('connected');
      expect(connectAs(NOBODY - 1, NOBODY - 1, listener.address)).toBe('EACCES');
    },
    20_000
  );
});

describe('listen() on Windows', () => {
  it('binds TCP on 127.0.0.1 only', async () => {
    const server = new Server();
    const listener = await listen(server, {}, 'win32');
    server.forceShutdown();
    expect(listener.network).toBe('tcp');
    expect(listener.address).toMatch(/^127\.0\.0\.1:\d+$/);
  });
});

describe('resolveGroupId', () => {
  it('takes a numeric gid or a name from the group database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'group-test-'));
    const file = join(dir, 'group');
    writeFileSync(file, 'root:x:0:\ngrafana:x:472:grafana\n');
    expect(resolveGroupId('1001', file)).toBe(1001);
    expect(resolveGroupId('grafana', file)).toBe(472);
    expect(() => resolveGroupId('graf', file)).toThrow(/no such group/);
    rmSync(dir, { recursive: true });
  });
});
