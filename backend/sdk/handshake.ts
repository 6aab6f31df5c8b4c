/**
 * go-plugin's launch contract, plugin side: the host sets a magic cookie and the protocol
 * versions it speaks; the plugin answers with exactly one stdout line
 * `CORE-PROTOCOL-VERSION|APP-PROTOCOL-VERSION|NETWORK|ADDRESS|PROTOCOL` and nothing else.
 */

export const MAGIC_COOKIE_KEY = 'grafana_plugin_type';
export const MAGIC_COOKIE_VALUE = 'datasource';
/** go-plugin's own wire protocol version (the first handshake field). */
export const CORE_PROTOCOL_VERSION = 1;
/** The Grafana plugin protocol versions this SDK speaks. */
export const SUPPORTED_PROTOCOL_VERSIONS = [2];

export type HandshakeResult = { ok: true; protocolVersion: number } | { ok: false; message: string };

type Env = Record<string, string | undefined>;

export function negotiateHandshake(env: Env): HandshakeResult {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    return {
      ok: false,
      message:
        'This binary is a Grafana data source plugin backend and is not meant to be run by hand.\n' +
        'Grafana starts it itself when the plugin is installed in its plugins directory.\n' +
        `(Expected the environment variable ${MAGIC_COOKIE_KEY}=${MAGIC_COOKIE_VALUE}.)`,
    };
  }
  const requested = env.PLUGIN_PROTOCOL_VERSIONS;
  if (requested === undefined || requested.trim() === '') {
    return { ok: true, protocolVersion: Math.max(...SUPPORTED_PROTOCOL_VERSIONS) };
  }
  const offered = requested
    .split(',')
    .map((part) => Number.parseInt(part.trim(), 10))
    .filter((version) => Number.isInteger(version));
  const common = offered.filter((version) => SUPPORTED_PROTOCOL_VERSIONS.includes(version));
  if (common.length === 0) {
    return {
      ok: false,
      message:
        `Incompatible plugin protocol: the host offers version(s) "${requested}", ` +
        `this plugin speaks ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}. Upgrade Grafana or the plugin.`,
    };
  }
  return { ok: true, protocolVersion: Math.max(...common) };
}

/** `network` is go-plugin's name: `unix` (address is a socket path) or `tcp` (host:port). */
export function handshakeLine(protocolVersion: number, network: 'unix' | 'tcp', address: string): string {
  return `${CORE_PROTOCOL_VERSION}|${protocolVersion}|${network}|${address}|grpc\n`;
}

/** Ports to try, honouring PLUGIN_MIN_PORT/PLUGIN_MAX_PORT; [0] lets the OS choose. */
export function candidatePorts(env: Env, attempts = 20, random = Math.random): number[] {
  const min = Number.parseInt(env.PLUGIN_MIN_PORT ?? '', 10);
  const max = Number.parseInt(env.PLUGIN_MAX_PORT ?? '', 10);
  if (!Number.isInteger(min) || !Number.isInteger(max) || min <= 0 || max < min || max > 65535) {
    return [0];
  }
  const span = max - min + 1;
  const ports = new Set<number>();
  while (ports.size < Math.min(attempts, span)) {
    ports.add(min + Math.floor(random() * span));
  }
  return [...ports];
}
