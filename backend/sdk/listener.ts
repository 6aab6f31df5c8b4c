/**
 * Where the plugin listens, as go-plugin plugins do: a unix socket on Linux and macOS, so only
 * the Grafana server's user (and the group named by PLUGIN_UNIX_SOCKET_GROUP) can connect, and
 * TCP on 127.0.0.1 only on Windows (PLUGIN_MIN_PORT/PLUGIN_MAX_PORT honoured).
 *
 * The socket lives in a fresh private directory (mode 0700) under PLUGIN_UNIX_SOCKET_DIR, else
 * the OS temp directory: nobody else can reach the socket even in the instant between bind and
 * chmod, and shutdown removes the whole directory.
 */
import { type Server, ServerCredentials } from '@grpc/grpc-js';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { candidatePorts } from './handshake';

type Env = Record<string, string | undefined>;

export interface PluginListener {
  /** go-plugin's network name for the handshake line. */
  network: 'unix' | 'tcp';
  /** A socket path or `127.0.0.1:port`. */
  address: string;
  /** Removes the socket and its directory; safe to call more than once. */
  remove(): void;
}

export const SOCKET_DIR_ENV = 'PLUGIN_UNIX_SOCKET_DIR';
export const SOCKET_GROUP_ENV = 'PLUGIN_UNIX_SOCKET_GROUP';
const SOCKET_FILE = 'plugin.sock';
/** sun_path holds 104 bytes on macOS and 108 on Linux, including the terminating NUL. */
const MAX_SOCKET_PATH_BYTES = 103;

const OWNER_ONLY = { dir: 0o700, socket: 0o600 };
/** The group may enter the directory and connect, not list or create entries. */
const OWNER_AND_GROUP = { dir: 0o710, socket: 0o660 };

export function usesUnixSocket(platform: NodeJS.Platform = process.platform): boolean {
  return platform !== 'win32';
}

/** A numeric gid, or a group name looked up in /etc/group (as Go's os/user does without cgo). */
export function resolveGroupId(group: string, groupFile = '/etc/group'): number {
  if (/^\d+$/.test(group)) {
    return Number(group);
  }
  let entries = '';
  try {
    entries = readFileSync(groupFile, 'utf8');
  } catch {
    // no group database: fall through to the error below
  }
  for (const line of entries.split('\n')) {
    const [name, , gid] = line.split(':');
    if (name === group && /^\d+$/.test(gid ?? '')) {
      return Number(gid);
    }
  }
  throw new Error(`${SOCKET_GROUP_ENV}=${group}: no such group in ${groupFile}; give a group name or a numeric gid`);
}

function giveToGroup(path: string, gid: number | undefined, env: Env): void {
  if (gid === undefined) {
    return;
  }
  try {
    chownSync(path, -1, gid);
  } catch (error) {
    throw new Error(
      `${SOCKET_GROUP_ENV}=${env[SOCKET_GROUP_ENV]}: could not give ${path} to gid ${gid} ` +
        `(the plugin's user must be a member of that group): ${(error as Error).message}`
    );
  }
}

function bindTo(server: Server, target: string): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(target, ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port)
    )
  );
}

async function listenOnLoopback(server: Server, env: Env): Promise<PluginListener> {
  let lastError: unknown;
  for (const candidate of candidatePorts(env)) {
    try {
      const port = await bindTo(server, `127.0.0.1:${candidate}`);
      return { network: 'tcp', address: `127.0.0.1:${port}`, remove: () => undefined };
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`could not bind a loopback port: ${(lastError as Error)?.message}`);
}

async function listenOnUnixSocket(server: Server, env: Env): Promise<PluginListener> {
  const base = env[SOCKET_DIR_ENV] || tmpdir();
  const group = env[SOCKET_GROUP_ENV] ? resolveGroupId(env[SOCKET_GROUP_ENV]) : undefined;
  const modes = group === undefined ? OWNER_ONLY : OWNER_AND_GROUP;
  let dir: string;
  try {
    dir = mkdtempSync(join(base, 'plugin-'));
  } catch (error) {
    throw new Error(
      `could not create the socket directory in ${base} (${SOCKET_DIR_ENV}): ${(error as Error).message}`
    );
  }
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const path = join(dir, SOCKET_FILE);
  try {
    if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) {
      throw new Error(
        `socket path ${path} is longer than the ${MAX_SOCKET_PATH_BYTES} bytes a unix socket allows; ` +
          `set ${SOCKET_DIR_ENV} to a shorter directory`
      );
    }
    giveToGroup(dir, group, env);
    chmodSync(dir, modes.dir);
    await bindTo(server, `unix:${path}`);
    giveToGroup(path, group, env);
    chmodSync(path, modes.socket);
  } catch (error) {
    remove();
    throw error;
  }
  return { network: 'unix', address: path, remove };
}

/** Binds `server` where this OS's go-plugin plugins listen. */
export function listen(server: Server, env: Env = process.env, platform = process.platform): Promise<PluginListener> {
  return usesUnixSocket(platform) ? listenOnUnixSocket(server, env) : listenOnLoopback(server, env);
}
