/**
 * Redis coordination settings, read from the Grafana server's environment (forwarded to the
 * plugin like the other CLOUDTRAIL_* knobs):
 * - CLOUDTRAIL_REDIS_URL: redis://[user:password@]host[:port][/db] or rediss://… (TLS); unset = in-process.
 * - CLOUDTRAIL_REDIS_PASSWORD: the AUTH password, if it should not be in the URL.
 * - CLOUDTRAIL_REDIS_CA_FILE: a PEM bundle to trust for rediss:// (e.g. a private CA).
 * - CLOUDTRAIL_REDIS_PREFIX: prefix of every key (default "cloudtrail-insights:").
 * - CLOUDTRAIL_REPLICAS: how many replicas share the quota; while Redis is unreachable each uses
 *   1/N of it (default 3).
 * - CLOUDTRAIL_REDIS_TIMEOUT_MS: a command slower than this counts as Redis being down (default 500).
 * - CLOUDTRAIL_REDIS_LOCK_MS: fetch lock lifetime, renewed while its owner lives (default 5000).
 */
export interface RedisConfig {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
  caFile?: string;
  prefix: string;
  /** Where Redis is, for logs and the health check: host:port, never credentials. */
  address: string;
  tls: boolean;
  fallbackReplicas: number;
  commandTimeoutMs: number;
  lockMs: number;
}

export const DEFAULT_PREFIX = 'cloudtrail-insights:';
export const DEFAULT_FALLBACK_REPLICAS = 3;
export const DEFAULT_COMMAND_TIMEOUT_MS = 500;
export const DEFAULT_LOCK_MS = 5_000;

const positive = (text: string | undefined, fallback: number) => {
  const n = Number(text);
  return text && Number.isFinite(n) && n > 0 ? n : fallback;
};

/** The Redis settings, undefined when CLOUDTRAIL_REDIS_URL is unset; throws on an unusable URL. */
export function redisConfig(env: Readonly<Record<string, string | undefined>>): RedisConfig | undefined {
  const raw = env.CLOUDTRAIL_REDIS_URL?.trim();
  if (!raw) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The text may hold a password: never repeat it.
    throw new Error('CLOUDTRAIL_REDIS_URL is not a URL; expected redis://host:port or rediss://host:port');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new Error(`CLOUDTRAIL_REDIS_URL must start with redis:// or rediss://, not ${url.protocol}//`);
  }
  if (!url.hostname) {
    throw new Error('CLOUDTRAIL_REDIS_URL names no host');
  }
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) {
    throw new Error('CLOUDTRAIL_REDIS_URL: the path must be a database number, e.g. redis://host:6379/0');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 6379);
  return {
    host,
    port,
    username: decodeURIComponent(url.username) || undefined,
    password: env.CLOUDTRAIL_REDIS_PASSWORD || decodeURIComponent(url.password) || undefined,
    db,
    caFile: env.CLOUDTRAIL_REDIS_CA_FILE || undefined,
    prefix: env.CLOUDTRAIL_REDIS_PREFIX ?? DEFAULT_PREFIX,
    address: `${url.hostname}:${port}`,
    tls: url.protocol === 'rediss:',
    fallbackReplicas: Math.max(1, Math.round(positive(env.CLOUDTRAIL_REPLICAS, DEFAULT_FALLBACK_REPLICAS))),
    commandTimeoutMs: positive(env.CLOUDTRAIL_REDIS_TIMEOUT_MS, DEFAULT_COMMAND_TIMEOUT_MS),
    lockMs: positive(env.CLOUDTRAIL_REDIS_LOCK_MS, DEFAULT_LOCK_MS),
  };
}
