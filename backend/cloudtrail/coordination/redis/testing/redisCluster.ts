/**
 * A real Redis Cluster for tests: Debian's redis-server as every node (cluster mode, loopback, no
 * persistence, a short node timeout so a replica takes over a killed master in about a second),
 * joined by `redis-cli --cluster create`. Each master may have replicas.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { systemCommand } from '../../../../../scripts/systemPackages';
import { pollUntil, startRedisServer, type RunningRedis } from './redisServer';

export interface RunningCluster {
  readonly nodes: RunningRedis[];
  /** redis://127.0.0.1:<port of the first node> */
  readonly url: string;
  /** The live nodes that are masters now (as the cluster itself says). */
  masters(): Promise<RunningRedis[]>;
  /** Kills (SIGKILL) a master; with replicas, one of them takes over its slots. */
  killMaster(master?: RunningRedis): Promise<RunningRedis>;
  /** Resolves when every live node reports cluster_state:ok (throws after `ms`). */
  healthy(ms?: number): Promise<void>;
  /** A client of one node for looking at it (closed by the caller). */
  client(node: RunningRedis): Redis;
  stop(): Promise<void>;
}

const run = promisify(execFile);

export async function startRedisCluster(options: { masters?: number; replicasPerMaster?: number } = {}) {
  const masters = options.masters ?? 3;
  const replicas = options.replicasPerMaster ?? 0;
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
  const nodes = await Promise.all(
    Array.from({ length: masters * (1 + replicas) }, () =>
      startRedisServer({ clusterNode: { dir, nodeTimeoutMs: 500 } })
    )
  );
  const stopped = new Set<RunningRedis>();
  const alive = () => nodes.filter((n) => !stopped.has(n));
  const client = (node: RunningRedis) =>
    new Redis({
      host: '127.0.0.1',
      port: node.port,
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    });
  const ask = async <T>(node: RunningRedis, command: (c: Redis) => Promise<T>): Promise<T | undefined> => {
    const c = client(node);
    c.on('error', () => undefined);
    try {
      await c.connect();
      return await command(c);
    } catch {
      return undefined;
    } finally {
      c.disconnect();
    }
  };
  const cluster: RunningCluster = {
    nodes,
    url: nodes[0].url,
    async masters() {
      const live = alive();
      const text = String((await ask(live[0], (c) => c.cluster('NODES'))) ?? '');
      const ports = text
        .split('\n')
        .map((line) => line.split(' '))
        .filter((fields) => fields.length > 2 && fields[2].split(',').includes('master') && !/fail/.test(fields[2]))
        .map((fields) => fields.join(' '))
        .map((line) => Number(/:(\d+)@/.exec(line)?.[1]));
      return live.filter((n) => ports.includes(n.port));
    },
    async killMaster(master) {
      const target = master ?? (await cluster.masters())[0];
      stopped.add(target);
      await target.stop();
      return target;
    },
    async healthy(ms = 20_000) {
      await pollUntil(
        async () => {
          const states = await Promise.all(alive().map((n) => ask(n, (c) => c.cluster('INFO'))));
          return states.every((s) => /cluster_state:ok/.test(String(s)));
        },
        Date.now() + ms,
        `the Redis Cluster did not report cluster_state:ok within ${ms} ms`
      );
    },
    client,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    const cli = systemCommand('redis-cli', 'redis-tools');
    await run(
      cli,
      [
        '--cluster',
        'create',
        ...nodes.map((n) => `127.0.0.1:${n.port}`),
        '--cluster-replicas',
        String(replicas),
        '--cluster-yes',
      ],
      { timeout: 30_000 }
    );
    await cluster.healthy();
    // Every replica follows its master before a test may kill one.
    await pollUntil(
      async () => {
        const roles = await Promise.all(nodes.map((n) => ask(n, (c) => c.info('replication'))));
        const following = roles.filter((r) => /role:slave/.test(String(r)) && /master_link_status:up/.test(String(r)));
        return following.length === masters * replicas;
      },
      Date.now() + 20_000,
      'the Redis Cluster replicas did not follow their masters within 20 s'
    );
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}
