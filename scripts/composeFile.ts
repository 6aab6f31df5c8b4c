/**
 * Reads docker-compose.yaml (the demo stack) so tests can follow its bind mounts, and validates it
 * with Docker Compose's own `config` command.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { parse } from 'yaml';

export const REPO_DIR = join(__dirname, '..');
export const COMPOSE_PATH = join(REPO_DIR, 'docker-compose.yaml');

export interface ComposeService {
  image?: string;
  command?: string[] | string;
  environment?: Record<string, string> | string[];
  volumes?: string[];
  ports?: string[];
  depends_on?: unknown;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

export function composeFile(path = COMPOSE_PATH): ComposeFile {
  return parse(readFileSync(path, 'utf8')) as ComposeFile;
}

/** Short-syntax bind mounts `host:container[:mode]` of one service (host relative to the repo). */
export function bindMounts(compose: ComposeFile, service: string): Array<{ host: string; container: string }> {
  return (compose.services[service]?.volumes ?? []).map((spec) => {
    const [host, container] = spec.split(':');
    return { host: resolve(REPO_DIR, host), container };
  });
}

/** The host path a container path of `service` shows, or undefined when no bind mount covers it. */
export function containerPathOnHost(compose: ComposeFile, service: string, containerPath: string): string | undefined {
  const mount = bindMounts(compose, service)
    .filter((m) => containerPath === m.container || containerPath.startsWith(`${m.container}/`))
    .sort((a, b) => b.container.length - a.container.length)[0];
  return mount && join(mount.host, posix.relative(mount.container, containerPath));
}

/**
 * The grafana.ini a service mounts at /etc/grafana/grafana.ini, as Grafana's ini parser reads it:
 * section → key → value (`;` and `#` start comments; keys before any section go to "").
 */
export function grafanaIni(compose: ComposeFile, service: string): Record<string, Record<string, string>> {
  const path = containerPathOnHost(compose, service, '/etc/grafana/grafana.ini');
  if (!path) {
    return {};
  }
  const sections: Record<string, Record<string, string>> = { '': {} };
  let current = sections[''];
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith(';') || line.startsWith('#')) {
      continue;
    }
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = sections[section[1]] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) {
      current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
  }
  return sections;
}

/** The service's environment as a map (compose accepts a map or a list of NAME=value). */
export function environment(compose: ComposeFile, service: string): Record<string, string> {
  const env = compose.services[service]?.environment ?? {};
  if (!Array.isArray(env)) {
    return env;
  }
  return Object.fromEntries(env.map((item) => [item.split('=')[0], item.slice(item.indexOf('=') + 1)]));
}

export type ComposeConfigResult = { ok: true; resolved: ComposeFile } | { ok: false; message: string };

/**
 * Runs `docker-compose config` (the Compose tool's own parser and schema check) and returns the
 * resolved file. No Docker engine is needed for this.
 */
export function composeConfig(
  path = COMPOSE_PATH,
  command = process.env.DOCKER_COMPOSE ?? 'docker-compose'
): ComposeConfigResult {
  const run = spawnSync(command, ['--file', path, '--project-directory', REPO_DIR, 'config'], {
    encoding: 'utf8',
    env: { ...process.env, COMPOSE_PROJECT_NAME: 'cloudtrail-insights' },
  });
  if (run.error) {
    const reason =
      (run.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is not installed' : `failed: ${run.error.message}`;
    return {
      ok: false,
      message: `${command} ${reason}. Install Docker Compose (Debian: apt-get install -y docker-compose) to validate docker-compose.yaml.`,
    };
  }
  if (run.status !== 0) {
    return { ok: false, message: `${command} config rejected ${path}:\n${run.stderr || run.stdout}` };
  }
  return { ok: true, resolved: parse(run.stdout) as ComposeFile };
}
