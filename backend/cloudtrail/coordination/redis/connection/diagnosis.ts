/**
 * What went wrong with Redis, in the operator's terms: the problem and the setting that fixes it
 * (grafana.ini key first, then its environment variable), for the health check and the one log
 * line per switch to the local fallback. Never the password, the Sentinel password or the secret:
 * every text is scrubbed of them before it leaves (ioredis' own messages do not carry them, but a
 * server's error reply could echo what it was sent).
 */
import { errorMessage } from '../../../../sdk/errorMessage';
import { settingName, type RedisConfig } from '../redisConfig';

/** Errors of our own commands while disconnected: they say nothing about why. */
const UNINFORMATIVE = [
  "Stream isn't writeable",
  "Cluster isn't ready",
  'Connection is closed',
  'connection closed',
  'Cluster is ended',
];

const CERTIFICATE_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** true when `error` says nothing about the cause (a command refused while disconnected). */
export function uninformative(error: unknown): boolean {
  const text = errorMessage(error);
  return UNINFORMATIVE.some((u) => text.startsWith(u));
}

/** `text` without any secret of `config`. */
export function scrub(text: string, config: RedisConfig): string {
  const secrets = [
    config.password,
    config.replicationSecret,
    config.topology.kind === 'sentinel' ? config.topology.sentinelPassword : undefined,
  ].filter((s): s is string => !!s && s.length >= 3);
  return secrets.reduce((out, secret) => out.split(secret).join('***'), text);
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : '';
}

const SENTINEL_PREFIXES = [
  /^failed to connect to sentinel \S+ because /,
  /^All sentinels are unreachable\..*?Last error: /,
];

/** Why Redis cannot be used, naming the setting to change; `source` says where the error came from. */
export function diagnose(error: unknown, config: RedisConfig, source: 'node' | 'sentinel' = 'node'): string {
  const text = scrub(errorMessage(error), config);
  const code = codeOf(error);
  const where = config.address;
  const url = settingName('REDIS_URL');
  const topology = config.topology;
  const fromSentinel = source === 'sentinel' || /^(failed to connect to sentinel|All sentinels)/.test(text);
  // What the server (or the socket) said, without ioredis' Sentinel wording around it.
  const reply = SENTINEL_PREFIXES.reduce((t, prefix) => t.replace(prefix, ''), text);

  if (/^(WRONGPASS|NOAUTH)|invalid password|invalid username-password/i.test(reply)) {
    const what = /^NOAUTH/.test(reply)
      ? 'asked for a password (NOAUTH)'
      : 'refused the user name or password (WRONGPASS)';
    return fromSentinel
      ? `the Sentinels ${what}: check ${settingName('REDIS_SENTINEL_PASSWORD')}`
      : `Redis ${what}: check ${settingName('REDIS_PASSWORD')} or the user and password in ${url}`;
  }
  if (/^NOPERM/.test(reply)) {
    return `the Redis user lacks a permission this plugin needs (${reply.split('\n')[0]}): grant the ACL in the README to the user of ${url}`;
  }
  if (/^(MOVED|ASK|CLUSTERDOWN|CROSSSLOT)\b/.test(reply)) {
    return `Redis at ${where} is a Redis Cluster node, but ${settingName('REDIS_CLUSTER')} is false: set it to true (or remove it: it is asked of the server)`;
  }
  if (/cluster support disabled/i.test(text)) {
    return `Redis at ${where} is not a Redis Cluster (its cluster support is disabled): remove ${settingName('REDIS_CLUSTER')} or set it to false`;
  }
  if (/unknown command .sentinel/i.test(reply)) {
    return `a server named in ${settingName('REDIS_SENTINELS')} is a Redis, not a Sentinel (Sentinels usually listen on 26379)`;
  }
  if (topology.kind === 'sentinel' && /got an invalid reply|No such master/i.test(text)) {
    return `the Sentinels watch no master named "${topology.name}": check ${settingName('REDIS_SENTINEL_NAME')}`;
  }
  if (topology.kind === 'sentinel' && fromSentinel) {
    const sentinels = topology.sentinels.map((s) => `${s.host}:${s.port}`).join(', ');
    return `none of the Sentinels (${sentinels}) answered (${reply}): check ${settingName('REDIS_SENTINELS')}`;
  }
  if (CERTIFICATE_CODES.has(code)) {
    return code === 'ERR_TLS_CERT_ALTNAME_INVALID'
      ? `Redis' TLS certificate does not name the host in ${url} (${code})`
      : `Redis' TLS certificate is not trusted (${code}): set ${settingName('REDIS_CA_FILE')} to the PEM file of the CA that signed it`;
  }
  if (/wrong version number|packet length too long|ssl3_get_record|EPROTO|ERR_SSL_/i.test(`${code} ${text}`)) {
    return `Redis at ${where} does not speak TLS: use redis:// in ${url}`;
  }
  if (config.tls && code === 'ETIMEDOUT') {
    return `Redis at ${where} did not complete a TLS handshake (ETIMEDOUT): if it does not use TLS, use redis:// in ${url}; otherwise check that its host and port are reachable`;
  }
  if (!config.tls && code === 'ECONNRESET') {
    return `Redis at ${where} reset the connection as soon as it opened (ECONNRESET): if it requires TLS, use rediss:// in ${url}`;
  }
  if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT'].includes(code)) {
    return `cannot connect to Redis at ${where} (${code}): check the host and port in ${url} and that Redis runs`;
  }
  if (['ENOTFOUND', 'EAI_AGAIN'].includes(code)) {
    return `the host in ${url} is not found (${code})`;
  }
  if (/timed out|did not answer within/i.test(text)) {
    return `Redis did not answer within ${config.commandTimeoutMs} ms, the limit set by ${settingName('REDIS_TIMEOUT_MS')}`;
  }
  if (/^OOM/.test(reply)) {
    return 'Redis is out of memory (OOM): give it a larger maxmemory with the volatile-lru policy (see the README)';
  }
  if (/^READONLY/.test(reply)) {
    return `Redis at ${where} is a read-only replica: name the primary in ${url}`;
  }
  return `Redis answered: ${text}`;
}
