/**
 * The ioredis clients of each Redis shape, made with the same rules: no offline queue (a caller
 * has a local fallback, so a command fails at once while disconnected), no retries of a command,
 * reconnection in the background; the link bounds each operation's time.
 * - one server: `Redis` (its node, or a read-only ex-primary after a failover: reconnect);
 * - Redis Cluster: ioredis' `Cluster`, started from the one node named, which follows MOVED/ASK
 *   redirections and the slot map after a failover (every multi-key script here uses one hash tag,
 *   so one slot); with TLS, node names are kept as given (ElastiCache's certificates name hosts);
 * - Sentinel: `Redis` with `sentinels`, which asks them for the master and asks again after a failover.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import Redis, { Cluster, type RedisOptions } from 'ioredis';
import type { RedisConfig, RedisEndpoint } from '../redisConfig';

export type RedisClient = Redis | Cluster;

const CONNECT_TIMEOUT_MS = 2_000;
const reconnectDelay = (times: number) => Math.min(200 * times, 2_000);

function tlsOptions(config: RedisConfig): ConnectionOptions | undefined {
  if (!config.tls) {
    return undefined;
  }
  return config.caFile ? { ca: readFileSync(config.caFile) } : {};
}

/** What every connection to a data node uses. */
function nodeOptions(config: RedisConfig): RedisOptions {
  return {
    username: config.username,
    password: config.password,
    db: config.db,
    tls: tlsOptions(config),
    connectionName: 'cloudtrail-insights',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // No commandTimeout: the link bounds every operation itself (redisLink.ts' `bounded`), without
    // taking a reply that a busy event loop reads late for an outage.
    connectTimeout: CONNECT_TIMEOUT_MS,
    // After a failover the old primary answers READONLY: reconnect to find the new one.
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
  };
}

export function singleClient(config: RedisConfig, node: RedisEndpoint): Redis {
  return new Redis({ ...nodeOptions(config), host: node.host, port: node.port, retryStrategy: reconnectDelay });
}

export function clusterClient(config: RedisConfig, node: RedisEndpoint): Cluster {
  const { db: _db, ...redisOptions } = nodeOptions(config);
  return new Cluster([{ host: node.host, port: node.port }], {
    redisOptions,
    enableOfflineQueue: false,
    clusterRetryStrategy: reconnectDelay,
    // A slot whose master failed is retried (after a slot map refresh) within the command timeout.
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: Math.max(config.commandTimeoutMs, 1_000),
    scaleReads: 'master',
    ...(config.tls ? { dnsLookup: (address: string, callback) => callback(null, address, 4) } : {}),
  });
}

export function sentinelClient(config: RedisConfig): Redis {
  if (config.topology.kind !== 'sentinel') {
    throw new Error('not a Sentinel configuration');
  }
  const tls = tlsOptions(config);
  return new Redis({
    ...nodeOptions(config),
    sentinels: config.topology.sentinels,
    name: config.topology.name,
    sentinelPassword: config.topology.sentinelPassword,
    // With rediss:// both the master and the Sentinels are reached over TLS.
    ...(tls ? { enableTLSForSentinelMode: true, sentinelTLS: tls } : {}),
    sentinelCommandTimeout: config.commandTimeoutMs,
    sentinelRetryStrategy: reconnectDelay,
    retryStrategy: reconnectDelay,
  });
}
