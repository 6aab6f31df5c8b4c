/**
 * Redis coordination settings, from the operator's settings (plugin/operatorSettings.ts: grafana.ini
 * `[plugin.trailwatch-cloudtrailinsights-datasource]` key `redis_url`, or CLOUDTRAIL_REDIS_URL, …):
 * - REDIS_URL: redis://[user:password@]host[:port][/db] or rediss://… (TLS); unset = in-process
 *   (unless REDIS_SENTINELS is set). With Sentinel its host is not used: only the scheme (TLS),
 *   user, password and database apply to the master Sentinel names.
 * - REDIS_PASSWORD: the AUTH password, if it should not be in the URL.
 * - REDIS_CA_FILE: a PEM bundle to trust for rediss:// (e.g. a private CA).
 * - REDIS_CLUSTER: `true` (Redis Cluster: the URL names any one node), `false` (a single Redis),
 *   unset = asked of the server (`INFO cluster`) when connecting.
 * - REDIS_SENTINELS: host:port,host:port,… of Redis Sentinels; REDIS_SENTINEL_NAME the master
 *   group they watch (default "mymaster"); REDIS_SENTINEL_PASSWORD their own password, if any.
 * - REDIS_SHARED_SECRET: the secret every replica holds, keying the MAC that binds each replicated
 *   value to its key (coordination/redis/integrity); without it values are bound to their key
 *   but anyone who can write to Redis could forge them.
 * - REDIS_PREFIX: prefix of every key (default "cloudtrail-insights:").
 * - REPLICAS: how many replicas share the quota; while Redis is unusable each uses 1/N of it (default 3).
 * - REDIS_TIMEOUT_MS: a command slower than this counts as Redis being down (default 500).
 * - REDIS_LOCK_MS: fetch lock lifetime, renewed while its owner lives (default 5000).
 */
export interface RedisEndpoint {
  host: string;
  port: number;
}

/** How Redis is deployed: one server (or a Cluster, asked of it), a Cluster, or a Sentinel-watched master. */
export type RedisTopology =
  | { kind: 'single'; node: RedisEndpoint; cluster: 'ask' | 'no' }
  | { kind: 'cluster'; node: RedisEndpoint }
  | { kind: 'sentinel'; sentinels: RedisEndpoint[]; name: string; sentinelPassword?: string };

export interface RedisConfig {
  topology: RedisTopology;
  username?: string;
  password?: string;
  db: number;
  caFile?: string;
  prefix: string;
  /** Where Redis is, for logs and the health check: host:port (or the Sentinels), never credentials. */
  address: string;
  tls: boolean;
  /** Keys the MAC of every replicated value; never logged, stored or shown. */
  replicationSecret?: string;
  fallbackReplicas: number;
  commandTimeoutMs: number;
  lockMs: number;
}

export const DEFAULT_PREFIX = 'cloudtrail-insights:';
export const DEFAULT_FALLBACK_REPLICAS = 3;
export const DEFAULT_COMMAND_TIMEOUT_MS = 500;
export const DEFAULT_LOCK_MS = 5_000;
export const DEFAULT_SENTINEL_NAME = 'mymaster';
const DEFAULT_SENTINEL_PORT = 26379;

/** The settings this module reads, by their key (grafana.ini: the key lower-cased). */
export type RedisSettingKey =
  | 'REDIS_URL'
  | 'REDIS_PASSWORD'
  | 'REDIS_CA_FILE'
  | 'REDIS_CLUSTER'
  | 'REDIS_SENTINELS'
  | 'REDIS_SENTINEL_NAME'
  | 'REDIS_SENTINEL_PASSWORD'
  | 'REDIS_SHARED_SECRET'
  | 'REDIS_PREFIX'
  | 'REPLICAS'
  | 'REDIS_TIMEOUT_MS'
  | 'REDIS_LOCK_MS';

/** A setting as an operator writes it: the grafana.ini key first, then its environment variable. */
export function settingName(key: RedisSettingKey): string {
  return `${key.toLowerCase()} (CLOUDTRAIL_${key})`;
}

type Settings = Readonly<Record<string, string | undefined>>;
const read = (env: Settings, key: RedisSettingKey) => env[`CLOUDTRAIL_${key}`]?.trim() || undefined;

const positive = (text: string | undefined, fallback: number) => {
  const n = Number(text);
  return text && Number.isFinite(n) && n > 0 ? n : fallback;
};

function clusterSetting(env: Settings): 'yes' | 'no' | 'ask' {
  const value = read(env, 'REDIS_CLUSTER')?.toLowerCase();
  if (value === undefined) {
    return 'ask';
  }
  if (['true', 'yes', 'on', '1'].includes(value)) {
    return 'yes';
  }
  if (['false', 'no', 'off', '0'].includes(value)) {
    return 'no';
  }
  throw new Error(`${settingName('REDIS_CLUSTER')} must be true or false (or unset: asked of the server)`);
}

function parseEndpoint(text: string, defaultPort: number, setting: RedisSettingKey): RedisEndpoint {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(text.trim());
  const port = Number(match?.[3] ?? defaultPort);
  if (!match || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`${settingName(setting)}: "${text.trim()}" is not host:port`);
  }
  return { host: match[1] ?? match[2], port };
}

const endpointText = ({ host, port }: RedisEndpoint) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

interface UrlParts {
  node?: RedisEndpoint;
  username?: string;
  password?: string;
  db: number;
  tls: boolean;
}

function parseUrl(raw: string | undefined): UrlParts {
  if (!raw) {
    return { db: 0, tls: false };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The text may hold a password: never repeat it.
    throw new Error(`${settingName('REDIS_URL')} is not a URL; expected redis://host:port or rediss://host:port`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error(`${settingName('REDIS_URL')} must start with redis:// or rediss://, not ${url.protocol}//`);
  }
  if (!url.hostname) {
    throw new Error(`${settingName('REDIS_URL')} names no host`);
  }
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) {
    throw new Error(`${settingName('REDIS_URL')}: the path must be a database number, e.g. redis://host:6379/0`);
  }
  return {
    node: { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 6379) },
    username: decodeURIComponent(url.username) || undefined,
    password: decodeURIComponent(url.password) || undefined,
    db,
    tls: url.protocol === 'rediss:',
  };
}

/**
 * The Redis settings, undefined when neither REDIS_URL nor REDIS_SENTINELS is set; throws (with a
 * message naming the setting, never its secret) on settings that cannot be used.
 */
export function redisConfig(env: Settings): RedisConfig | undefined {
  const sentinelList = read(env, 'REDIS_SENTINELS');
  const url = parseUrl(read(env, 'REDIS_URL'));
  if (!url.node && !sentinelList) {
    return undefined;
  }
  const cluster = clusterSetting(env);
  let topology: RedisTopology;
  let address: string;
  if (sentinelList) {
    if (cluster === 'yes') {
      throw new Error(
        `${settingName('REDIS_SENTINELS')} and ${settingName('REDIS_CLUSTER')} exclude each other: a Redis Cluster has no Sentinels`
      );
    }
    const sentinels = sentinelList
      .split(',')
      .filter((s) => s.trim())
      .map((s) => parseEndpoint(s, DEFAULT_SENTINEL_PORT, 'REDIS_SENTINELS'));
    const name = read(env, 'REDIS_SENTINEL_NAME') ?? DEFAULT_SENTINEL_NAME;
    topology = { kind: 'sentinel', sentinels, name, sentinelPassword: read(env, 'REDIS_SENTINEL_PASSWORD') };
    address = `master "${name}" of Sentinel ${sentinels.map(endpointText).join(',')}`;
  } else {
    const node = url.node!;
    if (cluster === 'yes' && url.db !== 0) {
      throw new Error(`${settingName('REDIS_URL')}: a Redis Cluster has only database 0`);
    }
    topology = cluster === 'yes' ? { kind: 'cluster', node } : { kind: 'single', node, cluster };
    address = endpointText(node);
  }
  return {
    topology,
    username: url.username,
    password: read(env, 'REDIS_PASSWORD') ?? url.password,
    db: url.db,
    caFile: read(env, 'REDIS_CA_FILE'),
    prefix: env.CLOUDTRAIL_REDIS_PREFIX ?? DEFAULT_PREFIX,
    address,
    tls: url.tls,
    // Taken as written (a secret may well end in spaces): only an empty one is none.
    replicationSecret: env.CLOUDTRAIL_REDIS_SHARED_SECRET || undefined,
    fallbackReplicas: Math.max(1, Math.round(positive(env.CLOUDTRAIL_REPLICAS, DEFAULT_FALLBACK_REPLICAS))),
    commandTimeoutMs: positive(env.CLOUDTRAIL_REDIS_TIMEOUT_MS, DEFAULT_COMMAND_TIMEOUT_MS),
    lockMs: positive(env.CLOUDTRAIL_REDIS_LOCK_MS, DEFAULT_LOCK_MS),
  };
}
