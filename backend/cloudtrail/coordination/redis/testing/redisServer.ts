/**
 * A real redis-server (the Debian package's binary) for tests: its own process on a free port,
 * no persistence, so a test can stop, restart (empty, as after a crash) or slow it down.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemCommand } from '../../../../../scripts/systemPackages';

/**
 * Asks `probe` every `everyMs` until it answers something other than undefined or false, and
 * answers that; past `deadlineMs` (epoch ms) it fails with `failure`. What the test Redis helpers
 * wait for (a cluster healthy, replicas following, a failover).
 */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined | false>,
  deadlineMs: number,
  failure: string,
  everyMs = 50
): Promise<T> {
  for (;;) {
    const answer = await probe();
    if (answer !== undefined && answer !== false) {
      return answer;
    }
    if (Date.now() > deadlineMs) {
      throw new Error(failure);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface RunningRedis {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: nothing was persisted). */
  start(): Promise<void>;
  /** SIGSTOP/SIGCONT: a Redis that accepts connections but answers nothing. */
  pause(): void;
  /** The process id while it runs (a benchmark gives it CPU priority, as a managed Redis has its own). */
  pid(): number | undefined;
  resume(): void;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface RedisServerOptions {
  /** Further redis-server arguments, e.g. `--user alice on >secret ~* &* +@all`. */
  args?: string[];
  /** Serve TLS only (rediss://) with this certificate and key. */
  tls?: { certFile: string; keyFile: string; caFile: string };
  /** A Redis Cluster node keeping its nodes file in `dir` (its bus on a port of its own). */
  clusterNode?: { dir: string; nodeTimeoutMs: number };
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RunningRedis> {
  const binary = systemCommand('redis-server', 'redis-server');
  const port = await freePort();
  const cluster = options.clusterNode
    ? [
        '--cluster-enabled',
        'yes',
        '--cluster-port',
        String(await freePort()),
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        String(options.clusterNode.nodeTimeoutMs),
        // A replica takes over however long it was cut off from its master (tests kill masters at once).
        '--cluster-replica-validity-factor',
        '0',
        '--dir',
        options.clusterNode.dir,
      ]
    : [];
  // Its working directory: a replica's full sync writes an RDB file there (never in the repository).
  const dir = options.clusterNode ? undefined : join(tmpdir(), `redis-test-${process.pid}-${port}`);
  let child: ChildProcess | undefined;
  const start = async () => {
    const listen = options.tls
      ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', options.tls.certFile]
      : ['--port', String(port)];
    const tls = options.tls
      ? ['--tls-key-file', options.tls.keyFile, '--tls-ca-cert-file', options.tls.caFile, '--tls-auth-clients', 'no']
      : [];
    const args = [
      ...listen,
      ...tls,
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      ...(dir ? ['--dir', dir] : []),
      ...cluster,
      ...(options.args ?? []),
    ];
    if (dir) {
      mkdirSync(dir, { recursive: true });
    }
    const proc = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    const failed = new Promise<never>((_, reject) => {
      proc.once('error', (error) => reject(new Error(`could not start ${binary}: ${error.message}`)));
      proc.once('exit', (code) => reject(new Error(`redis-server exited with code ${code} before listening`)));
    });
    failed.catch(() => undefined);
    const deadline = Date.now() + 10_000;
    while (!(await Promise.race([listening(port), failed]))) {
      if (Date.now() > deadline) {
        throw new Error(`redis-server did not listen on ${port} within 10 s`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const stop = async () => {
    const proc = child;
    child = undefined;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGCONT');
      proc.kill('SIGKILL');
      await exited;
    }
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  await start();
  return {
    port,
    url: `${options.tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
    stop,
    start,
    pause: () => child?.kill('SIGSTOP'),
    pid: () => child?.pid,
    resume: () => child?.kill('SIGCONT'),
  };
}
