/**
 * A real Sentinel setup for tests: a master, a replica following it and one Sentinel watching them
 * (quorum 1, a master silent for 300 ms is down), all Debian's redis-server on loopback ports, so
 * a killed master is replaced by its replica within about a second and a half.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { systemCommand } from '../../../../../scripts/systemPackages';
import { freePort, listening, pollUntil, startRedisServer, type RunningRedis } from './redisServer';

export interface RunningSentinel {
  readonly name: string;
  /** The Sentinel's port (CLOUDTRAIL_REDIS_SENTINELS=127.0.0.1:<port>). */
  readonly port: number;
  readonly nodes: RunningRedis[];
  /** The node the Sentinel names as master now. */
  master(): Promise<RunningRedis>;
  /** Kills (SIGKILL) the master; resolves at once (the failover follows). */
  killMaster(): Promise<RunningRedis>;
  /** Resolves when the Sentinel names a live master other than `old` (throws after `ms`). */
  failedOver(old: RunningRedis, ms?: number): Promise<RunningRedis>;
  stop(): Promise<void>;
}

export interface SentinelOptions {
  /** The data nodes' password (requirepass and masterauth). */
  password?: string;
  /** The Sentinel's own password (requirepass in its configuration). */
  sentinelPassword?: string;
  name?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ask<T>(port: number, password: string | undefined, command: (c: Redis) => Promise<T>) {
  const c = new Redis({ port, host: '127.0.0.1', password, lazyConnect: true, retryStrategy: () => null });
  c.on('error', () => undefined);
  try {
    await c.connect();
    return await command(c);
  } catch {
    return undefined;
  } finally {
    c.disconnect();
  }
}

export async function startRedisSentinel(options: SentinelOptions = {}): Promise<RunningSentinel> {
  const name = options.name ?? 'mymaster';
  const auth = options.password ? ['--requirepass', options.password, '--masterauth', options.password] : [];
  const master = await startRedisServer({ args: auth });
  const replica = await startRedisServer({ args: [...auth, '--replicaof', '127.0.0.1', String(master.port)] });
  const nodes = [master, replica];
  const dir = mkdtempSync(join(tmpdir(), 'redis-sentinel-'));
  const port = await freePort();
  let sentinel: ChildProcess | undefined;
  const stopped = new Set<RunningRedis>();
  const named = async () => {
    const reply = await ask(port, options.sentinelPassword, (c) => c.call('SENTINEL', 'get-master-addr-by-name', name));
    const masterPort = Array.isArray(reply) ? Number(reply[1]) : NaN;
    return nodes.find((n) => n.port === masterPort);
  };
  const running: RunningSentinel = {
    name,
    port,
    nodes,
    async master() {
      const node = await named();
      if (!node) {
        throw new Error('the Sentinel names no master');
      }
      return node;
    },
    async killMaster() {
      const node = await running.master();
      stopped.add(node);
      await node.stop();
      return node;
    },
    async failedOver(old, ms = 20_000) {
      return pollUntil(
        async () => {
          const node = await named();
          return node && node !== old && !stopped.has(node) ? node : undefined;
        },
        Date.now() + ms,
        `the Sentinel did not fail over within ${ms} ms`
      );
    },
    async stop() {
      const proc = sentinel;
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await exited;
      }
      await Promise.all(nodes.map((n) => n.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    // The replica follows before the Sentinel starts, so its first look at the master finds it.
    const deadline = Date.now() + 20_000;
    await pollUntil(
      async () =>
        /master_link_status:up/.test(String(await ask(replica.port, options.password, (c) => c.info('replication')))),
      deadline,
      'the replica did not follow its master within 20 s'
    );
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        ...(options.sentinelPassword ? [`requirepass ${options.sentinelPassword}`] : []),
        `sentinel monitor ${name} 127.0.0.1 ${master.port} 1`,
        ...(options.password ? [`sentinel auth-pass ${name} ${options.password}`] : []),
        `sentinel down-after-milliseconds ${name} 300`,
        `sentinel failover-timeout ${name} 2000`,
        '',
      ].join('\n')
    );
    sentinel = spawn(systemCommand('redis-server', 'redis-server'), [conf, '--sentinel'], { stdio: 'ignore' });
    while (!(await listening(port))) {
      if (Date.now() > deadline || sentinel.exitCode !== null) {
        throw new Error('the Sentinel did not start');
      }
      await sleep(20);
    }
    // It knows the replica (a failover needs one).
    await pollUntil(
      async () => {
        const replicas = await ask(port, options.sentinelPassword, (c) => c.call('SENTINEL', 'REPLICAS', name));
        return Array.isArray(replicas) && replicas.length > 0;
      },
      deadline,
      'the Sentinel did not find the replica within 20 s'
    );
  } catch (error) {
    await running.stop();
    throw error;
  }
  return running;
}
